#pragma once
// `capguard fmt`: the one canonical layout of policy files (spec/fmt.md), like gofmt. Comments
// are kept where they were written (on their own line or at the end of a line), and so are blank
// lines between declarations, clauses and comments (at most one in a row). Formatting is
// idempotent and keeps the meaning: the result parses to the same syntax tree.

#include <optional>
#include <string>

#include "lang/core/diagnostics.hpp"
#include "lang/syntax/ast.hpp"

namespace capguard {

// Lines are kept within this many columns where a break is allowed (as the repo's .clang-format).
inline constexpr int kFormatWidth = 100;

// The canonical text of `module`, parsed without syntax errors from the registered source `file`.
std::string format_module(const ast::Module& module, FileId file);

// Parses the registered source `file` and formats it. A file with syntax errors is not formatted:
// its diagnostics go to `diags` (as `capguard parse` reports them) and the result is empty. The
// result is checked before it is returned: it must parse to the same tree as the input (spans
// aside) and hold the same comments; a failure there is a formatter bug, reported as an error.
std::optional<std::string> format_source(FileId file, Diagnostics& diags);

// dump_ast (lang/syntax/ast_dump.hpp) without positions and without the file name: equal for two
// texts that mean the same.
std::string dump_without_spans(const ast::Module& module);

}  // namespace capguard
