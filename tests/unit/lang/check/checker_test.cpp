// The checker against hand-built ASTs and a small test schema (a `services` root of `service`
// objects), so that these tests depend on neither the parser nor the real document schema.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "lang/check/checker.hpp"

using namespace capguard;
using ast::BinaryOp;
using ast::ExprPtr;

namespace {

TypePtr object(const std::string& name, std::vector<FieldDef> fields) {
  auto t = std::make_shared<Type>();
  t->kind = TypeKind::Object;
  t->object_name = name;
  t->fields = std::move(fields);
  return t;
}

TypePtr str() {
  return scalar_type(TypeKind::String);
}
TypePtr boolean() {
  return scalar_type(TypeKind::Bool);
}

const Schema& test_schema() {
  static const Schema schema = [] {
    Schema s;
    TypePtr image = object("image", {{"reference", str(), ""}, {"tag", nullable(str()), ""}});
    TypePtr caps = object("service_caps", {{"added", scalar_type(TypeKind::Caps), ""},
                                           {"dropped", scalar_type(TypeKind::Caps), ""},
                                           {"effective", scalar_type(TypeKind::Caps), ""}});
    TypePtr user = object("user", {{"raw", str(), ""},
                                   {"uid", scalar_type(TypeKind::Int, true), ""},
                                   {"gid", scalar_type(TypeKind::Int, true), ""},
                                   {"is_root", scalar_type(TypeKind::Bool, true), ""}});
    TypePtr mount = object("mount", {{"type", str(), ""},
                                     {"source", str(), ""},
                                     {"target", str(), ""},
                                     {"read_only", boolean(), ""}});
    TypePtr service = object("service", {{"name", str(), ""},
                                         {"privileged", boolean(), ""},
                                         {"read_only", boolean(), ""},
                                         {"image", image, ""},
                                         {"caps", caps, ""},
                                         {"user", user, ""},
                                         {"mounts", list_of(mount), ""},
                                         {"memory", scalar_type(TypeKind::Size, true), ""},
                                         {"environment", map_of(str()), ""}});
    s.roots["services"] = list_of(service);
    s.objects = {{"service", service}, {"mount", mount}, {"user", user}, {"image", image}};
    return s;
  }();
  return schema;
}

// Builds one module's AST. Every node gets its own line number (its id), so a test can tell
// which node a diagnostic points at.
class Builder {
 public:
  explicit Builder(std::vector<std::string> package = {}) {
    m.file = add_source("t.policy", "");
    m.package = std::move(package);
  }

  Span span() { return Span{m.file, next_line_++, 1, 1}; }

  ExprPtr make(decltype(ast::Expr::node) node) {
    auto e = std::make_unique<ast::Expr>();
    e->id = m.next_id++;
    e->span = Span{m.file, 1000 + e->id, 1, 1};
    e->node = std::move(node);
    return e;
  }
  ExprPtr lit(Value v) { return make(ast::Literal{std::move(v)}); }
  ExprPtr s(std::string text) { return lit(Value::string(std::move(text))); }
  ExprPtr i(int64_t n) { return lit(Value::integer(n)); }
  ExprPtr yes() { return lit(Value::boolean(true)); }
  ExprPtr name(std::string n) { return make(ast::Name{std::move(n)}); }
  ExprPtr field(ExprPtr obj, std::string f, bool optional = false) {
    return make(ast::Field{std::move(obj), std::move(f), optional, span()});
  }
  // "s.a.b" as a chain of fields on a name.
  ExprPtr path(const std::string& dotted) {
    size_t start = 0, dot = dotted.find('.');
    ExprPtr e = name(dotted.substr(0, dot));
    while (dot != std::string::npos) {
      start = dot + 1;
      dot = dotted.find('.', start);
      e = field(std::move(e), dotted.substr(start, dot == std::string::npos ? dot : dot - start));
    }
    return e;
  }
  ExprPtr bin(BinaryOp op, ExprPtr l, ExprPtr r) {
    return make(ast::Binary{op, std::move(l), std::move(r)});
  }
  ExprPtr not_(ExprPtr e) { return make(ast::Unary{ast::UnaryOp::Not, std::move(e)}); }
  ExprPtr index(ExprPtr obj, ExprPtr ix) {
    return make(ast::Index{std::move(obj), std::move(ix), false});
  }
  ExprPtr cond(ExprPtr c, ExprPtr a, ExprPtr b) {
    return make(ast::Conditional{std::move(c), std::move(a), std::move(b)});
  }
  template <typename... A>
  std::vector<ExprPtr> items(A... a) {
    std::vector<ExprPtr> v;
    (v.push_back(std::move(a)), ...);
    return v;
  }
  template <typename... A>
  ExprPtr list(A... a) {
    return make(ast::ListLiteral{items(std::move(a)...)});
  }
  template <typename... A>
  ExprPtr set(A... a) {
    return make(ast::SetLiteral{items(std::move(a)...)});
  }
  template <typename... A>
  ExprPtr call(std::string callee, A... a) {
    return make(ast::Call{std::move(callee), span(), items(std::move(a)...)});
  }
  ExprPtr quant(ast::QuantifierKind k, std::string var, ExprPtr coll, ExprPtr c) {
    return make(ast::Quantifier{k, std::move(var), span(), std::move(coll), std::move(c)});
  }
  ExprPtr comp(bool is_set, ExprPtr elem, std::string var, ExprPtr coll, ExprPtr filter) {
    return make(ast::Comprehension{is_set, std::move(elem), std::move(var), span(), std::move(coll),
                                   std::move(filter)});
  }

  ast::TypeRef type(std::string n, std::vector<ast::TypeRef> args = {}) {
    return ast::TypeRef{std::move(n), std::move(args), span()};
  }
  void param(std::string n, ast::TypeRef t, ExprPtr def) {
    m.params.push_back(ast::Param{std::move(n), std::move(t), std::move(def), span()});
  }
  // fn NAME(params) = body; a param's type name "" means unannotated.
  void fn(std::string n, std::vector<std::pair<std::string, std::string>> params, ExprPtr body) {
    ast::Function f;
    f.name = std::move(n);
    for (auto& [pn, pt] : params) {
      ast::FnParam p{pn, std::nullopt, span()};
      if (!pt.empty()) p.type = type(pt);
      f.params.push_back(std::move(p));
    }
    f.body = std::move(body);
    f.span = span();
    m.functions.push_back(std::move(f));
  }
  void import(std::vector<std::string> path, std::string alias) {
    m.imports.push_back(ast::Import{std::move(path), std::move(alias), span()});
  }

  // A policy with a title and severity; `body` clauses added by for_/let/deny.
  ast::Policy& policy(std::string id, bool with_meta = true) {
    ast::Policy p;
    p.id = std::move(id);
    p.id_span = span();
    p.span = p.id_span;
    if (with_meta) {
      meta(p, "title", s("A title"));
      meta(p, "severity", name("high"));
    }
    m.policies.push_back(std::move(p));
    return m.policies.back();
  }
  void meta(ast::Policy& p, std::string key, ExprPtr value) {
    p.metadata.push_back(ast::MetaEntry{std::move(key), std::move(value), span()});
  }
  void for_(ast::Policy& p, std::string var, ExprPtr coll) {
    p.body.push_back(ast::Clause{ast::ForClause{std::move(var), span(), std::move(coll)}, span()});
  }
  void let(ast::Policy& p, std::string n, ExprPtr value) {
    p.body.push_back(ast::Clause{ast::LetClause{std::move(n), span(), std::move(value)}, span()});
  }
  void deny(ast::Policy& p, ExprPtr c, ExprPtr at = nullptr) {
    ast::Rule r;
    r.condition = std::move(c);
    r.at = std::move(at);
    r.span = span();
    p.body.push_back(ast::Clause{std::move(r), span()});
  }
  // A policy `for s in services deny when COND`.
  void simple(std::string id, ExprPtr c) {
    ast::Policy& p = policy(std::move(id));
    for_(p, "s", name("services"));
    deny(p, std::move(c));
  }

  ast::Module m;

 private:
  uint32_t next_line_ = 1;
};

struct Checked {
  Diagnostics diags;
  CheckResult result;
  std::vector<std::string> messages() const {
    std::vector<std::string> out;
    for (const Diagnostic& d : diags.all()) out.push_back(d.message);
    return out;
  }
  std::string all() const {
    std::string out;
    for (const std::string& m : messages()) out += m + "\n";
    return out;
  }
  bool has(const std::string& part) const { return all().find(part) != std::string::npos; }
};

Checked run(std::vector<ast::Module> modules) {
  Checked c;
  static std::vector<std::vector<ast::Module>> keep;  // types and names point into the ASTs
  keep.push_back(std::move(modules));
  c.result = check(keep.back(), test_schema(), c.diags);
  return c;
}

Checked run(Builder& b) {
  std::vector<ast::Module> ms;
  ms.push_back(std::move(b.m));
  return run(std::move(ms));
}

std::string type_of(const Checked& c, ast::NodeId id, size_t module = 0) {
  auto it = c.result.modules[module].types.find(id);
  return it == c.result.modules[module].types.end() ? "<none>" : type_name(*it->second);
}

}  // namespace

TEST_CASE("a well-formed policy checks clean and records types", "[checker]") {
  Builder b;
  ExprPtr priv = b.path("s.privileged");
  ast::NodeId priv_id = priv->id;
  b.simple("P1", std::move(priv));
  Checked c = run(b);
  CHECK(c.all() == "");
  CHECK(type_of(c, priv_id) == "bool");
  const Resolution& r = c.result.modules[0].names.at(priv_id - 1);  // the Name `s`
  CHECK(r.kind == Resolution::Kind::Local);
}

TEST_CASE("unknown field has a did-you-mean", "[checker]") {
  Builder b;
  b.simple("P1", b.path("s.privilegd"));
  Checked c = run(b);
  REQUIRE(c.messages().size() == 1);
  CHECK(c.messages()[0] == "unknown field `privilegd` on service; did you mean `privileged`?");
}

TEST_CASE("unknown capability has a did-you-mean, known ones make caps", "[checker]") {
  Builder b;
  ExprPtr l = b.list(b.name("NET_ADMIN"), b.name("CAP_SYS_ADMIN"));
  ast::NodeId list_id = l->id;
  b.simple("P1", b.bin(BinaryOp::In, b.name("NET_BIND_SERVICES"), b.path("s.caps.effective")));
  b.simple("P2", b.bin(BinaryOp::Eq, std::move(l), b.path("s.caps.added")));
  Checked c = run(b);
  REQUIRE(c.messages().size() == 1);
  CHECK(c.messages()[0] ==
        "unknown capability `NET_BIND_SERVICES`; did you mean `NET_BIND_SERVICE`?");
  CHECK(type_of(c, list_id) == "caps");
}

TEST_CASE("int compared with size asks for a unit", "[checker]") {
  Builder b;
  b.simple("P1", b.bin(BinaryOp::Gt, b.path("s.memory"), b.i(256)));
  Checked c = run(b);
  REQUIRE(c.messages().size() == 1);
  CHECK(c.messages()[0] ==
        "cannot order size? and int with `>`; write the number with a unit, e.g. 256M");
}

TEST_CASE("size arithmetic and comparisons with units are fine", "[checker]") {
  Builder b;
  ExprPtr sum = b.bin(BinaryOp::Add, b.path("s.memory"), b.lit(Value::size(1024)));
  ast::NodeId sum_id = sum->id;
  b.simple("P1", b.bin(BinaryOp::Gt, std::move(sum),
                       b.bin(BinaryOp::Mul, b.lit(Value::size(1024)), b.i(2))));
  Checked c = run(b);
  CHECK(c.all() == "");
  CHECK(type_of(c, sum_id) == "size");
}

TEST_CASE("conditions must be bool", "[checker]") {
  Builder b;
  b.simple("P1", b.path("s.name"));
  b.simple("P2", b.bin(BinaryOp::And, b.yes(), b.i(1)));
  b.simple("P3", b.quant(ast::QuantifierKind::Any, "m", b.path("s.mounts"), b.path("m.target")));
  Checked c = run(b);
  CHECK(c.has("the condition of `deny` must be bool, got string"));
  CHECK(c.has("an operand of `and` must be bool, got int"));
  CHECK(c.has("the condition of `any` must be bool, got string"));
  CHECK(c.messages().size() == 3);
}

TEST_CASE("unknown names suggest visible ones; no cascade", "[checker]") {
  Builder b;
  b.param("allowed_images", b.type("list", {b.type("string")}), b.list(b.s("a")));
  // sevices.name would cascade without Any: one error only.
  b.simple("P1", b.bin(BinaryOp::In, b.path("s.image.reference"), b.name("allowed_image")));
  b.simple("P2", b.bin(BinaryOp::Eq, b.path("sevices.x.y"), b.i(1)));
  Checked c = run(b);
  CHECK(c.messages().size() == 2);
  CHECK(c.has("unknown name `allowed_image`; did you mean `allowed_images`?"));
  CHECK(c.has("unknown name `sevices`; did you mean `services`?"));
}

TEST_CASE("`in` rules: strings need contains(), lists need matching items", "[checker]") {
  Builder b;
  b.simple("P1", b.bin(BinaryOp::In, b.s("x"), b.path("s.name")));
  b.simple("P2", b.bin(BinaryOp::In, b.i(1), b.list(b.s("a"))));
  b.simple("P3", b.bin(BinaryOp::In, b.s("net_admin"), b.path("s.caps.added")));
  b.simple("P4", b.bin(BinaryOp::In, b.s("PATH"), b.path("s.environment")));
  Checked c = run(b);
  CHECK(c.has("`in` does not search inside strings; use contains(text, part)"));
  CHECK(c.has("`in` looks for int in list[string]: the item can never be found"));
  CHECK(c.messages().size() == 2);
}

TEST_CASE("set algebra on caps, sets and lists", "[checker]") {
  Builder b;
  ExprPtr diff = b.bin(BinaryOp::Sub, b.path("s.caps.effective"), b.list(b.name("CHOWN")));
  ast::NodeId diff_id = diff->id;
  ExprPtr uni = b.bin(BinaryOp::Union, b.set(b.s("a")), b.list(b.s("b")));
  ast::NodeId uni_id = uni->id;
  ast::Policy& p = b.policy("P1");
  b.for_(p, "s", b.name("services"));
  b.let(p, "extra", std::move(diff));
  b.let(p, "names", std::move(uni));
  b.deny(p, b.not_(b.call("empty", b.name("extra"))));
  b.simple("P2", b.bin(BinaryOp::Eq,
                       b.bin(BinaryOp::Add, b.path("s.caps.added"), b.path("s.caps.dropped")),
                       b.name("ALL")));
  Checked c = run(b);
  CHECK(type_of(c, diff_id) == "caps");
  CHECK(type_of(c, uni_id) == "set[string]");
  REQUIRE(c.messages().size() == 1);
  CHECK(c.messages()[0] ==
        "operator `+` cannot be applied to caps and caps; use `|` for the union");
}

TEST_CASE("if branches unify; mismatches are errors", "[checker]") {
  Builder b;
  ExprPtr ok = b.cond(b.yes(), b.i(1), b.lit(Value::number(1.5)));
  ast::NodeId ok_id = ok->id;
  b.simple("P1", b.bin(BinaryOp::Gt, std::move(ok), b.i(0)));
  b.simple("P2", b.bin(BinaryOp::Eq, b.cond(b.yes(), b.i(1), b.s("x")), b.i(1)));
  Checked c = run(b);
  CHECK(type_of(c, ok_id) == "float");
  REQUIRE(c.messages().size() == 1);
  CHECK(c.messages()[0] == "the branches of `if` have different types: int and string");
}

TEST_CASE("comprehensions and quantifiers bind their variable", "[checker]") {
  Builder b;
  ExprPtr targets =
      b.comp(false, b.path("m.target"), "m", b.path("s.mounts"), b.not_(b.path("m.read_only")));
  ast::NodeId targets_id = targets->id;
  ExprPtr n = b.quant(ast::QuantifierKind::Count, "m", b.path("s.mounts"), nullptr);
  ast::NodeId count_id = n->id;
  ast::Policy& p = b.policy("P1");
  b.for_(p, "s", b.name("services"));
  b.let(p, "targets", std::move(targets));
  b.deny(p, b.bin(BinaryOp::Gt, std::move(n), b.i(3)));
  // The variable is not visible after the comprehension.
  b.simple("P2", b.bin(BinaryOp::And,
                       b.quant(ast::QuantifierKind::All, "e", b.path("s.environment"),
                               b.bin(BinaryOp::Eq, b.path("e.key"), b.s("X"))),
                       b.path("e.value")));
  Checked c = run(b);
  CHECK(type_of(c, targets_id) == "list[string]");
  CHECK(type_of(c, count_id) == "int");
  REQUIRE(c.messages().size() == 1);
  CHECK(c.messages()[0] == "unknown name `e`");
}

TEST_CASE("shadowing params, built-ins and locals is an error", "[checker]") {
  Builder b;
  b.param("limit", b.type("int"), b.i(3));
  ast::Policy& p = b.policy("P1");
  b.for_(p, "s", b.name("services"));
  b.let(p, "limit", b.i(1));
  b.let(p, "len", b.i(1));
  b.let(p, "s", b.i(1));
  b.deny(p, b.yes());
  Checked c = run(b);
  CHECK(c.has("local variable `limit` shadows the param `limit`"));
  CHECK(c.has("local variable `len` shadows the built-in function `len`"));
  CHECK(c.has("`s` is already bound"));
  CHECK(c.messages().size() == 3);
  for (const Diagnostic& d : c.diags.all()) {
    if (d.message.find("param") != std::string::npos) CHECK(d.notes.size() == 1);
  }
}

TEST_CASE("built-in calls: arity and argument types", "[checker]") {
  Builder b;
  b.simple("P1", b.call("starts_with", b.path("s.name")));
  b.simple("P2", b.call("starts_with", b.path("s.name"), b.i(1)));
  b.simple("P3", b.call("start_with", b.path("s.name"), b.s("x")));
  Checked c = run(b);
  CHECK(c.has("`starts_with` takes 2 arguments, got 1"));
  CHECK(c.has("unknown function `start_with`; did you mean `starts_with`?"));
  CHECK(c.has("argument 2 of starts_with must be a string, got int"));
  CHECK(c.messages().size() == 3);
  // The resolution of a built-in call.
  bool found_builtin = false;
  for (const auto& [id, r] : c.result.modules[0].names) {
    if (r.kind == Resolution::Kind::Builtin && r.qualified == "starts_with") found_builtin = true;
  }
  CHECK(found_builtin);
}

TEST_CASE("user functions: arity, declared types, per-call-site checking", "[checker]") {
  Builder b({"acme"});
  b.fn("is_root", {{"s", "service"}},
       b.bin(BinaryOp::Ne, b.path("s.user.is_root"), b.lit(Value::boolean(false))));
  // Unannotated: the body is checked for each argument type.
  b.fn("bigger", {{"a", ""}, {"b", ""}}, b.bin(BinaryOp::Gt, b.name("a"), b.name("b")));
  b.simple("P1", b.call("is_root", b.name("s")));
  b.simple("P2", b.call("is_root", b.path("s.name")));
  b.simple("P3", b.call("is_root"));
  b.simple("P4", b.call("bigger", b.path("s.memory"), b.lit(Value::size(5))));
  b.simple("P5", b.call("bigger", b.path("s.memory"), b.i(5)));
  Checked c = run(b);
  CHECK(c.has("argument 1 of `is_root` must be service, got string"));
  CHECK(c.has("`is_root` takes 1 argument, got 0"));
  CHECK(c.has("cannot order size? and int with `>`; write the number with a unit, e.g. 256M"));
  CHECK(c.messages().size() == 3);
  for (const Diagnostic& d : c.diags.all()) {
    if (d.message.find("cannot order") == 0) {
      REQUIRE(d.notes.size() == 1);
      CHECK(d.notes[0].message == "in `bigger` called here with (size?, int)");
    }
  }
  bool found = false;
  for (const auto& [id, r] : c.result.modules[0].names) {
    if (r.kind == Resolution::Kind::Function && r.qualified == "acme.is_root") found = true;
  }
  CHECK(found);
}

TEST_CASE("recursion, direct and indirect, names the cycle", "[checker]") {
  Builder b;
  b.fn("f", {{"x", ""}}, b.call("g", b.name("x")));
  b.fn("g", {{"x", ""}}, b.call("f", b.name("x")));
  b.fn("h", {{"x", ""}}, b.call("h", b.name("x")));
  b.fn("ok", {{"x", ""}}, b.call("f", b.name("x")));
  Checked c = run(b);
  CHECK(c.has("function `f` is recursive: `f` -> `g` -> `f`; recursion is not allowed"));
  CHECK(c.has("function `h` is recursive: `h` -> `h`; recursion is not allowed"));
  CHECK(c.messages().size() == 2);
}

TEST_CASE("imports resolve functions and params of other packages", "[checker]") {
  Builder lib({"acme", "lib"});
  lib.param("limit", lib.type("size"), lib.lit(Value::size(1 << 20)));
  lib.fn("too_big", {{"m", "size"}}, lib.bin(BinaryOp::Gt, lib.name("m"), lib.name("limit")));
  Builder use({"acme", "policies"});
  use.import({"acme", "lib"}, "l");
  use.import({"acme", "nope"}, "n");
  use.simple("P1", use.call("l.too_big", use.path("s.memory")));
  use.simple("P2", use.bin(BinaryOp::Gt, use.path("s.memory"), use.path("l.limit")));
  use.simple("P3", use.call("l.to_big", use.path("s.memory")));
  use.simple("P4", use.bin(BinaryOp::Gt, use.path("s.memory"), use.path("l.limt")));
  use.simple("P5", use.call("x.too_big", use.path("s.memory")));
  std::vector<ast::Module> ms;
  ms.push_back(std::move(lib.m));
  ms.push_back(std::move(use.m));
  Checked c = run(std::move(ms));
  CHECK(c.has("unknown package `acme.nope`"));
  CHECK(c.has("package `acme.lib` has no function `to_big`; did you mean `too_big`?"));
  CHECK(c.has("package `acme.lib` has no param `limt`; did you mean `limit`?"));
  CHECK(c.has("unknown package alias `x`"));
  CHECK(c.messages().size() == 4);
  bool param = false, fn = false;
  for (const auto& [id, r] : c.result.modules[1].names) {
    if (r.kind == Resolution::Kind::Param && r.qualified == "acme.lib.limit") param = true;
    if (r.kind == Resolution::Kind::Function && r.qualified == "acme.lib.too_big") fn = true;
  }
  CHECK(param);
  CHECK(fn);
}

TEST_CASE("duplicates point at both places", "[checker]") {
  Builder a({"p"});
  a.param("x", a.type("int"), a.i(1));
  a.param("x", a.type("int"), a.i(2));
  a.fn("f", {}, a.yes());
  a.simple("P1", a.yes());
  Builder b({"p"});
  b.fn("f", {}, b.yes());
  b.simple("P1", b.yes());
  std::vector<ast::Module> ms;
  ms.push_back(std::move(a.m));
  ms.push_back(std::move(b.m));
  Checked c = run(std::move(ms));
  CHECK(c.has("duplicate param `x`"));
  CHECK(c.has("duplicate function `f`"));
  CHECK(c.has("duplicate policy id `P1`"));
  CHECK(c.messages().size() == 3);
  for (const Diagnostic& d : c.diags.all()) {
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0].message == "first declared here");
  }
}

TEST_CASE("policy metadata: keys, duplicates, required, severity, lists", "[checker]") {
  Builder b;
  ast::Policy& p = b.policy("P1", false);
  b.meta(p, "titel", b.s("x"));
  b.meta(p, "severity", b.name("hgh"));
  b.meta(p, "tags", b.list(b.s("a"), b.i(1)));
  b.meta(p, "description", b.s("a"));
  b.meta(p, "description", b.s("b"));
  b.deny(p, b.yes());
  ast::Policy& q = b.policy("P2", false);
  b.meta(q, "title", b.i(3));
  b.meta(q, "severity", b.s("critical"));
  b.meta(q, "references", b.list(b.s("CIS 5.4")));
  Checked c = run(b);
  CHECK(c.has("unknown metadata `titel`; did you mean `title`?"));
  CHECK(c.has(
      "unknown severity `hgh`; did you mean `high`? (one of info, low, medium, high, critical)"));
  CHECK(c.has("`tags` must be a list of strings"));
  CHECK(c.has("duplicate metadata `description`"));
  CHECK(c.has("policy `P1` has no `title`"));
  CHECK(c.has("`title` must be a string"));
  CHECK(c.has("policy `P2` has no `deny` or `warn` rule"));
  CHECK(c.messages().size() == 7);
}

TEST_CASE("params: known types, defaults of the declared type", "[checker]") {
  Builder b;
  b.param("a", b.type("caps"), b.list(b.name("CHOWN"), b.name("NET_RAW")));
  b.param("b", b.type("caps"), b.list(b.s("chown"), b.s("NET_RAWW")));
  b.param("c", b.type("size"), b.i(512));
  b.param("d", b.type("lst", {b.type("string")}), b.list());
  b.param("e", b.type("set", {b.type("string")}), b.list(b.s("x")));
  b.param("f", b.type("list", {b.type("int")}), b.list(b.s("x")));
  b.param("g", b.type("service"), b.name("services"));
  b.param("h", b.type("int"), b.name("a"));
  Checked c = run(b);
  CHECK(c.has("unknown capability `NET_RAWW`; did you mean `NET_RAW`?"));
  CHECK(c.has("the default of param `c` must be size, got int; write a unit, e.g. 256M"));
  CHECK(c.has("unknown type `lst`; did you mean `list`?"));
  CHECK(c.has("the default of param `f` must be list[int], got list[string]"));
  CHECK(c.has("only constants are allowed here; `services` is the document"));
  CHECK(c.has("only constants are allowed here; `a` is a param"));
  CHECK(c.messages().size() == 6);
}

TEST_CASE("tests: overrides, expectations, missing parts", "[checker]") {
  Builder b;
  b.param("limit", b.type("size"), b.lit(Value::size(1024)));
  b.simple("CG-1", b.yes());
  ast::Test t;
  t.name = "t1";
  t.span = b.span();
  t.params.push_back(ast::TestParam{"limt", b.lit(Value::size(1)), b.span()});
  t.params.push_back(ast::TestParam{"limit", b.s("x"), b.span()});
  t.inputs.push_back(ast::TestInput{ast::InputKind::Compose, false, "services: {}", b.span()});
  ast::Expectation x1;
  x1.policy = "CG-2";
  x1.span = b.span();
  ast::Expectation x2;
  x2.policy = "CG-1";
  x2.kind = RuleKind::Warn;
  x2.span = b.span();
  t.expectations.push_back(x1);
  t.expectations.push_back(x2);
  b.m.tests.push_back(std::move(t));
  ast::Test empty;
  empty.name = "t1";
  empty.span = b.span();
  b.m.tests.push_back(std::move(empty));
  Checked c = run(b);
  CHECK(c.has("unknown param `limt`; did you mean `limit`?"));
  CHECK(c.has("the value of param `limit` must be size, got string"));
  CHECK(c.has("unknown policy `CG-2`; did you mean `CG-1`?"));
  CHECK(c.has("policy `CG-1` has no `warn` rule, so this expectation can never hold"));
  CHECK(c.has("duplicate test name \"t1\""));
  CHECK(c.has("test `t1` has no `input`"));
  CHECK(c.has("test `t1` has no `expect`"));
  CHECK(c.messages().size() == 7);
}

TEST_CASE("diagnostics come out in source order", "[checker]") {
  Builder b;
  b.simple("P1", b.path("s.b1"));
  b.simple("P2", b.path("s.b2"));
  b.fn("f", {}, b.name("nope"));  // checked in an earlier pass, declared later
  Checked c = run(b);
  REQUIRE(c.messages().size() == 3);
  for (size_t i = 1; i < c.diags.all().size(); ++i) {
    CHECK(c.diags.all()[i - 1].span.line <= c.diags.all()[i].span.line);
  }
}

TEST_CASE("index, optional access and maps", "[checker]") {
  Builder b;
  ExprPtr env = b.index(b.path("s.environment"), b.s("PATH"));
  ast::NodeId env_id = env->id;
  b.simple("P1", b.bin(BinaryOp::Eq, std::move(env), b.s("x")));
  b.simple("P2", b.bin(BinaryOp::Eq, b.index(b.path("s.mounts"), b.s("x")), b.lit(Value())));
  b.simple("P3", b.bin(BinaryOp::Eq, b.field(b.path("s.environment"), "HOME", true), b.s("x")));
  b.simple("P4", b.bin(BinaryOp::Eq, b.field(b.path("s.name"), "x"), b.s("x")));
  Checked c = run(b);
  CHECK(type_of(c, env_id) == "string?");
  CHECK(c.has("an index into list[mount] must be an int, got string"));
  CHECK(c.has("cannot access field `x` on string"));
  CHECK(c.messages().size() == 2);
}
