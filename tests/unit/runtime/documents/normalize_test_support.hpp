#pragma once
// Helpers for the normalizer's unit tests: normalize inline compose or inspect text and pick out
// one service, with the diagnostics rendered for failure messages.

#include <string>

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"
#include "runtime/documents/inputs.hpp"

namespace capguard::testing {

struct Normalized {
  LoadedInput input;
  Diagnostics diags;
  std::string rendered;  // all diagnostics

  // The service named `name`, or a null value when it is missing.
  Value service(const std::string& name) const {
    const Value* list = input.document.get("services");
    if (list == nullptr) return Value();
    for (const Value& s : list->as_list()) {
      if (s.get("name")->as_string() == name) return s;
    }
    return Value();
  }
};

inline Normalized normalize_text(const std::string& text, InputFormat format = InputFormat::Compose,
                                 const std::string& name = "test.yaml") {
  Normalized n;
  n.input = load_input_text(name, text, format, n.diags);
  n.rendered = render(n.diags);
  return n;
}

// Value at a dotted path ("caps.effective"); null when absent.
inline Value at(const Value& v, const std::string& path) {
  const Value* cur = &v;
  size_t start = 0;
  while (cur != nullptr && start <= path.size()) {
    size_t dot = path.find('.', start);
    cur = cur->get(path.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return cur ? *cur : Value();
}

}  // namespace capguard::testing
