// Harness 2: YAML / JSON text -> parse_yaml_document (runtime/documents/yaml_loader.hpp). Bad text
// must become diagnostics with a location; a document that parsed must be renderable as JSON.

#include "runtime/documents/yaml_loader.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace capguard;
  fuzz::SourceScope scope;
  Diagnostics diags;
  FileId file = add_source("fuzz.yaml", fuzz::as_text(data, size));
  YamlDocument doc = parse_yaml_document(file, diags);
  if (doc.ok == diags.has_errors()) __builtin_trap();
  if (doc.ok) (void)to_json_text(doc.root);
  for (const Diagnostic& d : diags.all()) {
    // Every YAML error names the file it is about.
    if (d.level == DiagLevel::Error && d.span.file != file) __builtin_trap();
  }
  (void)render(diags);
  return 0;
}
