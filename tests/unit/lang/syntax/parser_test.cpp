// parse_module: declarations, message templates, spans and ids, and recovery after syntax errors.
#include <catch2/catch.hpp>

#include <set>

#include "lang/syntax/ast_dump.hpp"
#include "lang/syntax/parser.hpp"

using namespace capguard;

namespace {

struct Parsed {
  ast::Module module;
  Diagnostics diags;
  std::string errors() const { return render(diags); }
};

Parsed parse(const std::string& text, const std::string& name = "t.policy") {
  Parsed p;
  p.module = parse_module(add_source(name, text), p.diags);
  return p;
}

const ast::Rule& rule_of(const ast::Policy& p, size_t clause) {
  return std::get<ast::Rule>(p.body.at(clause).node);
}

void collect_ids(const ast::Expr& e, std::vector<ast::NodeId>& ids) {
  ids.push_back(e.id);
  std::visit(
      [&](const auto& n) {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, ast::Binary>) {
          collect_ids(*n.lhs, ids);
          collect_ids(*n.rhs, ids);
        } else if constexpr (std::is_same_v<T, ast::Field>) {
          collect_ids(*n.object, ids);
        } else if constexpr (std::is_same_v<T, ast::Call>) {
          for (const auto& a : n.args) collect_ids(*a, ids);
        } else if constexpr (std::is_same_v<T, ast::Unary>) {
          collect_ids(*n.operand, ids);
        }
      },
      e.node);
}

const char* const kExample = R"(package acme.containers
import capguard.caps as c
import capguard.stdlib.mounts

param allowed_caps: caps = [NET_BIND_SERVICE, CHOWN]
param limits: map[list[size]] = {}

fn runs_as_root(s: service) = s.user.is_root != false
fn is_sensitive(path, roots: list[string]) = any(p in roots where starts_with(path, p))

policy "ACME-CAP-001" {
  title       "Only approved capabilities"
  severity    high
  references  ["CIS Docker Benchmark 5.3", "internal"]
  tags        []

  for s in services
  let extra = s.caps.effective - allowed_caps
  deny when not empty(extra) at s.caps.added
    message "{s.name} keeps {extra} beyond {{allowed}}"
  warn when c.is_root(s)
}

test "a privileged web server is denied" {
  param allowed_caps = [CHOWN]
  input compose """
    services:
      web: {image: nginx:1.27, privileged: true}
    """
  input inspect file "web.json"
  expect deny "ACME-CAP-001" on web count 1 message "privileged" line 2
  expect no warn "ACME-CAP-001" on "my web"
  expect no deny "ACME-CAP-001" on my-web.v2 count 0
}
)";

}  // namespace

TEST_CASE("parser: every kind of declaration", "[parser]") {
  Parsed p = parse(kExample);
  REQUIRE(p.errors() == "");
  const ast::Module& m = p.module;
  CHECK(m.package == std::vector<std::string>{"acme", "containers"});
  REQUIRE(m.imports.size() == 2);
  CHECK(m.imports[0].alias == "c");
  CHECK(m.imports[1].path == std::vector<std::string>{"capguard", "stdlib", "mounts"});
  CHECK(m.imports[1].alias == "mounts");
  REQUIRE(m.params.size() == 2);
  CHECK(m.params[0].type.name == "caps");
  CHECK(m.params[1].type.name == "map");
  REQUIRE(m.params[1].type.args.size() == 1);
  CHECK(m.params[1].type.args[0].name == "list");
  CHECK(m.params[1].type.args[0].args.at(0).name == "size");
  REQUIRE(m.functions.size() == 2);
  CHECK(m.functions[0].params.at(0).type->name == "service");
  CHECK_FALSE(m.functions[1].params.at(0).type.has_value());
  CHECK(m.functions[1].params.at(1).type->args.at(0).name == "string");
  REQUIRE(m.policies.size() == 1);
  const ast::Policy& policy = m.policies[0];
  CHECK(policy.id == "ACME-CAP-001");
  CHECK(policy.id_span.line == 11);
  CHECK(policy.id_span.column == 8);
  REQUIRE(policy.metadata.size() == 4);
  CHECK(policy.metadata[1].key == "severity");
  CHECK(std::get<ast::Name>(policy.metadata[1].value->node).name == "high");
  CHECK(std::get<ast::ListLiteral>(policy.metadata[2].value->node).items.size() == 2);
  REQUIRE(policy.body.size() == 4);
  CHECK(std::get<ast::ForClause>(policy.body[0].node).var == "s");
  CHECK(std::get<ast::LetClause>(policy.body[1].node).name == "extra");
  CHECK(rule_of(policy, 2).kind == RuleKind::Deny);
  CHECK(rule_of(policy, 2).at != nullptr);
  CHECK(rule_of(policy, 3).kind == RuleKind::Warn);
  CHECK(rule_of(policy, 3).at == nullptr);
  CHECK_FALSE(rule_of(policy, 3).message.has_value());
  CHECK(std::get<ast::Call>(rule_of(policy, 3).condition->node).callee == "c.is_root");
  REQUIRE(m.tests.size() == 1);
  const ast::Test& t = m.tests[0];
  CHECK(t.params.at(0).name == "allowed_caps");
  REQUIRE(t.inputs.size() == 2);
  CHECK(t.inputs[0].kind == ast::InputKind::Compose);
  CHECK(t.inputs[0].text == "services:\n  web: {image: nginx:1.27, privileged: true}\n");
  CHECK(t.inputs[1].kind == ast::InputKind::Inspect);
  CHECK(t.inputs[1].is_file);
  REQUIRE(t.expectations.size() == 3);
  CHECK(t.expectations[2].service == "my-web.v2");
  CHECK(t.expectations[2].count == 0);
  CHECK(t.expectations[0].service == "web");
  CHECK(t.expectations[0].count == 1);
  CHECK(t.expectations[0].message == "privileged");
  CHECK(t.expectations[0].line == 2);
  CHECK(t.expectations[1].negated);
  CHECK(t.expectations[1].kind == RuleKind::Warn);
  CHECK(t.expectations[1].service == "my web");
  CHECK_FALSE(t.expectations[1].count.has_value());
}

TEST_CASE("parser: expression ids are unique and below next_id", "[parser]") {
  Parsed p = parse(kExample);
  std::vector<ast::NodeId> ids;
  for (const ast::Param& param : p.module.params) collect_ids(*param.default_value, ids);
  for (const ast::Function& f : p.module.functions) collect_ids(*f.body, ids);
  for (const ast::Clause& c : p.module.policies.at(0).body) {
    if (auto* r = std::get_if<ast::Rule>(&c.node)) collect_ids(*r->condition, ids);
  }
  REQUIRE(ids.size() > 10);
  CHECK(std::set<ast::NodeId>(ids.begin(), ids.end()).size() == ids.size());
  for (ast::NodeId id : ids) {
    CHECK(id > 0);
    CHECK(id < p.module.next_id);
  }
}

TEST_CASE("parser: spans point at the text", "[parser]") {
  Parsed p = parse("fn f(x) =\n  x.user.name\n");
  REQUIRE(p.errors() == "");
  const ast::Expr& body = *p.module.functions.at(0).body;
  CHECK(body.span.line == 2);
  CHECK(body.span.column == 3);
  CHECK(body.span.length == 11);
  const auto& field = std::get<ast::Field>(body.node);
  CHECK(field.field_span.column == 10);
  CHECK(field.field_span.length == 4);
}

TEST_CASE("parser: message templates", "[parser][template]") {
  Parsed p = parse(
      "policy \"T\" {\n  title \"t\"\n  deny when true message \"a {x.y} b {{c}} {f(\\\"}\\\")}\"\n"
      "}\n");
  REQUIRE(p.errors() == "");
  const ast::Template& t = *rule_of(p.module.policies.at(0), 0).message;
  REQUIRE(t.parts.size() == 4);
  CHECK(t.parts[0].text == "a ");
  CHECK(std::get<ast::Field>(t.parts[1].expr->node).field == "y");
  CHECK(t.parts[1].expr->span.line == 3);
  CHECK(t.parts[1].expr->span.column == 30);
  CHECK(t.parts[2].text == " b {c} ");
  const auto& call = std::get<ast::Call>(t.parts[3].expr->node);
  CHECK(std::get<ast::Literal>(call.args.at(0)->node).value.as_string() == "}");
}

TEST_CASE("parser: only `message` strings are templates", "[parser][template]") {
  Parsed p =
      parse("policy \"T\" {\n  title \"{not a template}\"\n  deny when \"{x}\" == \"}\"\n}\n");
  REQUIRE(p.errors() == "");
  CHECK(std::get<ast::Literal>(p.module.policies.at(0).metadata.at(0).value->node)
            .value.as_string() == "{not a template}");
}

TEST_CASE("parser: template errors point into the string", "[parser][template]") {
  CHECK_THAT(parse("policy \"T\" {\n  deny when true message \"a } b\"\n}\n").errors(),
             Catch::StartsWith("t.policy:2:29: error: unmatched `}` in the message"));
  CHECK_THAT(parse("policy \"T\" {\n  deny when true message \"a {b\"\n}\n").errors(),
             Catch::StartsWith("t.policy:2:29: error: unclosed `{`"));
  CHECK_THAT(parse("policy \"T\" {\n  deny when true message \"a {}\"\n}\n").errors(),
             Catch::StartsWith("t.policy:2:30: error: expected an expression"));
  CHECK_THAT(parse("policy \"T\" {\n  deny when true message \"{s.name +}\"\n}\n").errors(),
             Catch::StartsWith("t.policy:2:36: error: expected an expression after the operator"));
}

TEST_CASE("parser: three broken policies give three diagnostics", "[parser][recovery]") {
  Parsed p = parse(R"(policy "A" {
  title "a"
  deny when s.privileged message
}

policy "B" [
  title "b"
}

param ok: int = 1

policy "C" {
  title "c"
  for s in services
  let x = (1 + 2
}
)");
  REQUIRE(p.diags.error_count() == 3);
  const auto& d = p.diags.all();
  CHECK(d[0].message == "expected a string after `message`");
  CHECK(d[0].span.line == 3);  // right after `message`, where the string is missing
  CHECK(d[0].span.column == 33);
  CHECK(d[1].message == "expected `{` after the policy id");
  CHECK(d[1].span.line == 6);
  CHECK(d[1].span.column == 12);
  CHECK(d[2].message == "expected `)` to close the parenthesis");
  CHECK(d[2].span.line == 15);
  CHECK(d[2].span.column == 17);
  // The declaration between the broken ones is kept.
  REQUIRE(p.module.params.size() == 1);
  CHECK(p.module.params[0].name == "ok");
}

TEST_CASE("parser: recovery resumes only at a top-level keyword in column 1",
          "[parser][recovery]") {
  Parsed p = parse("test \"x\" {\n  param a = \n  param b = 2\n}\nfn f() = 1\n");
  REQUIRE(p.diags.error_count() == 1);
  CHECK(p.diags.all()[0].span.line == 2);  // after `=`, where the value is missing
  CHECK(p.module.functions.size() == 1);
}

TEST_CASE("parser: package comes first, once", "[parser]") {
  CHECK(parse("package a.b\nfn f() = 1\n").errors() == "");
  CHECK_THAT(parse("fn f() = 1\npackage a.b\n").errors(),
             Catch::StartsWith("t.policy:2:9: error: `package` must come first"));
}

TEST_CASE("parser: metadata keys are checked with a suggestion", "[parser]") {
  CHECK_THAT(parse("policy \"A\" {\n  titel \"x\"\n}\n").errors(),
             Catch::StartsWith("t.policy:2:3: error: `titel` is not a metadata key") &&
                 Catch::Contains("did you mean `title`?"));
  CHECK_THAT(parse("policy \"A\" {\n  dney when true\n}\n").errors(),
             Catch::Contains("did you mean `deny`?"));
  CHECK_THAT(parse("policy \"A\" {\n  deny when true\n  title \"late\"\n}\n").errors(),
             Catch::StartsWith("t.policy:3:3: error: metadata must come before"));
}

TEST_CASE("parser: expectation options at most once", "[parser]") {
  CHECK_THAT(parse("test \"t\" {\n  expect deny \"A\" count 1 count 2\n}\n").errors(),
             Catch::StartsWith("t.policy:2:33: error: `count` appears twice"));
}

TEST_CASE("parser: an empty file is an empty module", "[parser]") {
  Parsed p = parse("# only a comment\n\n");
  CHECK(p.errors() == "");
  CHECK(p.module.policies.empty());
}

TEST_CASE("parser: CRLF line ends and a byte order mark", "[parser]") {
  Parsed p = parse(
      "\xEF\xBB\xBFparam text: string = \"\"\"\r\n  a\r\n    b\r\n  \"\"\"\r\n"
      "fn f() = 1 # comment\r\n");
  REQUIRE(p.errors() == "");
  CHECK(std::get<ast::Literal>(p.module.params.at(0).default_value->node).value.as_string() ==
        "a\n  b\n");
  CHECK(p.module.functions.size() == 1);
}

TEST_CASE("parser: misspelled keywords get a suggestion", "[parser]") {
  CHECK_THAT(parse("fnc f() = 1\n").errors(), Catch::Contains("did you mean `fn`?"));
  CHECK_THAT(parse("policy \"A\" {\n  for s in services\n  wran when true\n}\n").errors(),
             Catch::Contains("did you mean `warn`?"));
  CHECK_THAT(parse("policy \"A\" {\n  deny wen true\n}\n").errors(),
             Catch::Contains("did you mean `when`?"));
  CHECK_THAT(parse("zzzzzz\n").errors(), !Catch::Contains("did you mean"));
}

TEST_CASE("parser: at most 50 syntax errors per file", "[parser][recovery]") {
  std::string text;
  for (int i = 0; i < 80; ++i) text += "policy \"P" + std::to_string(i) + "\" [\n";
  Parsed p = parse(text);
  REQUIRE(p.diags.error_count() == 51);
  CHECK(p.diags.all()[49].span.line == 50);
  CHECK(p.diags.all()[50].message == "too many syntax errors in this file; the rest is not parsed");
  CHECK(p.diags.all()[50].span.line == 51);
}
