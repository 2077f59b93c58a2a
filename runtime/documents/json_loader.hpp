#pragma once
// The JSON fast path of the document loader: strict JSON (RFC 8259) read by our own parser into
// the same Value tree, with the same spans, that the YAML path (yaml_loader, through yaml-cpp)
// builds for the same text, but in bounded memory proportional to the text: yaml-cpp's scanner
// holds a whole flow collection's tokens (about 15 times a large `docker inspect` array's size).
//
// The text is read twice: the first pass checks it and measures the tree (every collection's
// size, the bytes of its nodes), the second writes the tree straight into its compacted block
// (BlockWriter, lang/core/value.hpp): no intermediate tree, no copy.
//
// What the YAML path gives JSON text, this gives too: strings are strings; numbers are typed by
// resolve_plain_scalar (ints, floats); true/false/null; keys in the order written; spans at the
// first byte of each value (columns in bytes, a UTF-8 BOM counted), a string's underline covering
// its quotes, a null's none. It takes no text the YAML path would read differently or refuse: a
// document it does not take (not JSON; invalid UTF-8; a `\u` escape of a lone surrogate; a control
// character; a lone carriage return; a key more than 1024 bytes before its `:` or not on its line;
// a duplicate key; nesting or a scalar past YamlLimits) is left to the YAML path, which reads it or
// reports it exactly as before. One difference, both ways RFC-conformant: a `\u` surrogate pair
// (`\ud83d\ude00`) is read as its character, where the YAML library refuses it ("invalid unicode").
//
// Nodes: YamlLimits::max_nodes bounds what aliases can make a YAML document expand to. JSON has no
// aliases; past max_nodes, a document is still taken while its tree takes at most 4 bytes per byte
// of text (the first pass knows the exact size before anything is allocated), so a large
// `docker inspect` array (about 2 bytes of tree per byte) is read up to the input size limit,
// while a text of tiny values (`["","",...]`: 32 bytes per byte) goes to the YAML path and its
// node limit.

#include <functional>
#include <optional>
#include <string_view>

#include "lang/core/json_text.hpp"  // looks_like_json
#include "lang/core/source.hpp"
#include "lang/core/value.hpp"
#include "runtime/documents/yaml_loader.hpp"

namespace capguard {

// The tree of registered source `file` when its text is one JSON document (an array or an object,
// after an optional BOM) within `limits`; nullopt otherwise (then nothing was reported).
std::optional<Value> parse_json_document(FileId file, const YamlLimits& limits = {});

// The same text read item by item, when it is one JSON array of objects that parse_json_document
// takes: each item is written into a block of its own (no string shared between items) with the
// spans parse_json_document gives it, and handed to `each` in order, so that a large
// `docker inspect` array never exists as one tree. `count` is told the array's span and number of
// items before the first. False when the text is not such an array (nothing was handed) or when
// `count` or `each` returned false (reading stopped there); nothing is ever reported.
bool parse_json_elements(FileId file, const YamlLimits& limits,
                         const std::function<bool(Span, size_t)>& count,
                         const std::function<bool(Value)>& each);

}  // namespace capguard
