// Harness 3: compose (or inspect) text -> load_input_text (load, interpolate, merge, normalize)
// -> the embedded standard library evaluated on the document. A runtime error in a policy is an
// EvalError, never a crash.

#include "runtime/documents/inputs.hpp"
#include "runtime/eval/evaluator.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace capguard;
  static const ir::Program& program = fuzz::stdlib_program();
  static const std::vector<Value> params = fuzz::default_params(program);
  fuzz::SourceScope scope;
  Diagnostics diags;
  LoadedInput in =
      load_input_text("fuzz.yaml", fuzz::as_text(data, size), InputFormat::Auto, diags);
  if (!in.ok && !diags.has_errors()) __builtin_trap();  // a failed input always says why
  (void)render(diags);
  if (!in.ok) return 0;
  EvalOptions options;
  options.step_budget = 2'000'000;
  EvalResult result = evaluate(program, in.document, params, in.name, options);
  (void)result;
  return 0;
}
