// The checker on parsed source text and the real document schema: what a policy author writes.
// (checker_test.cpp covers each rule on hand-built ASTs with a small schema.)
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "lang/check/checker.hpp"
#include "lang/syntax/parser.hpp"
#include "runtime/documents/document_schema.hpp"

using namespace capguard;

namespace {

struct Result {
  std::vector<ast::Module> modules;
  Diagnostics diags;
  CheckResult checked;

  std::string messages() const {
    std::string out;
    for (const Diagnostic& d : diags.all()) out += d.message + "\n";
    return out;
  }
  bool has(const std::string& part) const { return messages().find(part) != std::string::npos; }
  size_t count() const { return diags.all().size(); }
};

// Parses each text as one file and checks them together; the parse must succeed.
std::unique_ptr<Result> check_texts(const std::vector<std::string>& texts) {
  auto r = std::make_unique<Result>();
  for (size_t i = 0; i < texts.size(); ++i) {
    FileId id = add_source("f" + std::to_string(i) + ".policy", texts[i]);
    r->modules.push_back(parse_module(id, r->diags));
  }
  REQUIRE(render(r->diags) == "");
  r->checked = check(r->modules, document_schema(), r->diags);
  return r;
}

std::unique_ptr<Result> check_text(const std::string& text) {
  return check_texts({text});
}

// A policy around one deny condition, iterating services as `s`.
std::string deny(const std::string& condition, const std::string& lets = "") {
  return "policy \"T-1\" {\n  title \"t\"\n  severity low\n  for s in services\n" + lets +
         "  deny when " + condition + "\n}\n";
}

// The recorded type of the rule condition's expression in the first policy.
std::string condition_type(const Result& r) {
  for (const ast::Clause& c : r.modules[0].policies[0].body) {
    if (const auto* rule = std::get_if<ast::Rule>(&c.node)) {
      auto it = r.checked.modules[0].types.find(rule->condition->id);
      return it == r.checked.modules[0].types.end() ? "<none>" : type_name(*it->second);
    }
  }
  return "<no rule>";
}

// The recorded type of the first `let` value in the first policy.
std::string let_type(const Result& r) {
  for (const ast::Clause& c : r.modules[0].policies[0].body) {
    if (const auto* let = std::get_if<ast::LetClause>(&c.node)) {
      auto it = r.checked.modules[0].types.find(let->value->id);
      return it == r.checked.modules[0].types.end() ? "<none>" : type_name(*it->second);
    }
  }
  return "<no let>";
}

// The text of every .policy file of the standard library's source folder.
std::vector<std::string> stdlib_texts() {
  namespace fs = std::filesystem;
  std::vector<std::string> texts;
  for (const auto& entry :
       fs::directory_iterator(fs::path(CAPGUARD_SOURCE_DIR) / "stdlib-policies")) {
    if (entry.path().extension() != ".policy") continue;
    std::ifstream in(entry.path());
    std::ostringstream text;
    text << in.rdbuf();
    texts.push_back(text.str());
  }
  return texts;
}

}  // namespace

TEST_CASE("source: the standard library checks clean against the document schema",
          "[checker][source]") {
  std::vector<std::string> texts = stdlib_texts();
  REQUIRE(texts.size() > 5);
  auto r = check_texts(texts);
  CHECK(r->messages() == "");
  size_t resolved = 0;
  for (const ModuleInfo& m : r->checked.modules) resolved += m.names.size();
  CHECK(resolved > 100);
}

TEST_CASE("source: typos in fields, capabilities and names", "[checker][source]") {
  auto r = check_text(
      deny("s.privilegd or NET_ADMN in s.caps.effective or s.namespace.pid == \"host\""));
  CHECK(r->has("unknown field `privilegd` on service; did you mean `privileged`?"));
  CHECK(r->has("unknown capability `NET_ADMN`; did you mean `NET_ADMIN`?"));
  CHECK(r->has("unknown field `namespace` on service; did you mean `namespaces`?"));
  CHECK(r->count() == 3);
}

TEST_CASE("source: capability names are case-insensitive strings in caps", "[checker][source]") {
  auto r = check_text("param extra: caps = [\"chown\", \"cap_net_raw\"]\n" +
                      deny("\"sys_admin\" in s.caps.effective or CAP_SYS_ADMIN in s.caps.added or "
                           "not empty(s.caps.effective & extra)",
                           "  let dangerous = [SYS_ADMIN, NET_ADMIN, ALL]\n"));
  CHECK(r->messages() == "");
  CHECK(let_type(*r) == "caps");
  CHECK(condition_type(*r) == "bool");
}

TEST_CASE("source: sizes, durations and their hints", "[checker][source]") {
  auto ok = check_text(deny("s.resources.memory_bytes > 512M and s.healthcheck.interval < 1m30s",
                            "  let total = s.resources.memory_bytes + 1G\n"));
  CHECK(ok->messages() == "");
  CHECK(let_type(*ok) == "size");
  auto bad = check_text(deny("s.resources.memory_bytes == 512 or s.healthcheck.timeout > 30"));
  CHECK(bad->has("cannot compare size? with int; write the number with a unit, e.g. 256M"));
  CHECK(
      bad->has("cannot order duration? and int with `>`; write the number with a unit, e.g. 30s"));
  CHECK(bad->count() == 2);
}

TEST_CASE("source: maps iterate as entries; raw data is any", "[checker][source]") {
  auto r = check_text(deny(
      "any(e in s.environment where e.key == \"DEBUG\" and e.value == \"1\") or s.raw.x.y == 3",
      "  let names = [e.key for e in s.sysctls]\n"));
  CHECK(r->messages() == "");
  CHECK(let_type(*r) == "list[string]");
}

TEST_CASE("source: messages and `at` are checked too", "[checker][source]") {
  auto r = check_text(
      "policy \"T-1\" {\n  title \"t\"\n  severity low\n  for s in services\n"
      "  deny when s.privileged at s.privileged_mode message \"{s.nme} is privileged\"\n}\n");
  CHECK(r->has("unknown field `privileged_mode` on service"));
  CHECK(r->has("unknown field `nme` on service; did you mean `name`?"));
  CHECK(r->count() == 2);
}

TEST_CASE("source: an unannotated function's body types follow its calls", "[checker][source]") {
  auto one = check_text("fn double(x) = x + x\n" + deny("double(s.resources.memory_bytes) > 1G"));
  CHECK(one->messages() == "");
  const ast::Expr& body1 = *one->modules[0].functions[0].body;
  CHECK(type_name(*one->checked.modules[0].types.at(body1.id)) == "size");

  auto two = check_text("fn double(x) = x + x\n" +
                        deny("double(s.resources.memory_bytes) > 1G or double(s.name) == \"\""));
  CHECK(two->messages() == "");
  const ast::Expr& body2 = *two->modules[0].functions[0].body;
  CHECK(type_name(*two->checked.modules[0].types.at(body2.id)) == "any");

  auto bad = check_text("fn double(x) = x + x\n" + deny("double(s.privileged)"));
  REQUIRE(bad->count() == 1);
  CHECK(bad->diags.all()[0].message == "operator `+` cannot be applied to bool and bool");
  REQUIRE(bad->diags.all()[0].notes.size() == 1);
  CHECK(bad->diags.all()[0].notes[0].message == "in `double` called here with (bool)");
}

TEST_CASE("source: imports across packages and files", "[checker][source]") {
  auto r = check_texts(
      {"package acme.lib\nparam registry: string = \"r.acme.io/\"\n"
       "fn internal(s: service) = starts_with(default(s.image.repository, \"\"), registry)\n",
       "package acme.policies\nimport acme.lib\n" +
           deny("not lib.internal(s) and lib.registry != \"\"")});
  CHECK(r->messages() == "");
  bool param = false;
  for (const auto& [id, res] : r->checked.modules[1].names) {
    if (res.kind == Resolution::Kind::Param && res.qualified == "acme.lib.registry") param = true;
  }
  CHECK(param);
}

TEST_CASE("source: tests blocks refer to policies and params", "[checker][source]") {
  auto r = check_text("param limit: size = 512M\n" + deny("s.resources.memory_bytes > limit") +
                      "test \"big\" {\n  param limit = 1G\n  input compose \"\"\"\n"
                      "    services:\n      web: {image: nginx}\n    \"\"\"\n"
                      "  expect no deny \"T-1\" on web\n  expect deny \"T-l\"\n}\n");
  REQUIRE(r->count() == 1);
  CHECK(r->diags.all()[0].message == "unknown policy `T-l`; did you mean `T-1`?");
}

namespace {

// Every expression below `e` has a type, and every Name and Call a resolution, except the alias
// Name of an `alias.param` field (resolved on the field itself).
void expect_complete(const ast::Expr& e, const ModuleInfo& info, size_t& missing) {
  if (!info.types.count(e.id)) ++missing;
  bool resolved = info.names.count(e.id) > 0;
  std::visit(
      [&](const auto& n) {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, ast::Name> || std::is_same_v<T, ast::Call>) {
          if (!resolved) ++missing;
        }
        if constexpr (std::is_same_v<T, ast::Field>) {
          if (!resolved) expect_complete(*n.object, info, missing);
        } else if constexpr (std::is_same_v<T, ast::Index>) {
          expect_complete(*n.object, info, missing);
          expect_complete(*n.index, info, missing);
        } else if constexpr (std::is_same_v<T, ast::Unary>) {
          expect_complete(*n.operand, info, missing);
        } else if constexpr (std::is_same_v<T, ast::Binary>) {
          expect_complete(*n.lhs, info, missing);
          expect_complete(*n.rhs, info, missing);
        } else if constexpr (std::is_same_v<T, ast::Conditional>) {
          expect_complete(*n.condition, info, missing);
          expect_complete(*n.then_branch, info, missing);
          expect_complete(*n.else_branch, info, missing);
        } else if constexpr (std::is_same_v<T, ast::ListLiteral> ||
                             std::is_same_v<T, ast::SetLiteral> || std::is_same_v<T, ast::Call>) {
          const auto& items = [&]() -> const std::vector<ast::ExprPtr>& {
            if constexpr (std::is_same_v<T, ast::Call>) {
              return n.args;
            } else {
              return n.items;
            }
          }();
          for (const ast::ExprPtr& i : items) expect_complete(*i, info, missing);
        } else if constexpr (std::is_same_v<T, ast::Quantifier>) {
          expect_complete(*n.collection, info, missing);
          if (n.condition) expect_complete(*n.condition, info, missing);
        } else if constexpr (std::is_same_v<T, ast::Comprehension>) {
          expect_complete(*n.collection, info, missing);
          expect_complete(*n.element, info, missing);
          if (n.filter) expect_complete(*n.filter, info, missing);
        }
      },
      e.node);
}

}  // namespace

TEST_CASE("source: every expression of the standard library is typed and resolved",
          "[checker][source]") {
  std::vector<std::string> texts = stdlib_texts();
  auto r = check_texts(texts);
  REQUIRE(r->messages() == "");
  size_t missing = 0, checked = 0;
  for (size_t i = 0; i < r->modules.size(); ++i) {
    const ast::Module& m = r->modules[i];
    const ModuleInfo& info = r->checked.modules[i];
    for (const ast::Param& p : m.params) {
      if (p.default_value) expect_complete(*p.default_value, info, missing);
    }
    for (const ast::Function& f : m.functions) expect_complete(*f.body, info, missing), ++checked;
    for (const ast::Policy& p : m.policies) {
      for (const ast::Clause& c : p.body) {
        ++checked;
        if (const auto* f = std::get_if<ast::ForClause>(&c.node)) {
          expect_complete(*f->collection, info, missing);
        } else if (const auto* l = std::get_if<ast::LetClause>(&c.node)) {
          expect_complete(*l->value, info, missing);
        } else if (const auto* rule = std::get_if<ast::Rule>(&c.node)) {
          expect_complete(*rule->condition, info, missing);
          if (rule->at) expect_complete(*rule->at, info, missing);
          if (rule->message) {
            for (const ast::TemplatePart& part : rule->message->parts) {
              if (part.expr) expect_complete(*part.expr, info, missing);
            }
          }
        }
      }
    }
  }
  CHECK(checked > 50);
  CHECK(missing == 0);
}
