#include "runtime/documents/yaml_loader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "lang/core/file_read.hpp"
#include "runtime/documents/json_loader.hpp"
#include "runtime/documents/yaml_scalar.hpp"
#include "runtime/documents/yaml_strict.hpp"

namespace capguard {

void YamlTags::add(const Span& span, std::string tag) {
  tags_[{span.file, span.line, span.column}] = std::move(tag);
}

const std::string* YamlTags::find(const Span& span) const {
  if (tags_.empty()) return nullptr;
  auto it = tags_.find({span.file, span.line, span.column});
  return it == tags_.end() ? nullptr : &it->second;
}

void YamlTags::append(const YamlTags& other) {
  for (const auto& [key, tag] : other.tags_) tags_[key] = tag;
}

std::string_view written_text(const Span& span) {
  if (!span.known() || span.length == 0) return {};
  std::string_view line = source(span.file).line_text(span.line);
  if (span.column == 0 || span.column - 1 + span.length > line.size()) return {};
  return line.substr(span.column - 1, span.length);
}

namespace {

// A mistake found while building the tree; thrown out of the event handler to stop the parser.
struct LoadError {
  Span span;
  std::string message;
};

// Length of the scalar written at `column` (0-based) of `line`, for the caret underline: the
// quoted scalar with its quotes, or the plain text when it is on that line; 0 when unsure.
uint32_t scalar_length(std::string_view line, size_t column, const std::string& value) {
  if (column >= line.size()) return 0;
  char q = line[column];
  if (q == '"' || q == '\'') {
    for (size_t i = column + 1; i < line.size(); ++i) {
      if (q == '"' && line[i] == '\\') {
        ++i;
      } else if (line[i] == q) {
        if (q == '\'' && i + 1 < line.size() && line[i + 1] == '\'') {
          ++i;
          continue;
        }
        return static_cast<uint32_t>(i + 1 - column);
      }
    }
    return 0;
  }
  if (!value.empty() && line.substr(column, value.size()) == value)
    return static_cast<uint32_t>(value.size());
  return 0;
}

// A yaml-cpp mark as a span. yaml-cpp skips a UTF-8 byte order mark without counting it, while
// the registered text keeps it: columns on the first line move by its 3 bytes.
bool starts_with_bom(const Source& src) {
  return src.text().compare(0, 3, "\xEF\xBB\xBF") == 0;
}

Span mark_span(FileId file, bool bom, const YAML::Mark& mark) {
  if (mark.is_null()) return Span{file, 0, 0, 0};
  uint32_t column = static_cast<uint32_t>(mark.column + 1);
  if (mark.line == 0 && bom) column += 3;
  return Span{file, static_cast<uint32_t>(mark.line + 1), column, 0};
}

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(FileId file, const YamlLimits& limits, YamlTags& tags)
      : file_(file),
        source_(source(file)),
        bom_(starts_with_bom(source_)),
        limits_(limits),
        tags_(tags),
        boms_(inner_byte_order_marks(source_.text())),
        bom_quoted_(boms_.size(), false) {}

  bool done() const { return done_; }
  Value take_root() { return std::move(root_); }

  // The first byte order mark that is neither at the start of the text nor inside a quoted
  // scalar read so far, when it comes before `before` (an offset); nullopt otherwise.
  std::optional<size_t> stray_bom(size_t before = std::string::npos) const {
    for (size_t i = 0; i < boms_.size() && boms_[i] < before; ++i)
      if (!bom_quoted_[i]) return boms_[i];
    return std::nullopt;
  }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (documents_++ == 0) return;
    // yaml-cpp also starts a new document at text that cannot continue the first one (`b: c`
    // after a top-level list, a key indented less than its siblings): say so, not "second one".
    if (!starts_document(source_.text(), offset(mark)))
      throw LoadError{span(mark),
                      "text after the end of the document: an indentation mistake, or "
                      "a mapping key after a list?"};
    throw LoadError{span(mark), "a compose file holds one YAML document; found a second one"};
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    check_properties(mark);
    note_child(mark);
    // yaml-cpp reads `[a, , b]` and `{a: 1, , b: 2}` as holding a null; YAML has no empty entry.
    if (anchor == YAML::NullAnchor && !stack_.empty() && stack_.back().flow &&
        (!stack_.back().is_map || !stack_.back().have_key) &&
        is_empty_flow_entry(source_.text(), offset(mark)))
      throw LoadError{span(mark), fmt::format("empty entry in a flow {}: remove the extra comma",
                                              stack_.back().is_map ? "mapping" : "sequence")};
    count_nodes(1, mark);
    add_node(Value::null(span(mark)), 1, 0, anchor, "");
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (anchor >= anchors_.size() || !anchors_[anchor].defined)
      throw LoadError{span(mark), "alias refers to an anchor that is not defined yet"};
    const Anchored& a = anchors_[anchor];
    note_child(mark);
    count_nodes(a.nodes, mark);
    // An alias brings its whole depth along: chained aliases could otherwise nest without bound.
    if (stack_.size() + a.height > limits_.max_depth)
      throw LoadError{span(mark), fmt::format("nesting deeper than {} levels (through aliases)",
                                              limits_.max_depth)};
    add_node(a.value, a.nodes, a.height, YAML::NullAnchor, a.key_text);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Span s = span(mark, &value);
    size_t at = check_properties(mark);
    note_child(mark);
    if (tag != "?") check_quoted(at);
    if (value.size() > limits_.max_scalar_bytes)
      throw LoadError{s, fmt::format("scalar of {} bytes exceeds the limit of {} bytes",
                                     value.size(), limits_.max_scalar_bytes)};
    Value v;
    if (tag == "?") {
      v = resolve_plain_scalar(value, s);
    } else {
      auto typed = resolve_tagged_scalar(tag, value, s);
      if (!typed) throw LoadError{s, fmt::format("cannot read \"{}\" as {}", value, tag)};
      v = *typed;
      if (tag != "!" && tag.rfind("tag:yaml.org,2002:", 0) != 0) tags_.add(s, tag);
    }
    count_nodes(1, mark);
    bool is_merge_key = tag == "?" && value == "<<";
    add_node(std::move(v), 1, 0, anchor, value, is_merge_key);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override {
    open(mark, tag, anchor, /*is_map=*/false, style == YAML::EmitterStyle::Flow);
  }
  void OnSequenceEnd() override {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    add_node(Value::list(std::move(f.items), f.span), f.nodes, f.height, f.anchor, "");
  }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    open(mark, tag, anchor, /*is_map=*/true, style == YAML::EmitterStyle::Flow);
  }
  void OnMapEnd() override {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    Value m = finish_map(f);
    add_node(std::move(m), f.nodes, f.height, f.anchor, "");
  }

 private:
  struct Anchored {
    bool defined = false;
    Value value;
    size_t nodes = 0;
    size_t height = 0;
    std::string key_text;  // the scalar's text, so an alias can serve as a mapping key
  };
  // An entry of a mapping under construction; `merge` marks a `<<` entry (its value is a map or
  // a list of maps to merge in).
  struct PendingEntry {
    std::string key;
    Value value;
    bool merge = false;
    uint32_t line = 0;  // where the key is written
  };
  struct Frame {
    bool is_map = false;
    bool flow = false;  // written [...] or {...}
    Span span;
    YAML::anchor_t anchor = YAML::NullAnchor;
    size_t nodes = 1;   // this collection and everything in it, aliases expanded
    size_t height = 1;  // levels of collections, this one included, aliases expanded
    List items;         // sequence
    std::vector<PendingEntry> entries;  // mapping
    bool have_key = false;              // mapping: a key was read, its value is next
    bool key_is_merge = false;
    std::string key;
    Span key_span;
    bool has_merge = false;
    long indent = kIndentUnknown;  // block collections: the column of the first entry
    // Explicit keys -> position in entries; built only for large mappings (small ones are
    // scanned, which is faster than hashing and allocates nothing).
    std::unordered_map<std::string, size_t> index;
  };
  static constexpr size_t kIndexAbove = 16;
  static constexpr long kIndentUnknown = -2;

  // The earlier entry with explicit key `key`, or nullptr; records `key` as the next entry.
  static const PendingEntry* find_or_index(Frame& f, const std::string& key) {
    if (f.index.empty() && f.entries.size() < kIndexAbove) {
      for (const PendingEntry& e : f.entries)
        if (!e.merge && e.key == key) return &e;
      return nullptr;
    }
    if (f.index.empty()) {
      for (size_t i = 0; i < f.entries.size(); ++i)
        if (!f.entries[i].merge) f.index.emplace(f.entries[i].key, i);
    }
    auto [it, inserted] = f.index.emplace(key, f.entries.size());
    return inserted ? nullptr : &f.entries[it->second];
  }

  Span span(const YAML::Mark& mark, const std::string* value = nullptr) const {
    if (mark.is_null()) return Span{file_, 0, 0, 0};
    Span s = mark_span(file_, bom_, mark);
    if (value) s.length = scalar_length(source_.line_text(s.line), s.column - 1, *value);
    return s;
  }

  // The byte offset of a mark in the source (yaml-cpp's columns do not count a BOM).
  size_t offset(const YAML::Mark& mark) const {
    if (mark.is_null()) return source_.text().size();
    std::string_view line = source_.line_text(static_cast<uint32_t>(mark.line + 1));
    if (line.data() == nullptr) return source_.text().size();
    size_t column = static_cast<size_t>(mark.column) + (mark.line == 0 && bom_ ? 3 : 0);
    return static_cast<size_t>(line.data() - source_.text().data()) + column;
  }

  void open(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, bool is_map,
            bool flow) {
    Span s = span(mark);
    size_t at = check_properties(mark);
    note_child(mark);
    count_nodes(1, mark);
    if (stack_.size() >= limits_.max_depth)
      throw LoadError{s, fmt::format("nesting deeper than {} levels", limits_.max_depth)};
    if (!tag.empty() && tag != "?" && tag != "!" && tag.rfind("tag:yaml.org,2002:", 0) != 0)
      tags_.add(s, tag);
    Frame f;
    f.is_map = is_map;
    f.flow = flow;
    f.span = s;
    f.anchor = anchor;
    // A block collection is indented as far as its first entry: a mapping's first key, a
    // sequence's first `-`, where the collection starts when nothing (an anchor, a tag) precedes
    // it; else its first child tells (note_child).
    if (!flow && at == offset(mark) && (is_map || source_.text().substr(at, 1) == "-"))
      f.indent = column_of(at);
    stack_.push_back(std::move(f));
  }

  // The column (0-based, in bytes, a byte order mark not counted) of offset `at`.
  long column_of(size_t at) const {
    std::string_view text = source_.text();
    size_t line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
    line_start = line_start == std::string_view::npos || at == 0 ? 0 : line_start + 1;
    long column = static_cast<long>(at - line_start);
    if (line_start == 0 && bom_) column -= 3;
    return column;
  }

  // A node starts at `mark`: when it is the first entry of a block collection whose indentation
  // is not known yet, it gives it (through the `-` or `?` before it on its line, if any).
  void note_child(const YAML::Mark& mark) {
    if (stack_.empty() || stack_.back().flow || stack_.back().indent != kIndentUnknown) return;
    std::string_view text = source_.text();
    size_t at = offset(mark);
    if (at > text.size()) return;
    size_t before = at;
    while (before > 0 && text[before - 1] == ' ') --before;
    char indicator = stack_.back().is_map ? '?' : '-';
    if (before > 0 && text[before - 1] == indicator) at = before - 1;
    stack_.back().indent = column_of(at);
  }

  // The indentation of the innermost block collection, or -1 (none: a scalar document).
  long block_indent() const {
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it)
      if (!it->flow && it->indent != kIndentUnknown) return it->indent;
    return -1;
  }

  // The tag and anchor written at `mark`, if any: a tag YAML forbids is an error there. Returns
  // the offset of the node's content after them.
  size_t check_properties(const YAML::Mark& mark) {
    std::string_view text = source_.text();
    size_t at = offset(mark);
    if (at >= text.size() || (text[at] != '!' && text[at] != '&')) return at;
    if (!declared_) declared_ = declared_tag_handles(text);
    if (auto bad = bad_tag_property(text, at, *declared_))
      throw LoadError{span_at(file_, bad->offset, bad->offset + 1), bad->message};
    return skip_node_properties(text, at);
  }

  // A scalar with a tag or a style starts at `at`: when it is quoted, it must be closed, its
  // continuation lines indented past its block, and the byte order marks in it are its own.
  void check_quoted(size_t at) {
    std::string_view text = source_.text();
    if (at >= text.size() || (text[at] != '"' && text[at] != '\'')) return;
    if (auto unclosed = unclosed_quoted_scalar(text, at))
      throw LoadError{span_at(file_, at, at + 1), *unclosed};
    size_t end = quoted_scalar_end(text, at);
    if (text.substr(at, end - at).find('\n') != std::string_view::npos) {
      if (auto bad = bad_quoted_continuation(text, at, end, block_indent()))
        throw LoadError{span_at(file_, bad->offset, bad->offset + 1), bad->message};
    }
    // By halves: a file may hold many byte order marks and many quoted scalars.
    for (size_t i =
             static_cast<size_t>(std::upper_bound(boms_.begin(), boms_.end(), at) - boms_.begin());
         i < boms_.size() && boms_[i] < end; ++i)
      bom_quoted_[i] = true;
  }

  void count_nodes(size_t n, const YAML::Mark& mark) {
    total_nodes_ += n;
    if (total_nodes_ > limits_.max_nodes)
      throw LoadError{span(mark),
                      fmt::format("document expands to more than {} nodes (through aliases)",
                                  limits_.max_nodes)};
  }

  // Adds a finished node to the enclosing collection (or makes it the root).
  // `nodes` and `height` are its size and depth with aliases expanded, recorded for anchors.
  void add_node(Value v, size_t nodes, size_t height, YAML::anchor_t anchor,
                const std::string& key_text, bool is_merge_key = false) {
    if (anchor != YAML::NullAnchor) {
      if (anchors_.size() <= anchor) anchors_.resize(anchor + 1);
      anchors_[anchor] = Anchored{true, v, nodes, height, key_text};
    }
    if (stack_.empty()) {
      root_ = std::move(v);
      done_ = true;
      return;
    }
    Frame& f = stack_.back();
    f.nodes += nodes;
    f.height = std::max(f.height, height + 1);
    if (!f.is_map) {
      f.items.push_back(std::move(v));
      return;
    }
    if (!f.have_key) {
      if (v.is_map() || v.is_sequence())
        throw LoadError{v.span(), "a mapping key must be a scalar"};
      f.have_key = true;
      f.key_is_merge = is_merge_key;
      f.key = key_text;
      f.key_span = v.span();
      return;
    }
    f.have_key = false;
    if (f.key_is_merge) {
      check_merge_source(v, f.key_span);
      f.entries.push_back({"<<", std::move(v), true, f.key_span.line});
      f.has_merge = true;
      return;
    }
    if (const PendingEntry* earlier = find_or_index(f, f.key))
      throw LoadError{f.key_span, fmt::format("mapping key \"{}\" already defined at line {}",
                                              f.key, earlier->line)};
    f.entries.push_back({f.key, std::move(v), false, f.key_span.line});
  }

  // Errors point at the `<<` key: the value may be an alias whose span is elsewhere.
  static void check_merge_source(const Value& v, const Span& key_span) {
    if (v.is_map()) return;
    if (v.is_list()) {
      for (const Value& item : v.as_list())
        if (!item.is_map())
          throw LoadError{key_span, "a merge key (<<) list may only hold mappings"};
      return;
    }
    throw LoadError{key_span, "a merge key (<<) takes a mapping or a list of mappings"};
  }

  // Explicit keys win over merged ones; among merged maps, the earlier one wins (YAML merge key
  // spec, as go-yaml does it). Entries stay in the order written.
  static Value finish_map(Frame& f) {
    Entries out;
    out.reserve(f.entries.size());
    if (!f.has_merge) {
      for (PendingEntry& e : f.entries) out.emplace_back(std::move(e.key), std::move(e.value));
      return Value::map_unique(std::move(out), f.span);
    }
    std::unordered_set<std::string> taken;
    for (const PendingEntry& e : f.entries)
      if (!e.merge) taken.insert(e.key);
    for (PendingEntry& e : f.entries) {
      if (!e.merge) {
        out.emplace_back(std::move(e.key), std::move(e.value));
        continue;
      }
      auto merge_one = [&](const Value& m) {
        for (const auto& me : m.as_map())
          if (taken.insert(me.first).second) out.push_back(me);
      };
      if (e.value.is_map()) {
        merge_one(e.value);
      } else {
        for (const Value& m : e.value.as_list()) merge_one(m);
      }
    }
    return Value::map_unique(std::move(out), f.span);
  }

  FileId file_;
  const Source& source_;
  bool bom_;
  const YamlLimits& limits_;
  YamlTags& tags_;
  std::vector<Frame> stack_;
  std::vector<Anchored> anchors_;
  size_t total_nodes_ = 0;
  int documents_ = 0;
  bool done_ = false;
  Value root_;
  std::optional<std::vector<std::string>> declared_;  // %TAG handles, read at the first tag
  std::vector<size_t> boms_;                          // inner_byte_order_marks()
  std::vector<bool> bom_quoted_;                      // boms_[i] is inside a quoted scalar
};

constexpr const char* kStrayBom =
    "a byte order mark (U+FEFF) in the middle of the text: YAML allows one only at the start "
    "(inside a quoted scalar, write \\uFEFF)";

}  // namespace

YamlDocument parse_yaml_document(FileId file, Diagnostics& diags, const YamlLimits& limits) {
  // JSON the fast path takes gives the tree the YAML library would give, compacted; any other
  // text (YAML, flow YAML, JSON with a mistake) is read by the YAML library as before.
  if (std::optional<Value> json = parse_json_document(file, limits)) {
    YamlDocument doc;
    doc.root = std::move(*json);
    doc.ok = true;
    return doc;
  }
  return parse_yaml_library_document(file, diags, limits);
}

YamlDocument parse_yaml_library_document(FileId file, Diagnostics& diags,
                                         const YamlLimits& limits) {
  YamlDocument doc;
  const Source& src = source(file);
  // A JSON input document may be larger than the input limit (lang/core/file_read.hpp), for the
  // JSON reader only: the YAML library needs about 15 times the text.
  if (size_t limit = max_input_bytes(); src.text().size() > limit) {
    diags.file_error(src.name(), input_limit_error(limit) +
                                     "; a larger input is read only when it is strict JSON (RFC "
                                     "8259), and this one is not");
    return doc;
  }
  TreeBuilder builder(file, limits, doc.tags);
  try {
    // yaml-cpp reads a NUL byte as part of the text; YAML's character set excludes it.
    if (size_t nul = src.text().find('\0'); nul != std::string::npos)
      throw LoadError{span_at(file, nul, nul + 1), "a NUL byte, which YAML text cannot hold"};
    if (std::optional<size_t> at = directive_without_document_start(src.text()))
      throw LoadError{span_at(file, *at, *at + 1),
                      "a directive (`%...`) must be followed by a `---` line before the document"};
    std::istringstream in(src.text());
    YAML::Parser parser(in);
    if (parser.HandleNextDocument(builder)) {
      doc.root = builder.take_root();
      parser.HandleNextDocument(builder);  // a second document throws from OnDocumentStart
    }
    if (std::optional<size_t> bom = builder.stray_bom())
      throw LoadError{span_at(file, *bom, *bom + 3), kStrayBom};
    doc.ok = true;
  } catch (const LoadError& e) {
    diags.error(e.span, e.message);
  } catch (const YAML::Exception& e) {
    // At yaml-cpp's mark, which for an unclosed [ or { is the end of the text. A stray byte
    // order mark on an earlier line is the likelier cause: yaml-cpp reads it as text.
    Span at = mark_span(file, starts_with_bom(src), e.mark);
    size_t line_start = at.line > 0 && src.line_text(at.line).data() != nullptr
                            ? static_cast<size_t>(src.line_text(at.line).data() - src.text().data())
                            : src.text().size();
    if (std::optional<size_t> bom = builder.stray_bom(line_start))
      diags.error(span_at(file, *bom, *bom + 3), kStrayBom);
    else
      diags.error(at, fmt::format("invalid YAML: {}", e.msg));
  } catch (const std::exception& e) {
    diags.error(Span{file, 0, 0, 0}, fmt::format("cannot read YAML: {}", e.what()));
  }
  if (!doc.ok) {
    doc.root = Value();
    doc.tags = YamlTags();
  }
  return doc;
}

Value parse_yaml(FileId file, Diagnostics& diags) {
  return parse_yaml_document(file, diags).root;
}

std::optional<FileId> read_file(const std::string& path, Diagnostics& diags) {
  return read_source(path, diags);
}

}  // namespace capguard
