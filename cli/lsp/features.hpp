#pragma once
// What the server answers about a position in an analysed document: hover text, completion
// items, definitions. Each works on the last analysis that parsed (the text being typed usually
// does not); see spec/lsp.md.

#include <nlohmann/json.hpp>

#include "cli/lsp/analysis.hpp"
#include "cli/lsp/positions.hpp"

namespace capguard::lsp {

// A Hover result, or null when the position names nothing known.
nlohmann::json hover(const Analysis& a, Position p);

// CompletionItem[] for the position in `text` (the current text, which may not parse), using
// `a` (the last analysis that parsed, possibly of an older text) for the types of names.
nlohmann::json completion(const Analysis* a, const std::string& text, Position p);

// Location[] (possibly empty) for the name, call, or import at the position.
nlohmann::json definition(const Analysis& a, Position p);

}  // namespace capguard::lsp
