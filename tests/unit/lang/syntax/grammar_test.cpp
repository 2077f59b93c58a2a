// The grammar itself (lang/syntax/grammar.hpp): no left recursion or empty loops, and the shapes of
// expressions it produces: precedence, associativity, literals and their values.
#include <catch2/catch.hpp>
#include <tao/pegtl/contrib/analyze.hpp>

#include "lang/syntax/ast_dump.hpp"
#include "lang/syntax/grammar.hpp"
#include "lang/syntax/parser.hpp"

using namespace capguard;

namespace {

// The expression's dump without positions, on one line: "(+ (int 1) (* (int 2) (int 3)))".
std::string shape(const std::string& text) {
  Diagnostics diags;
  ast::NodeId next_id = 1;
  ast::ExprPtr e = parse_expression(add_source("<expr>", text), diags, next_id);
  if (!e) return "error: " + render(diags);
  std::string dump = dump_expr(*e), out;
  bool in_string = false;
  for (size_t i = 0; i < dump.size(); ++i) {
    char c = dump[i];
    if (c == '"' && (i == 0 || dump[i - 1] != '\\')) in_string = !in_string;
    if (!in_string && c == ' ' && i + 1 < dump.size() && dump[i + 1] == '@') {
      while (i + 1 < dump.size() && dump[i + 1] != ')' && dump[i + 1] != '\n') ++i;
      continue;
    }
    if (!in_string && c == '\n') {
      while (i + 1 < dump.size() && dump[i + 1] == ' ') ++i;
      if (i + 1 < dump.size() && dump[i + 1] != ')') out += ' ';
      continue;
    }
    out += c;
  }
  return out;
}

// The literal value of a one-literal expression, or a null Value with the diagnostic in `error`.
Value literal(const std::string& text, std::string* error = nullptr) {
  Diagnostics diags;
  ast::NodeId next_id = 1;
  ast::ExprPtr e = parse_expression(add_source("<lit>", text), diags, next_id);
  if (error) *error = render(diags);
  if (!e || diags.has_errors()) return Value();
  return std::get<ast::Literal>(e->node).value;
}

}  // namespace

TEST_CASE("grammar: no rule can loop without consuming input", "[grammar]") {
  CHECK(tao::pegtl::analyze<grammar::module>() == 0);
  CHECK(tao::pegtl::analyze<grammar::expression_input>() == 0);
  CHECK(tao::pegtl::analyze<grammar::template_expression>() == 0);
}

TEST_CASE("precedence: arithmetic binds tighter than set algebra and comparison", "[grammar]") {
  CHECK(shape("1 + 2 * 3") == "(+ (int 1) (* (int 2) (int 3)))");
  CHECK(shape("(1 + 2) * 3") == "(* (+ (int 1) (int 2)) (int 3))");
  CHECK(shape("a | b & c") == "(| (name a) (& (name b) (name c)))");
  CHECK(shape("a & b + c") == "(& (name a) (+ (name b) (name c)))");
  CHECK(shape("a | b == c") == "(== (| (name a) (name b)) (name c))");
  CHECK(shape("x % 2 == 0") == "(== (% (name x) (int 2)) (int 0))");
}

TEST_CASE("precedence: boolean operators", "[grammar]") {
  CHECK(shape("a or b and c") == "(or (name a) (and (name b) (name c)))");
  CHECK(shape("not a and b") == "(and (not (name a)) (name b))");
  CHECK(shape("not a == b") == "(not (== (name a) (name b)))");
  CHECK(shape("not not a") == "(not (not (name a)))");
  CHECK(shape("x not in xs or y in ys") ==
        "(or (not-in (name x) (name xs)) (in (name y) (name ys)))");
  CHECK(shape("if a then b else c or d") == "(if (name a) (name b) (or (name c) (name d)))");
}

TEST_CASE("associativity: binary operators group to the left", "[grammar]") {
  CHECK(shape("a - b - c") == "(- (- (name a) (name b)) (name c))");
  CHECK(shape("a / b * c") == "(* (/ (name a) (name b)) (name c))");
  CHECK(shape("a or b or c") == "(or (or (name a) (name b)) (name c))");
}

TEST_CASE("comparisons do not chain", "[grammar]") {
  CHECK_THAT(shape("a < b < c"), Catch::Contains("comparisons do not chain"));
  CHECK_THAT(shape("a == b != c"), Catch::Contains("<expr>:1:8: error"));
}

TEST_CASE("postfix: fields, optional access, indexing and calls", "[grammar]") {
  CHECK(shape("-s.user.uid") == "(neg (field uid (field user (name s))))");
  CHECK(shape("s.user?.uid") == "(field? uid (field user (name s)))");
  CHECK(shape("xs?[0].name") == "(field name (index? (name xs) (int 0)))");
  CHECK(shape("c.runs_as_root(s)") == "(call c.runs_as_root (name s))");
  CHECK(shape("f()") == "(call f)");
  CHECK(shape("starts_with(p, \"/\",)") == "(call starts_with (name p) (string \"/\"))");
  CHECK_THAT(shape("s.a.b(1)"), Catch::Contains("only a function can be called"));
  CHECK(shape("s.count") == "(field count (name s))");  // keywords are fine as field names
}

TEST_CASE("collections, quantifiers and comprehensions", "[grammar]") {
  CHECK(shape("[]") == "(list)");
  CHECK(shape("{}") == "(set)");
  CHECK(shape("[NET_ADMIN, CAP_SYS_ADMIN,]") == "(list (name NET_ADMIN) (name CAP_SYS_ADMIN))");
  CHECK(shape("{1, 2}") == "(set (int 1) (int 2))");
  CHECK(shape("any(m in s.mounts where m.rw)") ==
        "(any m (field mounts (name s)) (field rw (name m)))");
  CHECK(shape("count(p in ports)") == "(count p (name ports))");
  CHECK(shape("[p.target for p in ports where p.published]") ==
        "(list-for p (field target (name p)) (name ports) (where (field published (name p))))");
  CHECK(shape("{x for x in xs}") == "(set-for x (name x) (name xs))");
  CHECK_THAT(shape("any(x in xs)"), Catch::Contains("expected `where`"));
  CHECK_THAT(shape("[x for x in xs"), Catch::Contains("expected `,`, `for` or `]`"));
}

TEST_CASE("keywords are not identifiers", "[grammar]") {
  CHECK_THAT(shape("deny"), Catch::Contains("expected an expression"));
  CHECK_THAT(shape("x + where"), Catch::Contains("expected an expression after the operator"));
  CHECK(shape("denylist") == "(name denylist)");
}

TEST_CASE("literals: numbers, booleans, null", "[grammar][literals]") {
  CHECK(literal("42") == Value::integer(42));
  CHECK(literal("42").kind() == Kind::Int);
  CHECK(literal("1.5") == Value::number(1.5));
  CHECK(literal("true") == Value::boolean(true));
  CHECK(literal("null").is_null());
  CHECK(literal("9223372036854775807") == Value::integer(INT64_MAX));
  std::string error;
  literal("9223372036854775808", &error);
  CHECK_THAT(error,
             Catch::Contains("<lit>:1:1: error: integer literal 9223372036854775808 is too large"));
}

TEST_CASE("literals: sizes are binary", "[grammar][literals]") {
  constexpr int64_t Ki = 1024, Mi = Ki * 1024, Gi = Mi * 1024, Ti = Gi * 1024;
  CHECK(literal("256M").kind() == Kind::Size);
  CHECK(literal("256M").as_int() == 256 * Mi);
  CHECK(literal("1Gi").as_int() == Gi);
  CHECK(literal("512MiB").as_int() == 512 * Mi);
  CHECK(literal("256MB").as_int() == 256 * Mi);
  CHECK(literal("64K").as_int() == 64 * Ki);
  CHECK(literal("2T").as_int() == 2 * Ti);
  CHECK(literal("100B").as_int() == 100);
  CHECK(literal("1.5G").as_int() == Gi + Gi / 2);
  std::string error;
  literal("12X", &error);
  CHECK_THAT(error, Catch::Contains("unknown unit `X` in `12X`"));
  literal("1mb", &error);
  CHECK_THAT(error, Catch::Contains("unknown unit `mb`"));
  literal("99999999999T", &error);
  CHECK_THAT(error, Catch::Contains("too large"));
}

TEST_CASE("literals: durations are Go's", "[grammar][literals]") {
  constexpr int64_t ms = 1000000, s = 1000 * ms;
  CHECK(literal("500ms").kind() == Kind::Duration);
  CHECK(literal("500ms").as_int() == 500 * ms);
  CHECK(literal("30s").as_int() == 30 * s);
  CHECK(literal("1m30s").as_int() == 90 * s);
  CHECK(literal("2h").as_int() == 7200 * s);
  CHECK(literal("1h30m").as_int() == 5400 * s);
  CHECK(literal("250us").as_int() == 250000);
  CHECK(literal("7ns").as_int() == 7);
  CHECK(literal("1m").kind() == Kind::Duration);  // m is minutes; M is mebibytes
  CHECK(literal("1M").kind() == Kind::Size);
  std::string error;
  literal("3d", &error);
  CHECK_THAT(error, Catch::Contains("unknown unit `d`"));
}

TEST_CASE("literals: strings", "[grammar][literals]") {
  CHECK(literal(R"("a\"b\\c\n\t")").as_string() == "a\"b\\c\n\t");
  CHECK(literal(R"("\u{41}\u{e9}")").as_string() == "A\xc3\xa9");
  CHECK(literal("\"\"").as_string().empty());
  std::string error;
  literal(R"("\u{110000}")", &error);
  CHECK_THAT(error, Catch::Contains("is not a Unicode character"));
  literal(R"("\q")", &error);
  CHECK_THAT(error, Catch::Contains("<lit>:1:3: error: unknown escape sequence"));
  literal("\"abc\n\"", &error);
  CHECK_THAT(error, Catch::Contains("<lit>:1:1: error: unterminated string"));
}

TEST_CASE("literals: triple-quoted strings drop the first newline and common indentation",
          "[grammar][literals]") {
  CHECK(literal("\"\"\"\n    services:\n      web: {}\n    \"\"\"").as_string() ==
        "services:\n  web: {}\n");
  CHECK(literal("\"\"\"one line\"\"\"").as_string() == "one line");
  CHECK(literal("\"\"\"\n  a\n\n    b\n  \"\"\"").as_string() == "a\n\n  b\n");
  CHECK(literal(R"("""raw \n "quotes" kept""")").as_string() == R"(raw \n "quotes" kept)");
  std::string error;
  literal("\"\"\"never closed\n", &error);
  CHECK_THAT(error, Catch::Contains("<lit>:1:1: error: unterminated string: no closing"));
}

TEST_CASE("nesting is bounded instead of exhausting the stack", "[grammar]") {
  auto nested = [](int n, const std::string& open, const std::string& close) {
    std::string text;
    for (int i = 0; i < n; ++i) text += open;
    text += "1";
    for (int i = 0; i < n; ++i) text += close;
    return text;
  };
  CHECK_THAT(shape(nested(198, "(", ")")), Catch::StartsWith("(int 1)"));
  CHECK_THAT(shape(nested(198, "-", "")), Catch::EndsWith("(int 1)" + std::string(198, ')')));
  CHECK_THAT(shape(nested(201, "(", ")")), Catch::Contains("error: nested too deeply"));
  CHECK_THAT(shape(nested(100000, "(", ")")), Catch::Contains("error: nested too deeply"));
  CHECK_THAT(shape(nested(100000, "[", "]")), Catch::Contains("error: nested too deeply"));
  CHECK_THAT(shape(nested(100000, "-", "")), Catch::Contains("error: nested too deeply"));
  CHECK_THAT(shape(nested(100000, "not ", "")), Catch::Contains("error: nested too deeply"));
  CHECK_THAT(shape(nested(100000, "f(", ")")), Catch::Contains("error: nested too deeply"));
}
