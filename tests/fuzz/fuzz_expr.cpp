// Harness 4: one expression (`capguard eval EXPR`) -> parse_expression, check, compile, evaluate
// against a small normalized compose document.

#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace capguard;
  static const Value& document = fuzz::sample_document();
  (void)document;
  fuzz::SourceScope scope;
  Diagnostics diags;
  bool ok = fuzz::run_expression(fuzz::as_text(data, size), diags);
  if (ok && diags.has_errors()) __builtin_trap();
  (void)render(diags);
  return 0;
}
