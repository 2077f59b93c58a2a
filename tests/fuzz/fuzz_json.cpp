// Harness 6: text -> the JSON fast path (runtime/documents/json_loader.hpp), compared with the
// YAML library path (parse_yaml_library_document). Whatever the fast path takes, the YAML library
// must read without an error to the same tree with the same spans (except a `\u` surrogate pair,
// which the fast path reads as its character and the YAML library refuses); what it does not take,
// parse_yaml_document must report exactly as the YAML library does. Item by item
// (parse_json_elements), an array of objects the fast path takes gives the same items, spans
// included; anything else is not taken.

#include <optional>
#include <string>

#include "runtime/documents/json_loader.hpp"
#include "runtime/documents/yaml_loader.hpp"
#include "tests/fuzz/fuzz_support.hpp"
#include "tests/unit/support/value_difference.hpp"

namespace {

// `\uD800` to `\uDBFF` somewhere in the text (the first half of a surrogate pair).
bool has_surrogate_escape(const std::string& text) {
  for (size_t i = text.find("\\u"); i != std::string::npos; i = text.find("\\u", i + 2)) {
    if (i + 3 < text.size() && (text[i + 2] == 'd' || text[i + 2] == 'D')) {
      char c = text[i + 3];
      if (c == '8' || c == '9' || c == 'a' || c == 'A' || c == 'b' || c == 'B') return true;
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace capguard;
  fuzz::SourceScope scope;
  std::string text = fuzz::as_text(data, size);
  FileId file = add_source("fuzz.json", text);
  std::optional<Value> fast = parse_json_document(file);
  Diagnostics library_diags;
  YamlDocument library = parse_yaml_library_document(file, library_diags);
  if (fast) {
    if (!library.ok) {
      if (has_surrogate_escape(text)) return 0;
      __builtin_trap();
    }
    if (!testing::value_difference(*fast, library.root).empty()) __builtin_trap();
    (void)to_json_text(*fast);
    bool objects = fast->is_sequence();
    if (objects) {
      for (const Value& item : fast->as_list()) objects = objects && item.is_map();
    }
    List items;
    Span array;
    bool taken = parse_json_elements(
        file, {},
        [&](Span s, size_t) {
          array = s;
          return true;
        },
        [&](Value item) {
          items.push_back(std::move(item));
          return true;
        });
    if (taken != objects) __builtin_trap();
    if (taken && !testing::value_difference(Value::list(items, array), *fast).empty())
      __builtin_trap();
  } else {
    if (parse_json_elements(
            file, {}, [](Span, size_t) { return true; }, [](Value) { return true; }))
      __builtin_trap();
    Diagnostics diags;
    YamlDocument doc = parse_yaml_document(file, diags);
    if (doc.ok != library.ok || render(diags) != render(library_diags)) __builtin_trap();
    if (!testing::value_difference(doc.root, library.root).empty()) __builtin_trap();
  }
  return 0;
}
