// Runs every example of spec/builtins.md through the real pipeline (parser, checker, compiler with
// the runtime's constant folding, evaluator), so the reference cannot drift from the code.
//
// An example is a line `EXPR` => `EXPECTED` (both sides evaluated; equal values of the same kind)
// or `EXPR` => error `TEXT` (compiling or evaluating EXPR fails with a message containing TEXT).
// Each example becomes a one-policy program whose rule fires exactly when the example holds.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "lang/compile/pipeline.hpp"
#include "lang/core/diagnostics.hpp"
#include "lang/core/source.hpp"
#include "runtime/documents/document_schema.hpp"
#include "runtime/eval/evaluator.hpp"

using namespace capguard;

namespace {

struct Example {
  int line = 0;
  std::string expr;
  std::string expected;  // an expression, or the error text when `is_error`
  bool is_error = false;
};

// The text between the backticks starting at `pos` (which must be a backtick); advances `pos`
// past the closing one. Empty optional when there is no such pair.
std::optional<std::string> take_quoted(const std::string& line, size_t& pos) {
  if (pos >= line.size() || line[pos] != '`') return std::nullopt;
  size_t end = line.find('`', pos + 1);
  if (end == std::string::npos) return std::nullopt;
  std::string text = line.substr(pos + 1, end - pos - 1);
  pos = end + 1;
  return text;
}

void skip_spaces(const std::string& line, size_t& pos) {
  while (pos < line.size() && line[pos] == ' ') ++pos;
}

// Lines "- `EXPR` => `EXPECTED`" and "- `EXPR` => error `TEXT`".
std::vector<Example> read_examples(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  std::vector<Example> out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.rfind("- `", 0) != 0 || line.find("` => ") == std::string::npos) continue;
    Example ex;
    ex.line = number;
    size_t pos = 2;
    std::optional<std::string> expr = take_quoted(line, pos);
    skip_spaces(line, pos);
    bool arrow = line.compare(pos, 2, "=>") == 0;
    pos += 2;
    skip_spaces(line, pos);
    if (line.compare(pos, 6, "error ") == 0) {
      ex.is_error = true;
      pos += 6;
    }
    std::optional<std::string> expected = take_quoted(line, pos);
    INFO("spec/builtins.md:" << number << ": " << line);
    REQUIRE(expr);
    REQUIRE(arrow);
    REQUIRE(expected);
    REQUIRE(pos == line.size());
    ex.expr = *expr;
    ex.expected = *expected;
    out.push_back(ex);
  }
  return out;
}

std::string policy_text(const Example& ex) {
  std::ostringstream text;
  text << "policy \"example\" {\n  title \"example\"\n  severity low\n";
  if (ex.is_error) {
    text << "  deny when type_of(" << ex.expr << ") != \"\"\n";
  } else {
    text << "  let actual = " << ex.expr << "\n"
         << "  let expected = " << ex.expected << "\n"
         << "  let same = type_of(actual) == type_of(expected) and actual == expected\n"
         << "  deny when same message \"ok\"\n"
         << "  warn when not same message \"got {type_of(actual)} {actual}, expected "
            "{type_of(expected)} {expected}\"\n";
  }
  text << "}\n";
  return text.str();
}

struct Outcome {
  bool compiled = false;
  std::string errors;                  // compile diagnostics or runtime error messages
  std::optional<ir::Program> program;  // the findings point into it
  std::shared_ptr<FindingText> text;   // and into this
  std::vector<Finding> findings;
};

Outcome run(const Example& ex) {
  Outcome out;
  FileId file = add_source("spec/builtins.md:" + std::to_string(ex.line), policy_text(ex));
  Diagnostics diags;
  std::optional<ir::Program>& program = out.program;
  program = compile_policies({file}, document_schema(), diags, runtime_compile_options());
  if (!program) {
    out.errors = render(diags);
    return out;
  }
  out.compiled = true;
  Value document = Value::map({{"services", Value::list({})}});
  EvalResult result = evaluate(*program, document, program->default_params(), "examples");
  for (const EvalError& e : result.errors) out.errors += e.message + "\n";
  out.findings = result.findings;
  out.text = result.text;
  return out;
}

}  // namespace

TEST_CASE("every example of spec/builtins.md holds", "[spec][builtins]") {
  std::vector<Example> examples = read_examples(CAPGUARD_SOURCE_DIR "/spec/builtins.md");
  REQUIRE(examples.size() > 100);
  for (const Example& ex : examples) {
    INFO("spec/builtins.md:" << ex.line << ": `" << ex.expr << "` => "
                             << (ex.is_error ? "error " : "") << "`" << ex.expected << "`");
    Outcome out = run(ex);
    if (ex.is_error) {
      CHECK(out.findings.empty());
      INFO("errors: " << out.errors);
      CHECK(out.errors.find(ex.expected) != std::string::npos);
      continue;
    }
    INFO("errors: " << out.errors);
    REQUIRE(out.compiled);
    CHECK(out.errors.empty());
    REQUIRE(out.findings.size() == 1);
    INFO(out.findings[0].message);
    CHECK(out.findings[0].kind == RuleKind::Deny);
  }
}
