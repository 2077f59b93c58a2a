// runtime/eval/regex_set: `any(p in LIST where matches(SUBJECT, PATTERN(p)))` by one RE2::Set
// search gives what the element-by-element evaluation gives: the same findings, the same errors
// at the same nodes, and the same step budget spent (compared at every budget around the cost).

#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "lang/compile/pipeline.hpp"
#include "runtime/documents/document_schema.hpp"
#include "runtime/documents/inputs.hpp"
#include "runtime/eval/evaluator.hpp"

using namespace capguard;

namespace {

const char* kPolicies =
    R"(param pats: list[string] = [".*PASSWORD.*", ".*TOKEN.*", "(?:.*_)?PASS", ".*_PWD"]
param exceptions: list[string] = [".*_FILE"]
param broken: list[string] = ["B.*", "[", "C"]

fn name_matches(name, patterns) = any(p in patterns where matches(name, "(?i)^(?:" + p + ")$"))

policy "T-1" {
  title "names"
  severity low
  for s in services
  for e in s.environment
  deny when name_matches(e.key, pats) and not name_matches(e.key, exceptions)
    message "{s.name} {e.key}"
}

policy "T-2" {
  title "values, some null"
  severity low
  for s in services
  for e in s.environment
  deny when any(p in pats where matches(e.value, p))
    message "{s.name} {e.key} value"
}

policy "T-3" {
  title "an invalid pattern after a matching one"
  severity low
  for s in services
  for e in s.environment
  deny when any(p in broken where matches(e.key, "^" + p))
    message "{s.name} {e.key} broken"
}
)";

const char* kCompose = R"(services:
  web:
    image: nginx:1.27
    environment:
      DB_PASSWORD: a
      API_TOKEN: b
      PATH: c
      MYSQL_PWD: TOKEN1
      PASS: e
      SECRET_PASSWORD_FILE: /run/secrets/x
      BYPASS: f
      NOTHING:
  db:
    image: postgres:16
    environment: [B_PASS=2, A=1, C, Cx=password]
)";

std::string describe(const EvalResult& r) {
  std::string out;
  for (const Finding& f : r.findings) {
    out += std::string(f.policy) + " " + std::string(f.message) + " @" +
           std::to_string(f.span.line) + "\n";
  }
  for (const EvalError& e : r.errors) {
    out += "error " + e.policy + " " + e.service + " " + e.message + " @" +
           std::to_string(e.policy_span.line) + ":" + std::to_string(e.policy_span.column) + "\n";
  }
  return out;
}

bool has_regex_set(const ir::Expr& e) {
  if (e.regex_set) return true;
  for (const ir::Expr& a : e.args) {
    if (has_regex_set(a)) return true;
  }
  return false;
}

// The policies of `text` compiled with the evaluator's regex sets (`fast`) and without
// (`slow`, element by element), their default params, and the compose text `compose` loaded.
struct Both {
  std::optional<ir::Program> fast, slow;
  std::vector<Value> fast_params, slow_params;
  LoadedInput in;
};

Both compile_both(const char* name, const char* text, const char* compose) {
  Diagnostics diags;
  FileId file = add_source(name, text);
  CompileOptions with_set = runtime_compile_options();
  CompileOptions without = runtime_compile_options();
  without.make_regex_set_cache = nullptr;
  Both b;
  b.fast = compile_policies({file}, document_schema(), diags, with_set);
  b.slow = compile_policies({file}, document_schema(), diags, without);
  INFO(render(diags));
  REQUIRE(b.fast);
  REQUIRE(b.slow);
  b.fast_params = b.fast->default_params();
  b.slow_params = b.slow->default_params();
  b.in = load_input_text("compose.yaml", compose, InputFormat::Compose, diags);
  REQUIRE(b.in.ok);
  return b;
}

}  // namespace

TEST_CASE("regex set: the same findings, errors and step budget as element by element") {
  Both b = compile_both("regex_set.policy", kPolicies, kCompose);
  const std::optional<ir::Program>& fast = b.fast;
  const std::optional<ir::Program>& slow = b.slow;
  size_t nodes = 0;
  for (const ir::Policy& p : fast->policies) {
    for (const ir::Step& s : p.steps) nodes += has_regex_set(s.expr) ? 1 : 0;
  }
  CHECK(nodes == 3);  // every policy's rule holds one
  for (const ir::Policy& p : slow->policies) {
    for (const ir::Step& s : p.steps) CHECK_FALSE(has_regex_set(s.expr));
  }

  const std::vector<Value>& slow_params = b.slow_params;
  const std::vector<Value>& fast_params = b.fast_params;
  const LoadedInput& in = b.in;
  std::string expected = describe(evaluate(*slow, in.document, slow_params, in.name));
  INFO(expected);
  CHECK(expected.find("T-1 web DB_PASSWORD") != std::string::npos);
  CHECK(expected.find("T-1 web BYPASS") == std::string::npos);
  CHECK(expected.find("T-1 web SECRET_PASSWORD_FILE") == std::string::npos);
  CHECK(expected.find("T-2 web MYSQL_PWD value") != std::string::npos);
  CHECK(expected.find("T-3 db B_PASS broken") != std::string::npos);  // "B.*" matches first
  CHECK(expected.find("error T-3") != std::string::npos);             // "[" for the others
  // Twice: the first run measures an element's cost and builds the sets, the second uses them.
  for (int run = 0; run < 2; ++run) {
    CHECK(describe(evaluate(*fast, in.document, fast_params, in.name)) == expected);
  }

  // Every step budget up to past the whole cost: the budget runs out at the same node, after
  // the same findings, with or without the set.
  for (uint64_t budget = 1; budget < 3000; ++budget) {
    EvalOptions options;
    options.step_budget = budget;
    std::string slow_result = describe(evaluate(*slow, in.document, slow_params, in.name, options));
    std::string fast_result = describe(evaluate(*fast, in.document, fast_params, in.name, options));
    INFO("budget " << budget);
    REQUIRE(fast_result == slow_result);
  }
}

// ASCII patterns are searched in Latin-1 for ASCII subjects, and in UTF-8 (as matches() does)
// for the others, where the two differ: `.` is one character of two bytes, (?i)k matches the
// Kelvin sign, a negated class counts characters. A pattern that is not ASCII: UTF-8 always.
TEST_CASE("regex set: subjects that are not ASCII get the UTF-8 answer") {
  const char* policies =
      R"(param ascii: list[string] = ["^.$", "(?i)^k$", "^[^a]{2}$", "^zz$"]
param accented: list[string] = ["^é$", "^q$"]

policy "U-1" {
  title "ASCII patterns"
  severity low
  for s in services
  for e in s.environment
  deny when any(p in ascii where matches(e.value, p))
    message "{e.key}"
}

policy "U-2" {
  title "a pattern that is not ASCII"
  severity low
  for s in services
  for e in s.environment
  deny when any(p in accented where matches(e.value, p))
    message "{e.key} accented"
}
)";
  const char* compose =
      "services:\n  web:\n    image: nginx:1.27\n    environment:\n"
      "      ONE_CHAR: \"\xC3\xA9\"\n"    // é: one character, two bytes
      "      KELVIN: \"\xE2\x84\xAA\"\n"  // U+212A, which (?i)k matches
      "      TWO_CHARS: \"x\xC3\xA9\"\n"  // two characters, three bytes
      "      ASCII_K: k\n"
      "      ASCII_TWO: bb\n"
      "      ASCII_NONE: abc\n"
      "      Q: q\n";
  Both b = compile_both("regex_set_utf8.policy", policies, compose);
  std::string expected = describe(evaluate(*b.slow, b.in.document, b.slow_params, b.in.name));
  INFO(expected);
  for (const char* key : {"U-1 ONE_CHAR", "U-1 KELVIN", "U-1 TWO_CHARS", "U-1 ASCII_K",
                          "U-1 ASCII_TWO", "U-2 ONE_CHAR accented", "U-2 Q accented"}) {
    CHECK(expected.find(key) != std::string::npos);
  }
  CHECK(expected.find("ASCII_NONE") == std::string::npos);
  for (int run = 0; run < 2; ++run) {
    CHECK(describe(evaluate(*b.fast, b.in.document, b.fast_params, b.in.name)) == expected);
  }
}
