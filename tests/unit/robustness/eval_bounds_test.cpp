// Evaluation is bounded in memory as well as in steps: a policy that doubles a string or a list
// with chained `let`s stops with a runtime error at the operation that crosses the bound.
#include <chrono>

#include <catch2/catch.hpp>

#include "lang/compile/pipeline.hpp"
#include "runtime/documents/document_schema.hpp"
#include "runtime/documents/inputs.hpp"
#include "runtime/eval/evaluator.hpp"

using namespace capguard;

namespace {

// `let a0 = SEED`, then 40 doublings `let aN = DOUBLE(aN-1)`, then a rule that reads a40.
EvalResult run_doubling(const std::string& name, const std::string& seed,
                        const std::string& double_expr, const std::string& tail = "",
                        int doublings = 40) {
  std::string text = "policy \"DOUBLE-1\" {\n  title \"t\"\n  severity low\n  for s in services\n";
  text += "  let a0 = " + seed + "\n";
  for (int i = 1; i <= doublings; ++i) {
    std::string prev = "a" + std::to_string(i - 1);
    std::string expr = double_expr;
    for (size_t at = expr.find('X'); at != std::string::npos; at = expr.find('X', at + prev.size()))
      expr.replace(at, 1, prev);
    text += "  let a" + std::to_string(i) + " = " + expr + "\n";
  }
  text += tail.empty() ? "  deny when len(a40) > 0\n}\n" : tail;
  Diagnostics diags;
  FileId file = add_source(name, text);
  std::optional<ir::Program> program =
      compile_policies({file}, document_schema(), diags, runtime_compile_options());
  INFO(render(diags));
  REQUIRE(program);
  LoadedInput in = load_input_text("in.yaml", "services:\n  web: {image: nginx:1.27}\n",
                                   InputFormat::Compose, diags);
  REQUIRE(in.ok);
  return evaluate(*program, in.document, {}, in.name);
}

}  // namespace

TEST_CASE("a string doubled 40 times is a runtime error, not an out-of-memory abort") {
  EvalResult r = run_doubling("strings.policy", "s.name", "X + X");
  CHECK(r.findings.empty());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("longer than") != std::string::npos);
}

TEST_CASE("a list doubled 40 times is a runtime error") {
  EvalResult r = run_doubling("lists.policy", "[s.name]", "X + X");
  CHECK(r.findings.empty());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("more than") != std::string::npos);
}

TEST_CASE("join and replace are bounded too") {
  EvalResult joined = run_doubling("join.policy", "s.name", "join([X, X], X)");
  REQUIRE(joined.errors.size() == 1);
  CHECK(joined.errors[0].message.find("longer than") != std::string::npos);
  EvalResult replaced = run_doubling("replace.policy", "\"ab\"", "replace(X, \"a\", X)");
  REQUIRE(replaced.errors.size() == 1);
  CHECK(replaced.errors[0].message.find("longer than") != std::string::npos);
}

TEST_CASE("a message interpolating a huge list is clipped, not an out-of-memory abort") {
  // 22 doublings make a 12 MiB string; a list of a million references to it is cheap (values
  // share their text), but displaying it in full would take 12 TiB.
  std::string tail = "  let l0 = [a22]\n";
  for (int i = 1; i <= 19; ++i) {
    tail += "  let l" + std::to_string(i) + " = l" + std::to_string(i - 1) + " + l" +
            std::to_string(i - 1) + "\n";
  }
  tail += "  deny when len(l19) > 0 message \"{l19}\"\n}\n";
  EvalResult r = run_doubling("message.policy", "s.name", "X + X", tail, 22);
  CHECK(r.errors.empty());
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].message.size() <= 70'000);
  CHECK(r.findings[0].message.size() > 60'000);
}

TEST_CASE("set algebra on large lists is bounded work") {
  // Regression: `s.ports | s.ports` on 40k ports compared every pair (1.6e9 comparisons, minutes
  // of work) while the step budget counted one step.
  const std::vector<std::string> conditions = {
      "len(s.ports | s.ports) > 0",
      "len(s.ports - s.ports) >= 0",
      "len(s.ports & s.ports) > 0",
  };
  for (const std::string& cond : conditions) {
    std::string text =
        "policy \"SETS-1\" {\n  title \"t\"\n  severity low\n  for s in services\n"
        "  deny when " +
        cond + "\n}\n";
    Diagnostics diags;
    FileId file = add_source("sets.policy", text);
    std::optional<ir::Program> program =
        compile_policies({file}, document_schema(), diags, runtime_compile_options());
    INFO(cond << "\n" << render(diags));
    REQUIRE(program);
    LoadedInput in = load_input_text(
        "in.yaml", "services:\n  web: {image: nginx:1.27, ports: [\"1-40000:1-40000\"]}\n",
        InputFormat::Compose, diags);
    REQUIRE(in.ok);
    auto start = std::chrono::steady_clock::now();
    EvalResult r = evaluate(*program, in.document, {}, in.name);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(seconds < 5.0);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].message.find("on lists of 40000 and 40000 items is too much work") !=
          std::string::npos);
  }
}

TEST_CASE("`in` on a large list inside a loop counts the scan against the step budget") {
  // Regression: each `p in s.ports` scanned 40k ports as one step: 1.6e9 comparisons.
  std::string text =
      "policy \"IN-1\" {\n  title \"t\"\n  severity low\n  for s in services\n"
      "  deny when any(p in s.ports where not (p in s.ports))\n}\n";
  Diagnostics diags;
  FileId file = add_source("in.policy", text);
  std::optional<ir::Program> program =
      compile_policies({file}, document_schema(), diags, runtime_compile_options());
  INFO(render(diags));
  REQUIRE(program);
  LoadedInput in = load_input_text(
      "in.yaml", "services:\n  web: {image: nginx:1.27, ports: [\"1-40000:1-40000\"]}\n",
      InputFormat::Compose, diags);
  REQUIRE(in.ok);
  auto start = std::chrono::steady_clock::now();
  EvalResult r = evaluate(*program, in.document, {}, in.name);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < 5.0);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("step budget exceeded") != std::string::npos);
}
