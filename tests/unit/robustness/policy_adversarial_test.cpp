// Adversarial policy sources and expressions: 10k nested parentheses, huge literals, long
// identifiers, NUL bytes, mutated standard-library files. Each ends in a program or in located
// diagnostics, and a program is returned exactly when there was no error.
#include <catch2/catch.hpp>

#include "lang/compile/pipeline.hpp"
#include "lang/syntax/parser.hpp"
#include "runtime/documents/document_schema.hpp"
#include "runtime/eval/evaluator.hpp"
#include "tests/unit/robustness/robustness_support.hpp"

using namespace capguard;

namespace {

struct Compiled {
  std::optional<ir::Program> program;
  Diagnostics diags;
  std::string errors() const { return render(diags); }
};

Compiled compile_text(const std::string& name, const std::string& text) {
  Compiled c;
  FileId f = add_source(name, text);
  c.program = compile_policies({f}, document_schema(), c.diags, runtime_compile_options());
  return c;
}

std::string policy_with(const std::string& condition) {
  return "policy \"P-1\" {\n  title \"t\"\n  severity low\n  for s in services\n  deny when " +
         condition + "\n}\n";
}

}  // namespace

TEST_CASE("10k nested parentheses are one nesting error, not a stack overflow") {
  Compiled c = compile_text(
      "parens.policy", policy_with(std::string(10'000, '(') + "true" + std::string(10'000, ')')));
  CHECK_FALSE(c.program);
  REQUIRE(c.diags.error_count() == 1);
  CHECK(c.errors().rfind("parens.policy:5:212: error: nested too deeply (more than 200 levels",
                         0) == 0);
  CHECK(c.errors().size() < 1000);
}

TEST_CASE("deep nesting of other kinds: brackets, not, unary minus, if-then-else") {
  const std::vector<std::string> conditions = {
      std::string(5000, '[') + std::string(5000, ']') + " == []",
      [] {
        std::string s;
        for (int i = 0; i < 5000; ++i) s += "not ";
        return s + "true";
      }(),
      std::string(5000, '-') + "1 > 0",
      [] {
        std::string s;
        for (int i = 0; i < 3000; ++i) s += "if true then ";
        s += "true";
        for (int i = 0; i < 3000; ++i) s += " else false";
        return s;
      }(),
      [] {
        std::string s = "true";
        for (int i = 0; i < 20000; ++i) s += " and true";
        return s;
      }(),
  };
  for (const std::string& cond : conditions) {
    Compiled c = compile_text("deep.policy", policy_with(cond));
    CHECK(c.program.has_value() != c.diags.has_errors());
    CHECK(robustness::all_errors_located(c.diags));
  }
}

TEST_CASE("100k field accesses or indexes in a row are an error, not a stack overflow") {
  // Regression: `s.x.x.x...` and `s[0][0]...` nest left-deep without brackets and crashed the
  // checker (SIGSEGV).
  for (const std::string link : {".x", "[0]", "?.x", "?.[0]"}) {
    std::string cond = "s";
    for (int i = 0; i < 100'000; ++i) cond += link;
    Compiled c = compile_text("postfix.policy", policy_with(cond + " == 1"));
    CHECK_FALSE(c.program);
    REQUIRE(c.diags.error_count() == 1);
    CHECK(c.errors().rfind("postfix.policy:5:", 0) == 0);
  }
}

TEST_CASE("a chain of 20k `and` is an error at the operator that crosses the limit") {
  // Regression: a left-deep chain this long overflowed the stack in the checker (SIGSEGV).
  std::string cond = "true";
  for (int i = 0; i < 20000; ++i) cond += " and true";
  Compiled c = compile_text("chain.policy", policy_with(cond));
  CHECK_FALSE(c.program);
  REQUIRE(c.diags.error_count() == 1);
  CHECK(c.errors().rfind("chain.policy:5:", 0) == 0);
  CHECK(c.errors().find("more than 4000 operators, field accesses or indexes in a row") !=
        std::string::npos);
  // 1000 in a row are fine.
  std::string ok = "true";
  for (int i = 0; i < 1000; ++i) ok += " and s.privileged";
  Compiled fine = compile_text("fine.policy", policy_with(ok));
  INFO(fine.errors());
  CHECK(fine.program);
}

TEST_CASE("a huge integer literal and huge sizes are errors at the literal") {
  Compiled c = compile_text("big.policy", policy_with("1 > " + std::string(400, '9')));
  CHECK_FALSE(c.program);
  CHECK(c.errors().rfind("big.policy:5:17: error: integer literal 9999", 0) == 0);
  CHECK(c.errors().find("is too large") != std::string::npos);
  Compiled size =
      compile_text("size.policy", policy_with("s.resources.memory_bytes > 99999999999999999999G"));
  CHECK_FALSE(size.program);
  CHECK(size.errors().find("size.policy:5:") == 0);
}

TEST_CASE("NUL bytes, invalid UTF-8 and a 1 MB string literal") {
  const std::vector<std::string> texts = {
      policy_with(std::string("s.name == \"a\0b\"", 15)),
      policy_with("s.name == \"\xff\xfe\""),
      std::string("\0\0\0", 3),
      "policy \"\xc3\x28\" {}\n",
      policy_with("s.name == \"" + std::string(1'000'000, 'x') + "\""),
      policy_with("matches(s.name, \"" + std::string(100'000, '(') + "\")"),
  };
  for (const std::string& t : texts) {
    Compiled c = compile_text("bytes.policy", t);
    CHECK(c.program.has_value() != c.diags.has_errors());
    CHECK(robustness::all_errors_located(c.diags));
    CHECK(c.errors().size() < 20'000);
  }
}

TEST_CASE("mutated standard-library files: a program xor located errors") {
  std::vector<std::string> seeds = robustness::corpus("stdlib-policies", ".policy");
  REQUIRE(!seeds.empty());
  const std::vector<std::string> tokens = {
      "(",   ")",    "[",         "]",   "{",       "}",     "\"",   "\"{",   "}\"", "for x in ",
      "let", " = ",  "deny when", "fn ", "param ",  "not ",  "any(", "all(",  "\n",  "#",
      ".",   "?.",   "1e9",       "0x",  "256M",    "30s",   "ALL",  "CAP_",  ",",   "\"\"\"",
      "as",  " in ", "where",     "=>",  "import ", "test ", "\xff", "\\u{0}"};
  std::mt19937 rng(42);
  size_t ok = 0;
  for (int i = 0; i < 150; ++i) {
    std::string text = robustness::mutate(seeds[size_t(i) % seeds.size()], rng, tokens, 1 + i % 5);
    Compiled c = compile_text("m.policy", text);
    REQUIRE(c.program.has_value() != c.diags.has_errors());
    REQUIRE(robustness::all_errors_located(c.diags));
    if (c.program) ++ok;
  }
  CHECK(ok > 0);  // some mutations still compile: the good path is exercised too
}

TEST_CASE("random token soup as an expression: parsed or a located syntax error") {
  const std::vector<std::string> tokens = {
      "(",     ")",         "[",     "]",    "{",   "}",     "1",  "-",       "+",
      "*",     "/",         "%",     "==",   "<",   "and",   "or", "not",     "in",
      "\"a\"", "services",  "s",     ".",    "?.",  ",",     "if", "then",    "else",
      "any",   "all",       "count", "x",    "for", "where", ":",  "256M",    "30s",
      "ALL",   "NET_ADMIN", "true",  "null", "|",   "let",   "=",  "matches", "len"};
  std::mt19937 rng(99);
  for (int i = 0; i < 2000; ++i) {
    std::string text;
    int n = 1 + static_cast<int>(rng() % 24);
    for (int k = 0; k < n; ++k) text += tokens[rng() % tokens.size()] + " ";
    Diagnostics diags;
    ast::NodeId next_id = 1;
    FileId f = add_source("<expr>", text);
    ast::ExprPtr e = parse_expression(f, diags, next_id);
    REQUIRE((e != nullptr) != diags.has_errors());
    REQUIRE(robustness::all_errors_located(diags));
  }
}
