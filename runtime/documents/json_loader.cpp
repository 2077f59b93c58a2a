#include "runtime/documents/json_loader.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "runtime/documents/yaml_scalar.hpp"

namespace capguard {

namespace {

// Past YamlLimits::max_nodes (which bounds the memory aliases can make a YAML document take), a
// JSON document's tree may take up to this many bytes per byte of its text: JSON has no aliases, so
// its size is bounded by the text's.
constexpr size_t kMaxTreeBytesPerTextByte = 4;

// Thrown when the text is not one the fast path takes: the YAML path reads it instead.
struct NotTaken {};

constexpr char kBom[] = "\xEF\xBB\xBF";

size_t skip_bom(std::string_view text) {
  return text.compare(0, 3, kBom) == 0 ? 3 : 0;
}

// Length of the valid UTF-8 sequence (RFC 3629: shortest form, no surrogates, at most U+10FFFF)
// at `s`, or 0.
size_t utf8_length(const unsigned char* s, const unsigned char* end) {
  unsigned char c = s[0];
  if (c < 0x80) return 1;
  auto cont = [&](size_t i, unsigned char lo, unsigned char hi) {
    return s + i < end && s[i] >= lo && s[i] <= hi;
  };
  if (c < 0xC2) return 0;
  if (c < 0xE0) return cont(1, 0x80, 0xBF) ? 2 : 0;
  if (c < 0xF0) {
    unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    return cont(1, lo, hi) && cont(2, 0x80, 0xBF) ? 3 : 0;
  }
  if (c < 0xF5) {
    unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    return cont(1, lo, hi) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
  }
  return 0;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The keys of one mapping being read, for the duplicate check (the YAML path refuses a key
// written twice). Small mappings are scanned; an index is built past kIndexAbove keys.
struct KeySet {
  static constexpr size_t kIndexAbove = 16;
  std::vector<std::string_view> keys;
  std::deque<std::string> owned;  // keys with escapes, decoded
  std::unordered_set<std::string_view> index;

  void clear() {
    keys.clear();
    owned.clear();
    index.clear();
  }
  // False when `key` was there already.
  bool insert(std::string_view key, bool from_scratch) {
    if (from_scratch) key = owned.emplace_back(key);
    if (index.empty() && keys.size() < kIndexAbove) {
      for (std::string_view k : keys)
        if (k == key) return false;
      keys.push_back(key);
      return true;
    }
    if (index.empty()) index.insert(keys.begin(), keys.end());
    return index.insert(key).second;
  }
};

enum class Pass { Measure, Write };

class JsonReader {
 public:
  JsonReader(FileId file, std::string_view text, const YamlLimits& limits)
      : file_(file), text_(text), limits_(limits) {}

  // Pass 1: checks the whole text and plans the block; throws NotTaken.
  void measure() {
    start();
    read<Pass::Measure>(nullptr, 0);
    finish_text();
    // Past YamlLimits::max_nodes, a document is taken while its tree stays within
    // kMaxTreeBytesPerTextByte times the text (see spec/robustness.md).
    if (nodes_ > limits_.max_nodes &&
        tree_bytes() > kMaxTreeBytesPerTextByte * std::max<size_t>(text_.size(), 1))
      throw NotTaken{};
  }

  // What the tree will take: the block, and the heap buffers of its long strings (malloc's
  // rounding and header included).
  size_t tree_bytes() const { return BlockWriter::block_bytes(plan_) + heap_bytes_; }

  // Pass 2: writes the tree planned by measure().
  Value write() {
    BlockWriter writer(plan_);
    writer_ = &writer;
    shared_nodes_.assign(shared_index_.size(), nullptr);
    next_size_ = 0;
    start();
    read<Pass::Write>(writer.root(), 0);
    finish_text();
    writer_ = nullptr;
    return writer.finish();
  }

  // Elements mode (parse_json_elements): the text is an array of objects, each written into a
  // block of its own. Set before measure().
  void read_elements() { elements_ = true; }
  // After measure(): the array's span and number of items.
  Span array_span() const { return array_span_; }
  size_t element_count() const { return sizes_.empty() ? 0 : sizes_[0]; }

  // Pass 2 of elements mode: writes each item planned by measure() into its own block and hands
  // it to `each`, in order; false when `each` stopped it.
  bool write_elements(const std::function<bool(Value)>& each) {
    // The whole document's string index served measure() only (tree_bytes()).
    shared_index_ = {};
    shared_owned_ = {};
    start();
    ++p_;  // the array's `[`
    next_size_ = 1;
    skip_space();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
    } else {
      for (size_t i = 0;; ++i) {
        skip_space();
        if (i >= elem_plans_.size())
          throw std::logic_error("json_loader: more items than measured");
        Value item;
        {
          // An item's tree lives until its container is normalized: not carved from the pool's
          // chunks, where it would keep the normalized containers' chunks from being freed.
          BlockWriter writer(elem_plans_[i], /*pooled=*/false);
          writer_ = &writer;
          elem_nodes_.clear();
          read<Pass::Write>(writer.root(), 1);
          writer_ = nullptr;
          item = writer.finish();
        }
        if (!each(std::move(item))) return false;
        if (!another_item(']')) break;
      }
    }
    finish_text();
    return true;
  }

 private:
  void start() {
    p_ = text_.data() + skip_bom(text_);
    end_ = text_.data() + text_.size();
    line_ = 1;
    line_start_ = text_.data();
    nodes_ = 0;
    skip_space();
  }
  void finish_text() {
    skip_space();
    if (p_ != end_) throw NotTaken{};
  }

  // JSON whitespace. A carriage return only before a line feed: yaml-cpp and the source's line
  // table disagree on a lone one.
  // After an item of a list or object: true past a `,` (another item follows), false past the
  // closing bracket; anything else is not JSON.
  bool another_item(char close) {
    skip_space();
    if (p_ >= end_) throw NotTaken{};
    if (*p_ == ',') {
      ++p_;
      return true;
    }
    if (*p_ != close) throw NotTaken{};
    ++p_;
    return false;
  }

  void skip_space() {
    while (p_ < end_) {
      char c = *p_;
      if (c == ' ' || c == '\t') {
        ++p_;
      } else if (c == '\n') {
        ++p_;
        ++line_;
        line_start_ = p_;
      } else if (c == '\r') {
        if (p_ + 1 >= end_ || p_[1] != '\n') throw NotTaken{};
        ++p_;
      } else {
        break;
      }
    }
  }

  Span here(uint32_t length = 0) const {
    return Span{file_, line_, static_cast<uint32_t>(p_ - line_start_ + 1), length};
  }

  void count_node() { ++nodes_; }

  // One value at p_ (after whitespace), written into `slot` in the Write pass. `depth`: the
  // collections open around it.
  template <Pass P>
  void read(Value* slot, size_t depth) {
    if (p_ >= end_) throw NotTaken{};
    switch (*p_) {
      case '[':
        read_list<P>(slot, depth);
        return;
      case '{':
        read_map<P>(slot, depth);
        return;
      case '"': {
        Span s = here();
        const char* open = p_;
        bool scratch = false;
        std::string_view text = read_string(scratch);
        count_node();
        s.length = static_cast<uint32_t>(p_ - open);
        string_value<P>(slot, text, scratch, s);
        return;
      }
      case 't':
        read_word<P>(slot, "true");
        return;
      case 'f':
        read_word<P>(slot, "false");
        return;
      case 'n': {
        Span s = here();
        expect_word("null");
        count_node();
        if constexpr (P == Pass::Write) BlockWriter::scalar(slot, Value::null(s));
        return;
      }
      default:
        read_number<P>(slot);
        return;
    }
  }

  // A string value. Equal strings share one node, as compact() makes them (a `docker inspect`
  // array repeats most of its texts: 2,500 containers hold 201,554 strings, 10,250 distinct).
  // Distinct texts are indexed up to kMaxShared; past that, new texts get nodes of their own,
  // the same way in both passes. `transient`: `text` does not point into the source.
  template <Pass P>
  void string_value(Value* slot, std::string_view text, bool transient, Span s) {
    if constexpr (P == Pass::Write) {
      if (elements_) {
        element_string(slot, text, s);
        return;
      }
    }
    auto it = shared_index_.find(text);
    if constexpr (P == Pass::Measure) {
      if (in_element_) plan_element_string(text, transient);
      if (it != shared_index_.end()) return;
      if (shared_index_.size() < kMaxShared) {
        std::string_view kept =
            transient ? std::string_view(shared_owned_.emplace_back(text)) : text;
        shared_index_.emplace(kept, static_cast<uint32_t>(shared_index_.size()));
      }
      plan_string(text.size());
    } else {
      if (it == shared_index_.end()) {
        writer_->string(slot, text, s);
        return;
      }
      const value_detail::Node*& node = shared_nodes_[it->second];
      if (node) {
        BlockWriter::shared_string(slot, node, s);
      } else {
        node = writer_->string(slot, text, s);
      }
    }
  }

  // Elements mode: equal strings share a node within their item's block only, indexed the same
  // way in both passes (up to kMaxShared distinct texts per item).
  void plan_element_string(std::string_view text, bool transient) {
    if (elem_index_.count(text)) return;
    if (elem_index_.size() < kMaxShared) {
      elem_index_.insert(transient ? std::string_view(elem_owned_.emplace_back(text)) : text);
    }
    elem_plan_.node_bytes += BlockWriter::string_bytes();
    if (BlockWriter::text_on_heap(text.size())) ++elem_plan_.heap_texts;
  }
  void element_string(Value* slot, std::string_view text, Span s) {
    auto it = elem_nodes_.find(text);
    if (it != elem_nodes_.end()) {
      BlockWriter::shared_string(slot, it->second, s);
      return;
    }
    const value_detail::Node* node = writer_->string(slot, text, s);
    // The key views the text in the block, which outlives the index.
    if (elem_nodes_.size() < kMaxShared) elem_nodes_.emplace(slot->as_string(), node);
  }
  // Nodes of a collection (and of an item's, in elements mode).
  void plan_nodes(size_t bytes) {
    plan_.node_bytes += bytes;
    if (in_element_) elem_plan_.node_bytes += bytes;
  }
  // A key intern_key() refused, stored in the block.
  void plan_block_key(size_t length) {
    ++plan_.block_keys;
    plan_heap_text(length);
    if (in_element_) {
      ++elem_plan_.block_keys;
      if (BlockWriter::text_on_heap(length)) ++elem_plan_.heap_texts;
    }
  }

  void plan_string(size_t length) {
    plan_.node_bytes += BlockWriter::string_bytes();
    plan_heap_text(length);
  }
  void plan_heap_text(size_t length) {
    if (!BlockWriter::text_on_heap(length)) return;
    ++plan_.heap_texts;
    heap_bytes_ += ((length + 1 + 8 + 15) & ~size_t{15});
  }

  void expect_word(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() ||
        std::memcmp(p_, word.data(), word.size()) != 0)
      throw NotTaken{};
    p_ += word.size();
  }

  template <Pass P>
  void read_word(Value* slot, std::string_view word) {
    Span s = here(static_cast<uint32_t>(word.size()));
    expect_word(word);
    count_node();
    if constexpr (P == Pass::Write) BlockWriter::scalar(slot, Value::boolean(word == "true", s));
  }

  // A number as RFC 8259 writes it, typed as the YAML path types the plain scalar.
  template <Pass P>
  void read_number(Value* slot) {
    const char* begin = p_;
    auto digits = [&] {
      const char* from = p_;
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
      if (p_ == from) throw NotTaken{};
    };
    if (p_ < end_ && *p_ == '-') ++p_;
    if (p_ < end_ && *p_ == '0') {
      ++p_;
    } else {
      digits();
    }
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      digits();
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      digits();
    }
    count_node();
    std::string text(begin, p_);
    Span s{file_, line_, static_cast<uint32_t>(begin - line_start_ + 1),
           static_cast<uint32_t>(text.size())};
    Value v = resolve_plain_scalar(text, s);
    if (v.is_string()) {
      string_value<P>(slot, v.as_string(), /*scratch=*/true, s);
    } else if constexpr (P == Pass::Write) {
      BlockWriter::scalar(slot, v);
    }
  }

  // The string at p_ (its opening quote), decoded; p_ moves past its closing quote. The text is
  // a view into the source, or into scratch_ when it had escapes (`scratch` then true).
  std::string_view read_string(bool& scratch) {
    const char* begin = ++p_;
    // The common case: printable ASCII without escapes.
    while (p_ < end_) {
      unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        std::string_view text(begin, static_cast<size_t>(p_ - begin));
        ++p_;
        check_scalar_size(text.size());
        return text;
      }
      if (c == '\\' || c < 0x20 || c >= 0x80) break;
      ++p_;
    }
    scratch = false;
    while (p_ < end_) {
      unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        std::string_view text =
            scratch ? std::string_view(scratch_) : std::string_view(begin, p_ - begin);
        ++p_;
        check_scalar_size(text.size());
        return text;
      }
      if (c < 0x20) throw NotTaken{};  // JSON strings hold no control characters
      if (c < 0x80 && c != '\\') {
        if (scratch) scratch_ += static_cast<char>(c);
        ++p_;
        continue;
      }
      if (c >= 0x80) {
        size_t n = utf8_length(reinterpret_cast<const unsigned char*>(p_),
                               reinterpret_cast<const unsigned char*>(end_));
        if (n == 0) throw NotTaken{};
        if (scratch) scratch_.append(p_, n);
        p_ += n;
        continue;
      }
      // An escape.
      if (!scratch) {
        scratch_.assign(begin, p_);
        scratch = true;
      }
      if (p_ + 1 >= end_) throw NotTaken{};
      char e = p_[1];
      p_ += 2;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          scratch_ += e;
          break;
        case 'b':
          scratch_ += '\b';
          break;
        case 'f':
          scratch_ += '\f';
          break;
        case 'n':
          scratch_ += '\n';
          break;
        case 'r':
          scratch_ += '\r';
          break;
        case 't':
          scratch_ += '\t';
          break;
        case 'u': {
          uint32_t cp = read_hex4();
          if (cp >= 0xDC00 && cp <= 0xDFFF) throw NotTaken{};  // a lone low surrogate
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') throw NotTaken{};
            p_ += 2;
            uint32_t low = read_hex4();
            if (low < 0xDC00 || low > 0xDFFF) throw NotTaken{};
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(scratch_, cp);
          break;
        }
        default:
          throw NotTaken{};
      }
    }
    throw NotTaken{};  // no closing quote
  }

  uint32_t read_hex4() {
    if (end_ - p_ < 4) throw NotTaken{};
    uint32_t cp = 0;
    for (int i = 0; i < 4; ++i) {
      int d = hex_digit(p_[i]);
      if (d < 0) throw NotTaken{};
      cp = cp << 4 | static_cast<uint32_t>(d);
    }
    p_ += 4;
    return cp;
  }

  void check_scalar_size(size_t size) const {
    if (size > limits_.max_scalar_bytes) throw NotTaken{};
  }

  void open(size_t depth) {
    count_node();
    if (depth >= limits_.max_depth) throw NotTaken{};
  }

  // Measure: records the collection's size; Write: takes it.
  size_t size_slot() {
    sizes_.push_back(0);
    return sizes_.size() - 1;
  }

  // Elements mode, pass 1: one item of the array, planned for a block of its own (as well as for
  // the whole document, which tree_bytes() measures). Only objects are taken.
  void measure_element(size_t depth) {
    if (p_ >= end_ || *p_ != '{') throw NotTaken{};
    in_element_ = true;
    elem_plan_ = {};
    elem_index_.clear();
    elem_owned_.clear();
    read<Pass::Measure>(nullptr, depth + 1);
    elem_plans_.push_back(elem_plan_);
    in_element_ = false;
  }

  template <Pass P>
  void read_list(Value* slot, size_t depth) {
    Span s = here();
    if (depth == 0) array_span_ = s;
    open(depth);
    ++p_;
    Value* items = nullptr;
    size_t planned = 0, n = 0, at = 0;
    if constexpr (P == Pass::Measure) {
      at = size_slot();
    } else {
      planned = sizes_.at(next_size_++);
      items = writer_->list(slot, planned, s);
    }
    skip_space();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
    } else {
      for (;;) {
        skip_space();
        if constexpr (P == Pass::Write) {
          if (n >= planned) throw std::logic_error("json_loader: list longer than measured");
        }
        if constexpr (P == Pass::Measure) {
          if (elements_ && depth == 0) {
            measure_element(depth);
            ++n;
            if (!another_item(']')) break;
            continue;
          }
        }
        read<P>(P == Pass::Write ? items + n : nullptr, depth + 1);
        ++n;
        if (!another_item(']')) break;
      }
    }
    if constexpr (P == Pass::Measure) {
      if (n > UINT32_MAX) throw NotTaken{};
      sizes_[at] = static_cast<uint32_t>(n);
      if (n > 0) plan_nodes(BlockWriter::list_bytes(n));
    }
  }

  template <Pass P>
  void read_map(Value* slot, size_t depth) {
    Span s = here();
    open(depth);
    ++p_;
    MapEntry* entries = nullptr;
    KeySet* keys = nullptr;
    size_t planned = 0, n = 0, at = 0;
    if constexpr (P == Pass::Measure) {
      at = size_slot();
      while (key_sets_.size() <= depth) key_sets_.push_back(std::make_unique<KeySet>());
      keys = key_sets_[depth].get();
      keys->clear();
    } else {
      planned = sizes_.at(next_size_++);
      entries = writer_->map(slot, planned, s);
    }
    skip_space();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
    } else {
      for (;;) {
        skip_space();
        if (p_ >= end_ || *p_ != '"') throw NotTaken{};
        const char* key_start = p_;
        uint32_t key_line = line_;
        bool scratch = false;
        std::string_view key = read_string(scratch);
        count_node();
        Value* value_slot = nullptr;
        if constexpr (P == Pass::Measure) {
          if (!keys->insert(key, scratch)) throw NotTaken{};  // the YAML path reports it
          if (!intern_key(key)) plan_block_key(key.size());
        } else {
          if (n >= planned) throw std::logic_error("json_loader: map longer than measured");
          value_slot = writer_->key(entries + n, key);
        }
        skip_space();
        if (p_ >= end_ || *p_ != ':') throw NotTaken{};
        // yaml-cpp takes a key only on the line of its `:` and at most 1024 bytes before it.
        if (line_ != key_line || p_ - key_start > 1024) throw NotTaken{};
        ++p_;
        skip_space();
        read<P>(value_slot, depth + 1);
        ++n;
        if (!another_item('}')) break;
      }
    }
    if constexpr (P == Pass::Measure) {
      if (n > UINT32_MAX) throw NotTaken{};
      sizes_[at] = static_cast<uint32_t>(n);
      if (n > 0) plan_nodes(BlockWriter::map_bytes(n));
      keys->clear();
    }
  }

  FileId file_;
  std::string_view text_;
  const YamlLimits& limits_;
  const char* p_ = nullptr;
  const char* end_ = nullptr;
  uint32_t line_ = 1;
  const char* line_start_ = nullptr;
  size_t nodes_ = 0;
  std::string scratch_;
  std::vector<uint32_t> sizes_;  // every collection's size, in the order they open
  size_t next_size_ = 0;
  std::vector<std::unique_ptr<KeySet>> key_sets_;  // one per depth
  BlockWriter::Plan plan_;
  size_t heap_bytes_ = 0;
  static constexpr size_t kMaxShared = size_t{1} << 20;
  std::unordered_map<std::string_view, uint32_t> shared_index_;  // distinct text -> its number
  std::deque<std::string> shared_owned_;  // indexed texts that are not views into the source
  std::vector<const value_detail::Node*> shared_nodes_;  // Write: each number's node, once placed
  BlockWriter* writer_ = nullptr;
  // Elements mode.
  bool elements_ = false;
  bool in_element_ = false;  // measure(): inside an item of the array
  Span array_span_;
  BlockWriter::Plan elem_plan_;
  std::vector<BlockWriter::Plan> elem_plans_;        // each item's block
  std::unordered_set<std::string_view> elem_index_;  // measure(): the item's distinct texts
  std::deque<std::string> elem_owned_;               // ... that are not views into the source
  std::unordered_map<std::string_view, const value_detail::Node*> elem_nodes_;  // write: placed
};

}  // namespace

std::optional<Value> parse_json_document(FileId file, const YamlLimits& limits) {
  std::string_view text = source(file).text();
  if (!looks_like_json(text)) return std::nullopt;
  JsonReader reader(file, text, limits);
  try {
    reader.measure();
  } catch (const NotTaken&) {
    return std::nullopt;
  }
  return reader.write();
}

bool parse_json_elements(FileId file, const YamlLimits& limits,
                         const std::function<bool(Span, size_t)>& count,
                         const std::function<bool(Value)>& each) {
  std::string_view text = source(file).text();
  if (json_opening(text) != '[') return false;
  JsonReader reader(file, text, limits);
  reader.read_elements();
  try {
    reader.measure();
  } catch (const NotTaken&) {
    return false;
  }
  if (!count(reader.array_span(), reader.element_count())) return false;
  return reader.write_elements(each);
}

}  // namespace capguard
