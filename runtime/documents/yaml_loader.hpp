#pragma once
// YAML and JSON loading: text in, Value tree out, every value carrying the FILE:LINE:COL of the
// text it came from. This header is the one interface to the YAML library (yaml-cpp, driven
// through its event API), so the parser can be swapped without touching callers.
//
// Scalars are typed the way docker compose (compose-go, go-yaml v3) types them: plain `true` /
// `false` (also True/TRUE...) are bools, plain integers (decimal, 0x, 0o, 0b, legacy 0777 octal,
// `_` separators) are ints, plain floats (incl. .inf/.nan) are floats, plain `null`, `~` and the
// empty scalar are null, and everything else (in particular every quoted or block scalar) is a
// string. `yes`/`no`/`on`/`off` are strings (YAML 1.2). JSON gets the same types (json_loader.hpp).
//
// Anchors, aliases and merge keys (`<<: *a`, `<<: [*a, *b]`; explicit keys win, then earlier
// merged maps win over later ones) are expanded. Custom tags (`!reset`, `!override`) are not
// part of Value; they are reported in YamlDocument::tags for the compose merge step.
//
// Errors never escape as exceptions: bad syntax, duplicate keys, a second document and exceeded
// limits are diagnostics at the offending FILE:LINE:COL, and the result is then null.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "lang/core/diagnostics.hpp"
#include "lang/core/source.hpp"
#include "lang/core/value.hpp"

namespace capguard {

struct YamlLimits {
  size_t max_depth = 256;               // nesting of sequences and mappings
  size_t max_nodes = 1'000'000;         // total nodes, counting every alias expansion in full
  size_t max_scalar_bytes = 16u << 20;  // one scalar's length
};

// Custom tags of nodes (`!reset`, `!override`, any other `!name`), keyed by the node's position.
// A value keeps its span through interpolation, merging and extends, so the tag of a value can be
// looked up again later with its span.
class YamlTags {
 public:
  void add(const Span& span, std::string tag);
  // The tag ("!reset"...) of the value written at `span`, or nullptr.
  const std::string* find(const Span& span) const;
  void append(const YamlTags& other);
  bool empty() const { return tags_.empty(); }
  size_t size() const { return tags_.size(); }

 private:
  std::map<std::tuple<FileId, uint32_t, uint32_t>, std::string> tags_;
};

struct YamlDocument {
  Value root;  // null when empty or when an error was reported
  YamlTags tags;
  bool ok = false;  // false when an error was reported
};

// Parses the first document of a registered source. A second document is an error (neither
// compose files nor inspect output have more than one). Text that is JSON (an array or an
// object) is read by the JSON fast path (json_loader.hpp) into the same tree, compacted; every
// other text, and JSON the fast path does not take, by the YAML library.
YamlDocument parse_yaml_document(FileId file, Diagnostics& diags, const YamlLimits& limits = {});

// The same through the YAML library only (no JSON fast path): what the fast path is compared
// with (tests/unit/runtime/documents/json_loader_test.cpp, tests/fuzz/fuzz_json.cpp).
YamlDocument parse_yaml_library_document(FileId file, Diagnostics& diags,
                                         const YamlLimits& limits = {});

// The same, returning only the tree (null on error; check diags).
Value parse_yaml(FileId file, Diagnostics& diags);

// Reads a file and registers it with add_source: read_source of lang/core/file_read.hpp (bounded
// by max_input_bytes(); a pipe is read once; a folder, device or socket is refused). Failures: a
// diagnostic naming the file, and nullopt.
std::optional<FileId> read_file(const std::string& path, Diagnostics& diags);

// The text a value was written as, when its span covers one line of a registered source (plain
// scalars: "0777", "1.0", "80:80"; quoted scalars include their quotes). Empty when unknown.
std::string_view written_text(const Span& span);

}  // namespace capguard
