#pragma once
// Value: the one data type that documents, params, constants and results share. Every value
// carries the Span of the text it came from (a compose file line, a policy literal), so a finding
// can point at it. Values are immutable once built; copies are cheap (heap parts are shared).
//
// Kinds: null, bool, int, float, string, size (bytes), duration (nanoseconds), caps (a 64-bit
// capability mask), list, set (a list kept sorted and without duplicates), map (keys in
// insertion order).

#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "lang/core/caps.hpp"
#include "lang/core/source.hpp"

namespace capguard {

// Bounds on values built at run time (strings by `+`, join and replace; lists by `+`), so that a
// policy cannot grow memory without bound by doubling a value with chained `let`s. The same as the
// YAML loader's bounds on one scalar and on a document's nodes.
constexpr size_t kMaxStringBytes = 16u << 20;
constexpr size_t kMaxListItems = 1'000'000;

enum class Kind : uint8_t { Null, Bool, Int, Float, String, Size, Duration, Caps, List, Set, Map };

// "null", "bool", "int", "float", "string", "size", "duration", "caps", "list", "set", "map".
const char* kind_name(Kind k);

class Value;
using List = std::vector<Value>;
// A map entry while a map is being built (Value::map() takes them).
using Entry = std::pair<std::string, Value>;
using Entries = std::vector<Entry>;

// The key of a stored map entry: a reference to key text owned by the map's node (or by the
// document block it was compacted into, or the process-wide table of interned keys), so that a
// stored entry is a pointer and a Value (32 bytes) rather than a whole std::string and a Value.
// Reads like a const std::string.
class Key {
 public:
  Key() = default;
  explicit Key(const std::string* text) : text_(text) {}
  const std::string& str() const { return *text_; }
  // Where the text lives: equal for keys interned by intern_key() (nothing is read).
  const std::string* address() const { return text_; }
  operator const std::string&() const { return *text_; }  // NOLINT: reads as a string
  operator std::string_view() const { return *text_; }    // NOLINT
  size_t size() const { return text_->size(); }
  bool empty() const { return text_->empty(); }
  const char* data() const { return text_->data(); }
  size_t find(std::string_view what, size_t from = 0) const { return text_->find(what, from); }
  size_t find(char c, size_t from = 0) const { return text_->find(c, from); }
  std::string substr(size_t pos, size_t n = std::string::npos) const {
    return text_->substr(pos, n);
  }

  friend bool operator==(const Key& a, const Key& b) { return *a.text_ == *b.text_; }
  friend bool operator==(const Key& a, std::string_view b) { return *a.text_ == b; }
  friend bool operator==(const Key& a, const std::string& b) { return *a.text_ == b; }
  friend bool operator==(const Key& a, const char* b) { return *a.text_ == b; }
  template <typename T>
  friend bool operator==(const T& a, const Key& b) {
    return b == a;
  }
  template <typename T>
  friend bool operator!=(const Key& a, const T& b) {
    return !(a == b);
  }
  template <typename T, typename = std::enable_if_t<!std::is_same_v<T, Key>>>
  friend bool operator!=(const T& a, const Key& b) {
    return !(b == a);
  }
  friend std::string operator+(const std::string& a, const Key& b) { return a + *b.text_; }

 private:
  const std::string* text_ = nullptr;
};

struct MapEntry;  // a stored map entry, defined after Value

// A read-only view of the items of a list, set or map: what Value::as_list() and as_map() return.
// Valid while the Value it came from (or any copy of it) is alive. Iterators are pointers.
template <typename T>
class Items {
 public:
  using value_type = T;
  using const_iterator = const T*;
  using iterator = const T*;
  Items() = default;
  Items(const T* data, size_t size) : data_(data), size_(size) {}
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](size_t i) const {
    assert(i < size_);
    return data_[i];
  }
  const T& at(size_t i) const {
    if (i >= size_) throw std::out_of_range("item index out of range");
    return data_[i];
  }
  const T& front() const { return (*this)[0]; }
  const T& back() const { return (*this)[size_ - 1]; }
  // A copy of the items, for builders that modify them (map entries copy as Entries).
  auto to_vector() const {
    if constexpr (std::is_same_v<T, MapEntry>) {
      Entries out;
      out.reserve(size_);
      for (const T& e : *this) out.emplace_back(e.first.str(), e.second);
      return out;
    } else {
      return std::vector<T>(begin(), end());
    }
  }

 private:
  const T* data_ = nullptr;
  size_t size_ = 0;
};
using ListView = Items<Value>;
using EntriesView = Items<MapEntry>;

namespace value_detail {
// The shared, immutable heap part of a string, list, set or map value: a reference count and,
// for lists, sets and maps, the items stored right after the header in the same allocation (one
// allocation and one pointer hop per collection, not a control block, a vector and its buffer).
//
// A node either stands alone (arena == 0: `refs` counts the values that point at it) or lives in
// a compacted block with the rest of its document (see compact()): then `arena` is the distance
// in bytes back to the block's header node, whose `refs` counts the values outside the block that
// point into it, and the values inside the block hold no count at all.
struct Node {
  mutable std::atomic<uint32_t> refs{1};
  uint32_t size = 0;   // items after the header (lists, sets, maps)
  uint32_t arena = 0;  // bytes back to the block's header; 0 for a node of its own
  uint32_t reserved = 0;
};
struct StringNode : Node {
  std::string text;
};
static_assert(sizeof(Node) == 16);
}  // namespace value_detail

class Value {
 public:
  Value() = default;  // null, no span
  Value(const Value& other) : where_(other.where_), u_(other.u_) { retain(); }
  Value(Value&& other) noexcept : where_(other.where_), u_(other.u_) {
    other.where_.kind = Kind::Null;
  }
  Value& operator=(const Value& other) {
    if (this != &other) {
      other.retain();
      release();
      where_ = other.where_;
      u_ = other.u_;
    }
    return *this;
  }
  Value& operator=(Value&& other) noexcept {
    if (this != &other) {
      release();
      where_ = other.where_;
      u_ = other.u_;
      other.where_.kind = Kind::Null;
    }
    return *this;
  }
  ~Value() { release(); }

  static Value null(Span s = {}) { return Value(Kind::Null, s); }
  static Value boolean(bool b, Span s = {});
  static Value integer(int64_t i, Span s = {});
  static Value number(double d, Span s = {});
  static Value string(std::string text, Span s = {});
  static Value size(int64_t bytes, Span s = {});
  static Value duration(int64_t nanoseconds, Span s = {});
  static Value caps(caps::Mask mask, Span s = {});
  static Value list(List items, Span s = {});
  // Sorts by `compare` and removes duplicates.
  static Value set(List items, Span s = {});
  // Keys are kept in the given order; later duplicates replace earlier ones.
  static Value map(Entries entries, Span s = {});
  // For builders that already guarantee unique keys (the YAML loader rejects duplicates): skips
  // map()'s duplicate scan, which is quadratic in the number of keys. Unique keys are not checked.
  static Value map_unique(Entries entries, Span s = {});
  // A map of two entries with distinct keys, made with one allocation (the evaluator's
  // {key, value} for each entry of a map it iterates).
  static Value map_of_two(std::string_view key1, Value value1, std::string_view key2, Value value2,
                          Span s = {});

  Kind kind() const { return where_.kind; }
  // Where the value came from. The underline length is kept up to 65535 bytes.
  Span span() const { return Span{where_.file, where_.line, where_.column, where_.length}; }
  Value with_span(Span s) const {
    Value v = *this;
    v.where_ = Where(s, where_.kind);
    return v;
  }

  bool is_null() const { return where_.kind == Kind::Null; }
  bool is_bool() const { return where_.kind == Kind::Bool; }
  bool is_int() const { return where_.kind == Kind::Int; }
  bool is_float() const { return where_.kind == Kind::Float; }
  bool is_number() const { return where_.kind == Kind::Int || where_.kind == Kind::Float; }
  bool is_string() const { return where_.kind == Kind::String; }
  bool is_list() const { return where_.kind == Kind::List; }
  bool is_set() const { return where_.kind == Kind::Set; }
  bool is_sequence() const { return where_.kind == Kind::List || where_.kind == Kind::Set; }
  bool is_map() const { return where_.kind == Kind::Map; }

  // Accessors: the caller checks the kind first (checked by assert in debug builds).
  bool as_bool() const { return u_.b; }
  int64_t as_int() const { return u_.i; }  // also size (bytes) and duration (ns)
  double as_float() const { return u_.d; }
  double as_double() const { return where_.kind == Kind::Float ? u_.d : static_cast<double>(u_.i); }
  caps::Mask as_caps() const { return u_.mask; }
  // Inline: the evaluator reads documents through these on every field access.
  const std::string& as_string() const {
    assert(where_.kind == Kind::String);
    return static_cast<const value_detail::StringNode*>(u_.node)->text;
  }
  ListView as_list() const {  // list or set
    assert(where_.kind == Kind::List || where_.kind == Kind::Set);
    if (!u_.node) return {};
    return {reinterpret_cast<const Value*>(u_.node + 1), u_.node->size};
  }
  EntriesView as_map() const {
    assert(where_.kind == Kind::Map);
    if (!u_.node) return {};
    return {reinterpret_cast<const MapEntry*>(u_.node + 1), u_.node->size};
  }
  // The address of the items (nullptr when empty or not a collection), for prefetching.
  const void* heap_address() const { return has_node() ? u_.node : nullptr; }

  // Map lookup by key; nullptr when absent or not a map.
  const Value* get(std::string_view key) const;
  // Map lookup by position with key check: the entry at `slot` if its key is `key`, else by key.
  const Value* get_slot(size_t slot, std::string_view key) const;

  // Structural equality (spans ignored). Int and float compare by value.
  bool operator==(const Value& other) const;
  bool operator!=(const Value& other) const { return !(*this == other); }
  // A total order over all values (kind first, then content), used for sets and sorting.
  static int compare(const Value& a, const Value& b);

 private:
  Value(Kind k, Span s) : where_(s, k) {}
  bool has_node() const {
    // One bit test (this runs in every destructor): string, list, set and map hold a node.
    constexpr unsigned kWithNode =
        1u << static_cast<unsigned>(Kind::String) | 1u << static_cast<unsigned>(Kind::List) |
        1u << static_cast<unsigned>(Kind::Set) | 1u << static_cast<unsigned>(Kind::Map);
    return ((kWithNode >> static_cast<unsigned>(where_.kind)) & 1u) != 0;
  }
  // The node that holds the count for `n`: itself, or the header of its compacted block.
  static const value_detail::Node* owner(const value_detail::Node* n) {
    return n->arena == 0 ? n
                         : reinterpret_cast<const value_detail::Node*>(
                               reinterpret_cast<const char*>(n) - n->arena);
  }
  void retain() const {
    if (has_node() && u_.node) owner(u_.node)->refs.fetch_add(1, std::memory_order_relaxed);
  }
  void release() {
    if (!has_node() || !u_.node) return;
    const value_detail::Node* o = owner(u_.node);
    if (o->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) destroy(o);
  }
  void destroy(const value_detail::Node* owner);  // frees a node or block whose count hit zero
  static Value collection(Kind k, List items, Span s);
  friend class Compactor;
  friend class BlockWriter;

  // A Span packed with the kind into 16 bytes, so that a Value is 24: the kind sits in the
  // padding after the underline length.
  struct Where {
    Where() = default;
    Where(const Span& s, Kind k)
        : file(s.file),
          line(s.line),
          column(s.column),
          length(static_cast<uint16_t>(s.length > 0xFFFF ? 0xFFFF : s.length)),
          kind(k) {}
    FileId file = 0;
    uint32_t line = 0;
    uint32_t column = 0;
    uint16_t length = 0;
    Kind kind = Kind::Null;
  };
  Where where_;
  union {
    bool b;
    int64_t i;
    double d;
    caps::Mask mask;
    const value_detail::Node* node;  // string, list, set, map (nullptr: an empty collection)
  } u_{};
};
static_assert(sizeof(Value) == 24, "Value is meant to be 24 bytes");

// A stored map entry (what Value::as_map() iterates): the key's text lives with the map.
struct MapEntry {
  Key first;
  Value second;
  operator Entry() const { return {first.str(), second}; }  // NOLINT: a copy for builders
};
static_assert(sizeof(MapEntry) == 32);

// The process-wide copy of a map key, shared by compacted documents (compact() stores their
// keys here) and compiled programs (field names), so that a field is found by comparing key
// addresses. Thread-safe; entries are never freed. nullptr once the table holds 100,000 keys,
// or for a key over 256 bytes: such keys are stored with their document.
const std::string* intern_key(std::string_view text);

// A deep copy of `v` whose strings, lists, sets and maps all live in one allocation, laid out so
// that a collection's own child collections follow it: reading a document then touches a few
// neighbouring cache lines and pages instead of allocations scattered over the heap. The loaders
// compact each document once (`check` keeps a compose document as built: InputOptions::compact).
// Values that share a node (YAML aliases) are copied once per reference; a value whose copy would
// exceed `max_bytes` is returned as it is. Map and string nodes start 16 bytes past a 32-byte
// boundary, so that no entry (and no short string's text) straddles two cache lines. The block
// comes from lang/core/block_pool.hpp. Parts of `v` that already lie in a compacted block (a loaded
// document's values kept in the normalized document, its `raw`) are shared, not copied: the new
// block holds a count on that block; `v` itself compacted already is returned as it is.
Value compact(const Value& v, size_t max_bytes = size_t{64} << 20);
// The same, but nothing shared: parts in other compacted blocks are copied too, so the result
// keeps no other block alive (a normalized container that keeps a few values of its loaded tree
// lets the tree be freed). Returned as it is only when over 4 GiB.
Value compact_copy(const Value& v);

// Writes a document straight into the form compact() gives it, for a loader that knows every
// collection's size before it writes the collection (runtime/documents/json_loader.cpp reads its
// text twice: once to check and measure it, once to write). Collections and strings are placed in
// the order they are written (a collection's node, then the nodes of its first item's subtree...);
// equal strings share a node when the loader asks (shared_string()). The sizes: a Plan sums
// string_bytes(), list_bytes() and map_bytes() over the document's strings and non-empty
// collections, and counts the texts longer than what std::string holds inline (strings, and keys
// that intern_key() refuses).
class BlockWriter {
 public:
  struct Plan {
    size_t node_bytes = 0;  // string_bytes() + list_bytes(n) + map_bytes(n), summed
    size_t heap_texts = 0;  // strings and block keys with text_on_heap()
    size_t block_keys = 0;  // keys intern_key() refused (stored in the block)
  };
  static size_t string_bytes();        // one string node, alignment included
  static size_t list_bytes(size_t n);  // a list of n > 0 items
  static size_t map_bytes(size_t n);   // a map of n > 0 entries, alignment included
  static bool text_on_heap(size_t length);
  // The block's size for `plan` (what allocate() takes).
  static size_t block_bytes(const Plan& plan);

  // Allocates the block (throws std::bad_alloc, std::length_error over 4 GiB); `pooled` false for
  // a short-lived one (block_pool::allocate).
  explicit BlockWriter(const Plan& plan, bool pooled = true);
  ~BlockWriter();  // frees the block unless finish() took it
  BlockWriter(const BlockWriter&) = delete;
  BlockWriter& operator=(const BlockWriter&) = delete;

  // Each writes a value into `slot` (an item of a collection written before, or root()), which
  // must not hold a value (its old content is overwritten, not released).
  // A list of `n` items: returns its item slots (nullptr when n == 0).
  Value* list(Value* slot, size_t n, Span s);
  // A map of `n` entries: returns its entries, whose keys key() writes (nullptr when n == 0).
  MapEntry* map(Value* slot, size_t n, Span s);
  // Entry `e`'s key (interned, or stored in the block); its value slot is &e->second.
  Value* key(MapEntry* e, std::string_view text);
  // The same with what intern_key(text) returned already (nullptr: stored in the block).
  Value* key(MapEntry* e, std::string_view text, const std::string* interned);
  // A string: returns its node, which later equal strings may share (shared_string()).
  const value_detail::Node* string(Value* slot, std::string_view text, Span s);
  // A string whose node string() wrote into this block before.
  static void shared_string(Value* slot, const value_detail::Node* node, Span s);
  // A value written into this block before (a YAML alias): shares its node, span included.
  static void same(Value* slot, const Value& earlier);
  // null, bool, int or float.
  static void scalar(Value* slot, const Value& v);
  // The slot of the root value (a list or a map).
  Value* root() { return reinterpret_cast<Value*>(root_); }
  // The document, holding the block (once, after the root was written).
  Value finish();

 private:
  char* place(size_t bytes, bool aligned);
  void* collection(Value* slot, Kind kind, size_t n, size_t item_bytes, bool aligned, Span s);
  void keep(std::string* s);
  char* block_ = nullptr;
  char* next_ = nullptr;
  char* end_ = nullptr;  // of the node area
  std::string* keys_ = nullptr;
  std::string* keys_end_ = nullptr;
  std::string** strings_ = nullptr;
  size_t strings_cap_ = 0;
  alignas(Value) char root_[sizeof(Value)] = {};
};

// Compact JSON text of a value (sizes as integers of bytes, durations as integers of
// nanoseconds, caps as arrays of names). Used in messages, `eval` and tests.
std::string to_json_text(const Value& v);

// Human-readable text for message interpolation: strings bare, sizes as "256MiB", durations as
// "1m30s", caps as "NET_ADMIN, SYS_ADMIN", lists as "a, b", null as "null".
std::string to_display(const Value& v);

// Size and duration text ("256MiB", "1.5GiB", "512B"; "1m30s", "500ms").
std::string format_size(int64_t bytes);
std::string format_duration(int64_t nanoseconds);

}  // namespace capguard
