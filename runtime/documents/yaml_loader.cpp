#include "runtime/documents/yaml_loader.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
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

// A read-only stream buffer over text that outlives it (a registered source's).
class TextBuf : public std::streambuf {
 public:
  explicit TextBuf(std::string_view text) {
    char* p = const_cast<char*>(text.data());  // read only: nothing writes through a get area
    setg(p, p, p + text.size());
  }
};

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

// The loaded tree goes straight into the compact form (lang/core/value.hpp BlockWriter), as the
// JSON fast path does: while yaml-cpp parses, nodes are recorded in an arena (texts copied once,
// no allocation per node); at the end of the document the block is sized and written in one go.
// The values are those the YAML rules give (anchors, aliases and merge keys expanded: an alias
// shares the node of its anchor in the block, as its value did before).
class NodeArena {
 public:
  NodeArena() = default;
  NodeArena(const NodeArena&) = delete;
  NodeArena& operator=(const NodeArena&) = delete;
  // The chunks go back to malloc with the arena, for what is built from the document next (the
  // compose model, the normalized services): their pages are reused, not faulted in again. (They
  // were kept per thread for its next document; a one-file check then touched 48 KB more, and a
  // batch of 1000 files was no faster: glibc reuses the freed chunks as well.)
  void* allocate(size_t bytes) {
    bytes = (bytes + 7) & ~size_t{7};
    if (static_cast<size_t>(end_ - next_) < bytes) grow(bytes);
    void* at = next_;
    next_ += bytes;
    return at;
  }
  template <typename T>
  T* make() {
    return new (allocate(sizeof(T))) T();
  }
  template <typename T>
  T* array(size_t n) {
    return n == 0 ? nullptr : static_cast<T*>(allocate(n * sizeof(T)));
  }
  std::string_view copy(std::string_view text) {
    if (text.empty()) return {};
    char* at = static_cast<char*>(allocate(text.size()));
    std::memcpy(at, text.data(), text.size());
    return {at, text.size()};
  }

 private:
  struct Chunk {
    std::unique_ptr<char[]> data;
    size_t size = 0;
  };
  void grow(size_t bytes) {
    size_t size = std::max(bytes, chunk_);
    chunk_ = std::min(chunk_ * 2, size_t{1} << 20);
    chunks_.push_back(Chunk{std::unique_ptr<char[]>(new char[size]), size});  // not cleared
    next_ = chunks_.back().data.get();
    end_ = next_ + chunks_.back().size;
  }
  std::vector<Chunk> chunks_;
  char* next_ = nullptr;
  char* end_ = nullptr;
  size_t chunk_ = 8192;
};

struct TreeEntry;
// A loaded node (trivially destructible: it lives in the arena).
struct TreeNode {
  Kind kind = Kind::Null;  // null, bool, int, float, string, list or map
  uint32_t size = 0;       // items or entries
  Span span;
  union {
    bool b;
    int64_t i;
    double d;
    const char* text;  // string (`size` bytes)
    TreeNode** items;  // list
    TreeEntry* entries;
  } u{};
  const Value* written = nullptr;  // where it was first written into the block
  bool planned = false;
  bool is_collection() const { return kind == Kind::List || kind == Kind::Map; }
  std::string_view text() const { return {u.text, size}; }
};
struct TreeEntry {
  std::string_view key;  // in the arena
  const std::string* interned = nullptr;
  TreeNode* value = nullptr;
};

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
  // The document: written into one block (a list or map with items), else a value of its own.
  Value take_root() {
    if (!root_) return Value();
    if (!root_->is_collection() || root_->size == 0) return standalone(*root_);
    BlockWriter::Plan plan;
    size_into(*root_, plan);
    BlockWriter writer(plan);
    if (place(writer, writer.root(), *root_)) fill(writer, *root_);
    root_ = nullptr;
    return writer.finish();
  }

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
    TreeNode* n = arena_.make<TreeNode>();
    n->span = span(mark);
    add_node(n, 1, 0, anchor, {});
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
    add_node(a.node, a.nodes, a.height, YAML::NullAnchor, a.key_text);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Span s = span(mark, &value);
    size_t at = check_properties(mark);
    note_child(mark);
    // yaml-cpp gives "?" for a plain scalar without a tag, "!" for a quoted or block one.
    bool plain = tag.size() == 1 && tag[0] == '?';
    if (!plain) check_quoted(at);
    if (value.size() > limits_.max_scalar_bytes)
      throw LoadError{s, fmt::format("scalar of {} bytes exceeds the limit of {} bytes",
                                     value.size(), limits_.max_scalar_bytes)};
    std::optional<Value> typed;  // nullopt: a string, the text itself
    if (plain) {
      typed = resolve_plain_scalar_typed(value, s);
    } else if (!(tag.size() == 1 && tag[0] == '!')) {
      typed = resolve_tagged_scalar(tag, value, s);
      if (!typed) throw LoadError{s, fmt::format("cannot read \"{}\" as {}", value, tag)};
      // Every tag that gives a string gives the text (tagged strings are rare: built, dropped).
      if (typed->is_string()) typed.reset();
      if (tag.rfind("tag:yaml.org,2002:", 0) != 0) tags_.add(s, tag);
    }
    count_nodes(1, mark);
    TreeNode* n = arena_.make<TreeNode>();
    n->span = s;
    // The text serves as a mapping key (of this mapping, or through an alias of this scalar).
    bool as_key = !stack_.empty() && stack_.back().is_map && !stack_.back().have_key;
    std::string_view text =
        typed && !as_key && anchor == YAML::NullAnchor ? std::string_view() : arena_.copy(value);
    if (!typed) {
      n->kind = Kind::String;
      n->u.text = text.data();
      n->size = static_cast<uint32_t>(text.size());
    } else {
      n->kind = typed->kind();
      switch (n->kind) {
        case Kind::Bool:
          n->u.b = typed->as_bool();
          break;
        case Kind::Int:
          n->u.i = typed->as_int();
          break;
        case Kind::Float:
          n->u.d = typed->as_float();
          break;
        default:
          break;
      }
    }
    bool is_merge_key = plain && value.size() == 2 && value[0] == '<' && value[1] == '<';
    add_node(n, 1, 0, anchor, text, is_merge_key);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override {
    open(mark, tag, anchor, /*is_map=*/false, style == YAML::EmitterStyle::Flow);
  }
  void OnSequenceEnd() override {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    TreeNode* n = arena_.make<TreeNode>();
    n->kind = Kind::List;
    n->span = f.span;
    size_t count = items_.size() - f.first;
    n->size = static_cast<uint32_t>(count);
    n->u.items = arena_.array<TreeNode*>(count);
    if (count) std::memcpy(n->u.items, items_.data() + f.first, count * sizeof(TreeNode*));
    items_.resize(f.first);
    add_node(n, f.nodes, f.height, f.anchor, {});
  }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    open(mark, tag, anchor, /*is_map=*/true, style == YAML::EmitterStyle::Flow);
  }
  void OnMapEnd() override {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    TreeNode* m = finish_map(f);
    entries_.resize(f.first);
    add_node(m, f.nodes, f.height, f.anchor, {});
  }

 private:
  struct Anchored {
    bool defined = false;
    TreeNode* node = nullptr;
    size_t nodes = 0;
    size_t height = 0;
    std::string_view key_text;  // the scalar's text, so an alias can serve as a mapping key
  };
  // An entry of a mapping under construction; `merge` marks a `<<` entry (its value is a map or
  // a list of maps to merge in).
  struct PendingEntry {
    std::string_view key;
    const std::string* interned = nullptr;
    TreeNode* value = nullptr;
    bool merge = false;
    uint32_t line = 0;  // where the key is written
  };
  struct Frame {
    bool is_map = false;
    bool flow = false;  // written [...] or {...}
    Span span;
    YAML::anchor_t anchor = YAML::NullAnchor;
    size_t nodes = 1;       // this collection and everything in it, aliases expanded
    size_t height = 1;      // levels of collections, this one included, aliases expanded
    size_t first = 0;       // its items in items_ (sequence) or entries_ (mapping) start here
    bool have_key = false;  // mapping: a key was read, its value is next
    bool key_is_merge = false;
    std::string_view key;
    Span key_span;
    bool has_merge = false;
    long indent = kIndentUnknown;  // block collections: the column of the first entry
    // Explicit keys -> position in entries_; built only for large mappings (small ones are
    // scanned, which is faster than hashing and allocates nothing).
    std::unordered_map<std::string_view, size_t> index;
  };
  static constexpr size_t kIndexAbove = 16;
  static constexpr long kIndentUnknown = -2;

  // The earlier entry of `f` with explicit key `key`, or nullptr; records `key` as the next entry.
  const PendingEntry* find_or_index(Frame& f, std::string_view key) {
    size_t count = entries_.size() - f.first;
    if (f.index.empty() && count < kIndexAbove) {
      for (size_t i = f.first; i < entries_.size(); ++i)
        if (!entries_[i].merge && entries_[i].key == key) return &entries_[i];
      return nullptr;
    }
    if (f.index.empty()) {
      for (size_t i = f.first; i < entries_.size(); ++i)
        if (!entries_[i].merge) f.index.emplace(entries_[i].key, i);
    }
    auto [it, inserted] = f.index.emplace(key, entries_.size());
    return inserted ? nullptr : &entries_[it->second];
  }

  Span span(const YAML::Mark& mark, const std::string* value = nullptr) const {
    if (mark.is_null()) return Span{file_, 0, 0, 0};
    Span s = mark_span(file_, bom_, mark);
    if (value) s.length = scalar_length(line_text(s.line), s.column - 1, *value);
    return s;
  }

  // The text of 1-based `line` (Source::line_text), the last one asked kept: a node's span, its
  // properties and its quotes ask for the same line in turn.
  std::string_view line_text(uint32_t line) const {
    if (line != cached_line_) {
      cached_line_ = line;
      cached_text_ = source_.line_text(line);
    }
    return cached_text_;
  }

  // The byte offset of a mark in the source (yaml-cpp's columns do not count a BOM).
  size_t offset(const YAML::Mark& mark) const {
    if (mark.is_null()) return source_.text().size();
    std::string_view line = line_text(static_cast<uint32_t>(mark.line + 1));
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
    bool untagged = tag.empty() || (tag.size() == 1 && (tag[0] == '?' || tag[0] == '!'));
    if (!untagged && tag.rfind("tag:yaml.org,2002:", 0) != 0) tags_.add(s, tag);
    Frame f;
    f.is_map = is_map;
    f.flow = flow;
    f.span = s;
    f.anchor = anchor;
    f.first = is_map ? entries_.size() : items_.size();
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
  void add_node(TreeNode* v, size_t nodes, size_t height, YAML::anchor_t anchor,
                std::string_view key_text, bool is_merge_key = false) {
    if (anchor != YAML::NullAnchor) {
      if (anchors_.size() <= anchor) anchors_.resize(anchor + 1);
      anchors_[anchor] = Anchored{true, v, nodes, height, key_text};
    }
    if (stack_.empty()) {
      root_ = v;
      done_ = true;
      return;
    }
    Frame& f = stack_.back();
    f.nodes += nodes;
    f.height = std::max(f.height, height + 1);
    if (!f.is_map) {
      items_.push_back(v);
      return;
    }
    if (!f.have_key) {
      if (v->is_collection()) throw LoadError{v->span, "a mapping key must be a scalar"};
      f.have_key = true;
      f.key_is_merge = is_merge_key;
      f.key = key_text;
      f.key_span = v->span;
      return;
    }
    f.have_key = false;
    if (f.key_is_merge) {
      check_merge_source(*v, f.key_span);
      entries_.push_back({"<<", nullptr, v, true, f.key_span.line});
      f.has_merge = true;
      return;
    }
    if (const PendingEntry* earlier = find_or_index(f, f.key))
      throw LoadError{f.key_span, fmt::format("mapping key \"{}\" already defined at line {}",
                                              f.key, earlier->line)};
    entries_.push_back({f.key, intern_key(f.key), v, false, f.key_span.line});
  }

  // Errors point at the `<<` key: the value may be an alias whose span is elsewhere.
  static void check_merge_source(const TreeNode& v, const Span& key_span) {
    if (v.kind == Kind::Map) return;
    if (v.kind == Kind::List) {
      for (uint32_t i = 0; i < v.size; ++i)
        if (v.u.items[i]->kind != Kind::Map)
          throw LoadError{key_span, "a merge key (<<) list may only hold mappings"};
      return;
    }
    throw LoadError{key_span, "a merge key (<<) takes a mapping or a list of mappings"};
  }

  // Explicit keys win over merged ones; among merged maps, the earlier one wins (YAML merge key
  // spec, as go-yaml does it). Entries stay in the order written.
  TreeNode* finish_map(const Frame& f) {
    TreeNode* m = arena_.make<TreeNode>();
    m->kind = Kind::Map;
    m->span = f.span;
    if (!f.has_merge) {
      size_t count = entries_.size() - f.first;
      m->size = static_cast<uint32_t>(count);
      m->u.entries = arena_.array<TreeEntry>(count);
      for (size_t i = 0; i < count; ++i) {
        const PendingEntry& e = entries_[f.first + i];
        new (m->u.entries + i) TreeEntry{e.key, e.interned, e.value};
      }
      return m;
    }
    std::vector<TreeEntry> out;
    std::unordered_set<std::string_view> taken;
    for (size_t i = f.first; i < entries_.size(); ++i)
      if (!entries_[i].merge) taken.insert(entries_[i].key);
    for (size_t i = f.first; i < entries_.size(); ++i) {
      const PendingEntry& e = entries_[i];
      if (!e.merge) {
        out.push_back({e.key, e.interned, e.value});
        continue;
      }
      auto merge_one = [&](const TreeNode& from) {
        for (uint32_t k = 0; k < from.size; ++k)
          if (taken.insert(from.u.entries[k].key).second) out.push_back(from.u.entries[k]);
      };
      if (e.value->kind == Kind::Map) {
        merge_one(*e.value);
      } else {
        for (uint32_t k = 0; k < e.value->size; ++k) merge_one(*e.value->u.items[k]);
      }
    }
    m->size = static_cast<uint32_t>(out.size());
    m->u.entries = arena_.array<TreeEntry>(out.size());
    for (size_t i = 0; i < out.size(); ++i) new (m->u.entries + i) TreeEntry(out[i]);
    return m;
  }

  // A scalar's value, or a string or an empty collection of its own (a root that needs no block).
  static Value standalone(const TreeNode& n) {
    switch (n.kind) {
      case Kind::Bool:
        return Value::boolean(n.u.b, n.span);
      case Kind::Int:
        return Value::integer(n.u.i, n.span);
      case Kind::Float:
        return Value::number(n.u.d, n.span);
      case Kind::String:
        return Value::string(std::string(n.text()), n.span);
      case Kind::List:
        return Value::list({}, n.span);
      case Kind::Map:
        return Value::map({}, n.span);
      default:
        return Value::null(n.span);
    }
  }

  // Sizes the block: every node once (an alias shares the node of its anchor).
  static void size_into(TreeNode& n, BlockWriter::Plan& plan) {
    if (n.planned) return;
    n.planned = true;
    if (n.kind == Kind::String) {
      plan.node_bytes += BlockWriter::string_bytes();
      if (BlockWriter::text_on_heap(n.size)) ++plan.heap_texts;
    } else if (n.kind == Kind::List && n.size > 0) {
      plan.node_bytes += BlockWriter::list_bytes(n.size);
      for (uint32_t i = 0; i < n.size; ++i) size_into(*n.u.items[i], plan);
    } else if (n.kind == Kind::Map && n.size > 0) {
      plan.node_bytes += BlockWriter::map_bytes(n.size);
      for (uint32_t i = 0; i < n.size; ++i) {
        const TreeEntry& e = n.u.entries[i];
        if (!e.interned) {
          ++plan.block_keys;
          if (BlockWriter::text_on_heap(e.key.size())) ++plan.heap_texts;
        }
        size_into(*e.value, plan);
      }
    }
  }

  // Writes `n` into `slot`: a scalar or string whole, a collection's node (fill() writes its
  // items). False when `n` was written before (an alias): the slot shares that value.
  static bool place(BlockWriter& w, Value* slot, TreeNode& n) {
    if (n.written) {
      BlockWriter::same(slot, *n.written);
      return false;
    }
    switch (n.kind) {
      case Kind::Bool:
        BlockWriter::scalar(slot, Value::boolean(n.u.b, n.span));
        break;
      case Kind::Int:
        BlockWriter::scalar(slot, Value::integer(n.u.i, n.span));
        break;
      case Kind::Float:
        BlockWriter::scalar(slot, Value::number(n.u.d, n.span));
        break;
      case Kind::String:
        w.string(slot, n.text(), n.span);
        break;
      case Kind::List:
        w.list(slot, n.size, n.span);
        break;
      case Kind::Map:
        w.map(slot, n.size, n.span);
        break;
      default:
        BlockWriter::scalar(slot, Value::null(n.span));
        break;
    }
    n.written = slot;
    return n.is_collection() && n.size > 0;
  }

  // The items of a collection place() wrote: first the items themselves (so that the nodes of a
  // collection's children sit together right after it), then the items of each child written
  // there first.
  static void fill(BlockWriter& w, TreeNode& n) {
    const Value& v = *n.written;
    if (n.kind == Kind::List) {
      auto* slots = const_cast<Value*>(v.as_list().data());
      for (uint32_t i = 0; i < n.size; ++i) place(w, slots + i, *n.u.items[i]);
      for (uint32_t i = 0; i < n.size; ++i) fill_child(w, slots + i, *n.u.items[i]);
    } else {
      auto* entries = const_cast<MapEntry*>(v.as_map().data());
      for (uint32_t i = 0; i < n.size; ++i) {
        const TreeEntry& e = n.u.entries[i];
        place(w, w.key(entries + i, e.key, e.interned), *e.value);
      }
      for (uint32_t i = 0; i < n.size; ++i)
        fill_child(w, &entries[i].second, *n.u.entries[i].value);
    }
  }
  static void fill_child(BlockWriter& w, const Value* slot, TreeNode& n) {
    if (n.written == slot && n.is_collection() && n.size > 0) fill(w, n);
  }

  FileId file_;
  const Source& source_;
  mutable uint32_t cached_line_ = 0;  // line_text(): 0, no line asked yet
  mutable std::string_view cached_text_;
  bool bom_;
  const YamlLimits& limits_;
  YamlTags& tags_;
  NodeArena arena_;
  std::vector<Frame> stack_;
  std::vector<TreeNode*> items_;       // the items of the open sequences, innermost last
  std::vector<PendingEntry> entries_;  // the entries of the open mappings, innermost last
  std::vector<Anchored> anchors_;
  size_t total_nodes_ = 0;
  int documents_ = 0;
  bool done_ = false;
  TreeNode* root_ = nullptr;
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
    // yaml-cpp reads a std::istream: one over the registered text itself, not a copy of it.
    TextBuf buffer(src.text());
    std::istream in(&buffer);
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
