// Harness 1: policy source text -> parse, check, compile (lang/compile/pipeline.hpp). Any text must
// end in a program or in diagnostics; never a crash, a hang or a sanitizer report.

#include "lang/compile/pipeline.hpp"
#include "runtime/documents/document_schema.hpp"
#include "runtime/eval/evaluator.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace capguard;
  static const Schema& schema = document_schema();
  fuzz::SourceScope scope;
  Diagnostics diags;
  FileId file = add_source("fuzz.policy", fuzz::as_text(data, size));
  std::optional<ir::Program> program =
      compile_policies({file}, schema, diags, runtime_compile_options());
  // A program is returned exactly when no error was reported.
  if (program.has_value() == diags.has_errors()) __builtin_trap();
  (void)render(diags);
  return 0;
}
