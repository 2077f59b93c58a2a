#pragma once
// What yaml-cpp 0.7 accepts but YAML 1.2 does not: the checks the loader adds on top of the
// parser's events, so that an invalid file is an error at its FILE:LINE:COL and never a silently
// different document. Each gap was found with a corpus of invalid documents
// (tests/bad-input/yaml-*, tests/unit/runtime/documents/yaml_strict_test.cpp):
//
// - a quoted scalar that is never closed, when only line breaks, comments or more text follow it
//   (`command: "a` then an empty line was read as "a "; `a: "b` then `c: d` as "b c: d ");
// - an empty entry in a flow collection (`[a, , b]`, `[, a]`, `{a: 1, , b: 2}`), read as null;
// - a directive (`%YAML 1.2`) not followed by a `---` document start;
// - a NUL byte (checked in parse_yaml_document).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace capguard {

// `text` holds a quoted scalar whose opening quote (' or ") is at `offset`: the message when
// the scalar is not closed before the end of the text, else nullopt.
std::optional<std::string> unclosed_quoted_scalar(std::string_view text, size_t offset);

// yaml-cpp reported an empty node at `offset` inside a flow collection: true when nothing is
// written there (the character at `offset` is `,`, `]` or `}`), i.e. an empty entry.
bool is_empty_flow_entry(std::string_view text, size_t offset);

// The offset of a directive line (`%...`) that no `---` line follows before the content, or
// nullopt.
std::optional<size_t> directive_without_document_start(std::string_view text);

// yaml-cpp started a second document at `offset`: true when the text says so (a `---` there, or a
// `...` document end on the last non-blank line before it), false when it is text that could not
// continue the first document.
bool starts_document(std::string_view text, size_t offset);

}  // namespace capguard
