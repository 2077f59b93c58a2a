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
// - a NUL byte (checked in parse_yaml_document);
// - a tag with a named handle no %TAG directive declares (`!x!y foo` was read with the tag
//   "!x!y"), and an empty verbatim tag `!<>` (read as no tag at all) or `!<!>`;
// - a continuation line of a multi-line quoted scalar indented no more than the block collection
//   the scalar is in (YAML 1.2.2 s-flow-line-prefix(n): at least n+1 spaces, where n is the
//   indentation of the enclosing block mapping or sequence; `a:\n  b: "x\n  y"` was read as
//   "x y"), and a document marker (`---`, `...`) at the start of such a line;
// - a byte order mark anywhere but at the start of the text or inside a quoted scalar (yaml-cpp
//   read `\xEF\xBB\xBFb: 1` on a later line as the key "\uFEFFb").

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// A mistake found in the text: where (a byte offset) and what.
struct StrictError {
  size_t offset = 0;
  std::string message;
};

// The tag handles declared by `%TAG` directives before the first `---` line (`!x!`, `!!`, `!`).
std::vector<std::string> declared_tag_handles(std::string_view text);

// The node properties (tag, anchor, in either order, with the white space, line breaks and
// comments between them) written at `offset`: the offset of the node's content after them.
size_t skip_node_properties(std::string_view text, size_t offset);

// The tag among the node properties at `offset` that YAML forbids: a named handle (`!x!`) not
// in `declared`, an empty verbatim tag `!<>` or the verbatim `!<!>`; nullopt when none.
std::optional<StrictError> bad_tag_property(std::string_view text, size_t offset,
                                            const std::vector<std::string>& declared);

// The offset of the quote that closes the quoted scalar opened at `offset`, or npos.
size_t quoted_scalar_end(std::string_view text, size_t offset);

// The quoted scalar opened at `offset` (and closed at `end`) lies in a block collection whose
// entries are indented `block_indent` spaces (-1: none, a scalar document): the first of its
// continuation lines that YAML 1.2 forbids (indented `block_indent` spaces or fewer, or starting
// with a document marker), or nullopt. Lines holding only white space are not checked.
std::optional<StrictError> bad_quoted_continuation(std::string_view text, size_t offset, size_t end,
                                                   long block_indent);

// The offsets of the UTF-8 byte order marks in `text` after its first byte.
std::vector<size_t> inner_byte_order_marks(std::string_view text);

}  // namespace capguard
