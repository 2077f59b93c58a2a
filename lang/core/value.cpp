#include "lang/core/value.hpp"

#include "lang/core/block_pool.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

namespace capguard {

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::Null:
      return "null";
    case Kind::Bool:
      return "bool";
    case Kind::Int:
      return "int";
    case Kind::Float:
      return "float";
    case Kind::String:
      return "string";
    case Kind::Size:
      return "size";
    case Kind::Duration:
      return "duration";
    case Kind::Caps:
      return "caps";
    case Kind::List:
      return "list";
    case Kind::Set:
      return "set";
    case Kind::Map:
      return "map";
  }
  return "?";
}

Value Value::boolean(bool b, Span s) {
  Value v(Kind::Bool, s);
  v.u_.b = b;
  return v;
}
Value Value::integer(int64_t i, Span s) {
  Value v(Kind::Int, s);
  v.u_.i = i;
  return v;
}
Value Value::number(double d, Span s) {
  Value v(Kind::Float, s);
  v.u_.d = d;
  return v;
}
namespace {

using value_detail::Node;
using value_detail::StringNode;

// A node with `n` items of type T stored right after its header, moved from `items`.
template <typename T>
const Node* make_items_node(std::vector<T>& items) {
  if (items.empty()) return nullptr;
  void* memory = ::operator new(sizeof(Node) + items.size() * sizeof(T));
  Node* node = new (memory) Node;
  node->size = static_cast<uint32_t>(items.size());
  T* out = reinterpret_cast<T*>(node + 1);
  for (size_t i = 0; i < items.size(); ++i) new (out + i) T(std::move(items[i]));
  return node;
}

template <typename T>
void free_items_node(const Node* node) {
  const T* items = reinterpret_cast<const T*>(node + 1);
  for (uint32_t i = 0; i < node->size; ++i) items[i].~T();
  node->~Node();
  ::operator delete(const_cast<Node*>(node));
}

// A map node of its own: the header, the entries, then the key strings the entries refer to.
// Entry i's key is moved (or made) from key(i) and its value moved from value(i).
template <typename KeyOf, typename ValueOf>
const Node* make_map_node(size_t n, KeyOf key, ValueOf value) {
  if (n == 0) return nullptr;
  void* memory = ::operator new(sizeof(Node) + n * (sizeof(MapEntry) + sizeof(std::string)));
  Node* node = new (memory) Node;
  node->size = static_cast<uint32_t>(n);
  auto* out = reinterpret_cast<MapEntry*>(node + 1);
  auto* keys = reinterpret_cast<std::string*>(out + n);
  for (size_t i = 0; i < n; ++i) {
    const std::string* k = new (keys + i) std::string(std::move(key(i)));
    new (out + i) MapEntry{Key(k), std::move(value(i))};
  }
  return node;
}

void free_map_node(const Node* node) {
  using std::string;
  size_t n = node->size;
  const auto* items = reinterpret_cast<const MapEntry*>(node + 1);
  const auto* keys = reinterpret_cast<const string*>(items + n);
  for (size_t i = 0; i < n; ++i) {
    items[i].~MapEntry();
    keys[i].~string();
  }
  node->~Node();
  ::operator delete(const_cast<Node*>(node));
}

}  // namespace

Value Value::string(std::string text, Span s) {
  Value v(Kind::String, s);
  StringNode* node = new StringNode;
  node->text = std::move(text);
  v.u_.node = node;
  return v;
}

Value Value::size(int64_t bytes, Span s) {
  Value v(Kind::Size, s);
  v.u_.i = bytes;
  return v;
}
Value Value::duration(int64_t ns, Span s) {
  Value v(Kind::Duration, s);
  v.u_.i = ns;
  return v;
}
Value Value::caps(caps::Mask mask, Span s) {
  Value v(Kind::Caps, s);
  v.u_.mask = mask;
  return v;
}
Value Value::collection(Kind k, List items, Span s) {
  if (items.size() > UINT32_MAX) throw std::length_error("list too long");
  Value v(k, s);
  v.u_.node = make_items_node(items);
  return v;
}
Value Value::list(List items, Span s) {
  return collection(Kind::List, std::move(items), s);
}
Value Value::set(List items, Span s) {
  std::sort(items.begin(), items.end(),
            [](const Value& a, const Value& b) { return compare(a, b) < 0; });
  items.erase(std::unique(items.begin(), items.end()), items.end());
  return collection(Kind::Set, std::move(items), s);
}
Value Value::map(Entries entries, Span s) {
  Entries unique;
  unique.reserve(entries.size());  // never reallocates: the index's views stay valid
  if (entries.size() <= 16) {      // small maps: a scan is faster than hashing
    for (Entry& e : entries) {
      auto it = std::find_if(unique.begin(), unique.end(),
                             [&](const Entry& u) { return u.first == e.first; });
      if (it != unique.end()) {
        it->second = std::move(e.second);
      } else {
        unique.push_back(std::move(e));
      }
    }
    return map_unique(std::move(unique), s);
  }
  // Large maps (50,000 environment entries took 5 s with the scan): an index by key.
  std::unordered_map<std::string_view, size_t> index;
  index.reserve(entries.size());
  for (Entry& e : entries) {
    auto found = index.find(e.first);
    if (found != index.end()) {
      unique[found->second].second = std::move(e.second);
    } else {
      unique.push_back(std::move(e));
      index.emplace(unique.back().first, unique.size() - 1);
    }
  }
  return map_unique(std::move(unique), s);
}
Value Value::map_of_two(std::string_view key1, Value value1, std::string_view key2, Value value2,
                        Span s) {
  std::string_view keys[2] = {key1, key2};
  Value* values[2] = {&value1, &value2};
  Value v(Kind::Map, s);
  v.u_.node = make_map_node(
      2, [&](size_t i) { return keys[i]; }, [&](size_t i) -> Value& { return *values[i]; });
  return v;
}

Value Value::map_unique(Entries entries, Span s) {
  if (entries.size() > UINT32_MAX) throw std::length_error("map too large");
  Value v(Kind::Map, s);
  v.u_.node = make_map_node(
      entries.size(), [&](size_t i) -> std::string& { return entries[i].first; },
      [&](size_t i) -> Value& { return entries[i].second; });
  return v;
}

namespace {
// Frees a compacted block whose count reached zero. Its long strings own heap buffers, and it holds
// one count on each other block it shares nodes of (compact() of a value that already lies partly
// in a block): the entries of its pointer array, the blocks' headers tagged with the low bit.
void free_block(const Node* o) {
  auto* entries =
      reinterpret_cast<const uintptr_t*>(reinterpret_cast<const char*>(o) + o->reserved);
  for (uint32_t i = 0; i < o->size; ++i) {
    uintptr_t e = entries[i];
    if (e & 1) {
      auto* other = reinterpret_cast<const Node*>(e & ~uintptr_t{1});
      if (other->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) free_block(other);
    } else {
      reinterpret_cast<std::string*>(e)->~basic_string();
    }
  }
  o->~Node();
  block_pool::release(const_cast<Node*>(o));
}
}  // namespace

void Value::destroy(const Node* o) {
  if (o != u_.node) {
    free_block(o);
  } else {
    switch (where_.kind) {
      case Kind::String:
        delete static_cast<const StringNode*>(u_.node);
        break;
      case Kind::List:
      case Kind::Set:
        free_items_node<Value>(u_.node);
        break;
      case Kind::Map:
        free_map_node(u_.node);
        break;
      default:
        break;
    }
  }
  u_.node = nullptr;
}

namespace {

// A hash of short texts (keys are at most 256 bytes): eight bytes at a time, multiply and fold.
uint64_t key_hash(std::string_view text) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ text.size();
  const char* p = text.data();
  size_t n = text.size();
  auto mix = [&h](uint64_t w) {
    h = (h ^ w) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
  };
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    mix(w);
  }
  if (n > 0) {
    uint64_t w = 0;
    std::memcpy(&w, p, n);
    mix(w);
  }
  h ^= h >> 29;
  h *= 0xC4CEB9FE1A85EC53ull;
  return h ^ (h >> 32);
}

// Interned keys by text: open addressing over (hash, key) pairs, no allocation per entry.
class KeyIndex {
 public:
  const std::string* find(std::string_view text, uint64_t hash) const {
    if (slots_.empty()) return nullptr;
    size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (!s.key) return nullptr;
      if (s.hash == hash && *s.key == text) return s.key;
    }
  }
  // `key` is not in the index yet.
  void insert(const std::string* key, uint64_t hash) {
    if ((count_ + 1) * 4 > slots_.size() * 3) grow();
    place(key, hash);
    ++count_;
  }
  size_t size() const { return count_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    const std::string* key = nullptr;
  };
  void place(const std::string* key, uint64_t hash) {
    size_t mask = slots_.size() - 1;
    size_t i = hash & mask;
    while (slots_[i].key) i = (i + 1) & mask;
    slots_[i] = Slot{hash, key};
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 256 : old.size() * 2, Slot{});
    for (const Slot& s : old)
      if (s.key) place(s.key, s.hash);
  }
  std::vector<Slot> slots_;
  size_t count_ = 0;
};

// Texts -> values, for one compact() call: entries in a vector (an entry's index stays valid as
// the table grows), found through an open-addressing index of their hashes.
template <typename T>
class TextTable {
 public:
  struct Entry {
    std::string_view first;
    T second;
  };
  // The entry of `text`, added with `value` when absent (then `added`).
  Entry& insert(std::string_view text, T value, bool& added) {
    if ((entries_.size() + 1) * 4 > slots_.size() * 3) grow();
    uint64_t hash = key_hash(text);
    size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.index == 0) {
        entries_.push_back(Entry{text, value});
        s = Slot{hash, static_cast<uint32_t>(entries_.size())};
        added = true;
        return entries_.back();
      }
      Entry& e = entries_[s.index - 1];
      if (s.hash == hash && e.first == text) {
        added = false;
        return e;
      }
    }
  }
  Entry* find(std::string_view text) {
    if (slots_.empty()) return nullptr;
    uint64_t hash = key_hash(text);
    size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.index == 0) return nullptr;
      Entry& e = entries_[s.index - 1];
      if (s.hash == hash && e.first == text) return &e;
    }
  }
  std::vector<Entry>& entries() { return entries_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t index = 0;  // entries_[index - 1]; 0: empty
  };
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    size_t mask = slots_.size() - 1;
    for (const Slot& o : old) {
      if (o.index == 0) continue;
      size_t i = o.hash & mask;
      while (slots_[i].index != 0) i = (i + 1) & mask;
      slots_[i] = o;
    }
  }
  std::vector<Slot> slots_;
  std::vector<Entry> entries_;
};

}  // namespace

const std::string* intern_key(std::string_view text) {
  // Bounded so that a stream of documents with ever new keys cannot grow it without limit; past
  // the bounds keys are stored with their document instead.
  constexpr size_t kMaxKeys = 100'000;
  constexpr size_t kMaxKeyBytes = 256;
  if (text.size() > kMaxKeyBytes) return nullptr;
  uint64_t hash = key_hash(text);
  // Each thread first asks its own cache of keys already interned (no lock: with -j N every
  // worker interns the keys of every document it loads); interned keys are never freed, so the
  // cache's pointers stay valid.
  thread_local KeyIndex cache;
  if (const std::string* cached = cache.find(text, hash)) return cached;
  static std::mutex mutex;
  static auto* table = new KeyIndex();
  static auto* texts = new std::deque<std::string>();  // the keys' text (elements never move)
  const std::string* key = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex);
    key = table->find(text, hash);
    if (!key) {
      if (table->size() >= kMaxKeys) return nullptr;
      key = &texts->emplace_back(text);
      table->insert(key, hash);
    }
  }
  cache.insert(key, hash);
  return key;
}

// Builds compact()'s block: a header node, the nodes (the root's first, so that the first bytes
// of the block hold the document's first levels), the document's distinct map keys, then an
// array of pointers to the strings whose text lives on the heap (destroyed with the block; the
// header's `reserved` is the array's offset and its `size` their count).
// Equal strings share one node (a string node holds only text; spans are in the values) and
// equal keys one key. A collection's child nodes are placed together right after it (then each
// child's own children), so a service and its caps, security, image... maps sit side by side.
class Compactor {
 public:
  static bool compacted(const Value& v) { return v.has_node() && v.u_.node && v.u_.node->arena; }
  // `share`: parts of `v` in another compacted block are shared (else copied).
  explicit Compactor(bool share) : share_(share) {}
  // Sizes what compacting `v` takes; false when over `limit` bytes.
  bool measure(const Value& v, size_t limit) {
    if (!v.has_node() || !v.u_.node) return true;
    if (in_block(v)) {
      // Already compacted (a loaded document's values kept in the normalized one): shared, not
      // copied; the new block holds one count on that block (a slot of the pointer array).
      if (shared_.insert(Value::owner(v.u_.node)).second) ++heap_strings_;
      return true;
    }
    if (v.is_string()) {
      bool added = false;
      texts_.insert(v.as_string(), nullptr, added);
      if (!added) return true;
      node_bytes_ += node_bytes(v) + kAlignSlack;
      heap_strings_ += on_heap(v.as_string().size());
      return node_bytes_ <= limit;
    }
    node_bytes_ += node_bytes(v) + (v.is_map() ? kAlignSlack : 0);
    if (node_bytes_ > limit) return false;
    if (v.is_map()) {
      EntriesView entries = v.as_map();
      for (size_t i = 0; i < entries.size(); ++i) {
        key_entry(entries.size(), i, entries[i].first.str(), true);
        if (!measure(entries[i].second, limit)) return false;
      }
    } else {
      for (const Value& item : v.as_list()) {
        if (!measure(item, limit)) return false;
      }
    }
    return true;
  }
  size_t block_bytes() const {
    return sizeof(Node) + heap_strings_ * sizeof(std::string*) + block_keys_ * sizeof(std::string) +
           node_bytes_;
  }

  // Copies `v` into `block` (of block_bytes()); the returned value holds the block's count.
  Value build(const Value& v, char* block) {
    header_ = new (block) Node;
    header_->size = 0;  // heap strings, counted as they are kept
    // The nodes first (the root right after the header), then the keys, then the pointers.
    next_ = block + sizeof(Node);
    auto* key = reinterpret_cast<std::string*>(next_ + node_bytes_);
    strings_ = reinterpret_cast<std::string**>(key + block_keys_);
    header_->reserved = offset(reinterpret_cast<const Node*>(strings_));
    for (const Node* other : shared_) {
      other->refs.fetch_add(1, std::memory_order_relaxed);
      strings_[header_->size++] =
          reinterpret_cast<std::string*>(reinterpret_cast<uintptr_t>(other) | 1);
    }
    for (auto& [text, slot] : keys_.entries()) {
      if (slot) continue;  // interned: shared by every document
      slot = new (key) std::string(text);
      keep_string(key++);
    }
    for (auto& entry : texts_.entries()) entry.second = nullptr;  // placed on first use
    Value out(v.where_.kind, v.span());
    out.u_ = v.u_;
    if (v.has_node() && v.u_.node) {
      out.u_.node = place(v);
      fill(v, const_cast<Node*>(out.u_.node));
    }
    return out;  // the header's count of 1 is this value's
  }

 private:
  // Map and string nodes start 16 bytes past a 32-byte boundary, so that a map's 32-byte entries
  // and the part of a string node that reading it touches (its std::string and inline text, bytes
  // 16 to 47) never straddle two cache lines; nodes are 8-byte aligned, so that takes up to 24
  // bytes of padding, counted in advance by measure().
  static constexpr size_t kAlignSlack = 24;
  void align_for_entries() {
    auto at = reinterpret_cast<uintptr_t>(next_);
    next_ += (16 + 32 - at % 32) % 32;
  }

  static size_t node_bytes(const Value& v) {
    size_t n = v.is_string() ? sizeof(StringNode)
               : v.is_map()  ? sizeof(Node) + v.u_.node->size * sizeof(MapEntry)
                             : sizeof(Node) + v.u_.node->size * sizeof(Value);
    return (n + 7) & ~size_t{7};
  }
  static size_t on_heap(size_t length) {
    static const size_t inline_capacity = std::string().capacity();
    return length > inline_capacity ? 1 : 0;
  }
  void keep_string(std::string* s) {
    const char* self = reinterpret_cast<const char*>(s);
    if (s->data() >= self && s->data() < self + sizeof(std::string)) return;  // inline text
    assert(header_->size < heap_strings_);
    strings_[header_->size++] = s;
  }
  uint32_t offset(const Node* node) const {
    return static_cast<uint32_t>(reinterpret_cast<const char*>(node) -
                                 reinterpret_cast<const char*>(header_));
  }

  // The node for `v` in the block: a string's shared node, or a new collection node whose items
  // fill() writes.
  const Node* place(const Value& v) {
    if (in_block(v)) return v.u_.node;
    if (v.is_string()) {
      const Node*& shared = texts_.find(v.as_string())->second;  // measure() added it
      if (shared) return shared;
      align_for_entries();
      auto* s = new (next_) StringNode;
      next_ += node_bytes(v);
      s->text = v.as_string();
      keep_string(&s->text);
      s->arena = offset(s);
      return shared = s;
    }
    if (v.is_map()) align_for_entries();
    Node* node = new (next_) Node;
    next_ += node_bytes(v);
    node->size = v.u_.node->size;
    node->arena = offset(node);
    return node;
  }

  // A value inside the block: points at its placed node without holding a count.
  void write_item(Value* slot, const Value& src) {
    Value* v = new (slot) Value(src.where_.kind, src.span());
    v->u_ = src.u_;
    if (src.has_node() && src.u_.node) v->u_.node = place(src);
  }
  // Collections whose node was just placed get their items (strings are complete).
  void fill_child(const Value& src, const Value& placed) {
    if (placed.has_node() && placed.u_.node && !placed.is_string() && !in_block(src)) {
      fill(src, const_cast<Node*>(placed.u_.node));
    }
  }

  void fill(const Value& src, Node* dst) {
    if (src.is_map()) {
      EntriesView from = src.as_map();
      auto* to = reinterpret_cast<MapEntry*>(dst + 1);
      for (size_t i = 0; i < from.size(); ++i) {
        auto* e = new (to + i)
            MapEntry{Key(key_entry(from.size(), i, from[i].first.str(), false)->second), Value()};
        write_item(&e->second, from[i].second);
      }
      for (size_t i = 0; i < from.size(); ++i) fill_child(from[i].second, to[i].second);
    } else {
      ListView from = src.as_list();
      auto* to = reinterpret_cast<Value*>(dst + 1);
      for (size_t i = 0; i < from.size(); ++i) write_item(to + i, from[i]);
      for (size_t i = 0; i < from.size(); ++i) fill_child(from[i], to[i]);
    }
  }

  using KeyTable = TextTable<const std::string*>;
  // The key table's entry for `text`, the key at position `i` of a map (added when `add`). Maps
  // of one shape (every service, every caps map...) repeat the same keys at the same positions,
  // so the entry last found at each position is tried before hashing.
  KeyTable::Entry* key_entry(size_t size, size_t i, const std::string& text, bool add) {
    // Remembered per map size as well: maps of different shapes (a service, its mounts, its
    // caps...) then do not displace each other's keys.
    uint32_t* cached =
        i < kCachedPositions ? &recent_[(size % kCachedSizes) * kCachedPositions + i] : nullptr;
    auto& entries = keys_.entries();
    if (cached && *cached && entries[*cached - 1].first == text) return &entries[*cached - 1];
    KeyTable::Entry* e = nullptr;
    if (add) {
      bool added = false;
      e = &keys_.insert(text, nullptr, added);
      if (added) {
        const std::string* interned = intern_key(text);
        e->second = interned;
        if (!interned) {
          ++block_keys_;
          heap_strings_ += on_heap(text.size());
        }
      }
    } else {
      e = keys_.find(text);
      assert(e);
    }
    if (cached) *cached = static_cast<uint32_t>(e - entries.data()) + 1;
    return e;
  }
  static constexpr size_t kCachedPositions = 64;
  static constexpr size_t kCachedSizes = 32;

  // A node of another compacted block (source values hold nodes of their own or block nodes),
  // shared rather than copied.
  bool in_block(const Value& v) const { return share_ && v.u_.node->arena != 0; }

  bool share_ = true;
  std::unordered_set<const Node*> shared_;  // headers of the blocks shared with
  // Distinct keys and string texts (views into the source value, alive while compacting).
  KeyTable keys_;
  // Entry index + 1 of the key last found at [map size % kCachedSizes][position].
  std::vector<uint32_t> recent_ = std::vector<uint32_t>(kCachedSizes * kCachedPositions);
  TextTable<const Node*> texts_;
  size_t node_bytes_ = 0;
  size_t heap_strings_ = 0;
  size_t block_keys_ = 0;  // keys the process-wide table did not take: stored in the block
  Node* header_ = nullptr;
  std::string** strings_ = nullptr;
  char* next_ = nullptr;
};

Value compact(const Value& v, size_t max_bytes) {
  if (!v.is_map() && !v.is_sequence()) return v;
  if (Compactor::compacted(v)) return v;
  Compactor c(/*share=*/true);
  if (!c.measure(v, max_bytes) || c.block_bytes() > UINT32_MAX) return v;
  return c.build(v, static_cast<char*>(block_pool::allocate(c.block_bytes())));
}

Value compact_copy(const Value& v) {
  if (!v.is_map() && !v.is_sequence()) return v;
  Compactor c(/*share=*/false);
  if (!c.measure(v, SIZE_MAX) || c.block_bytes() > UINT32_MAX) return v;
  return c.build(v, static_cast<char*>(block_pool::allocate(c.block_bytes())));
}

namespace {
size_t round8(size_t n) {
  return (n + 7) & ~size_t{7};
}
// As Compactor: map and string nodes start 16 bytes past a 32-byte boundary (up to 24 bytes of
// padding after an 8-byte aligned position).
constexpr size_t kSlack = 24;
}  // namespace

size_t BlockWriter::string_bytes() {
  return round8(sizeof(StringNode)) + kSlack;
}
size_t BlockWriter::list_bytes(size_t n) {
  return round8(sizeof(Node) + n * sizeof(Value));
}
size_t BlockWriter::map_bytes(size_t n) {
  return round8(sizeof(Node) + n * sizeof(MapEntry)) + kSlack;
}
bool BlockWriter::text_on_heap(size_t length) {
  static const size_t inline_capacity = std::string().capacity();
  return length > inline_capacity;
}
size_t BlockWriter::block_bytes(const Plan& plan) {
  return sizeof(Node) + plan.node_bytes + plan.block_keys * sizeof(std::string) +
         plan.heap_texts * sizeof(std::string*);
}

BlockWriter::BlockWriter(const Plan& plan, bool pooled) {
  size_t bytes = block_bytes(plan);
  if (bytes > UINT32_MAX) throw std::length_error("document block over 4 GiB");
  block_ = static_cast<char*>(block_pool::allocate(bytes, pooled));
  Node* header = new (block_) Node;
  header->size = 0;  // heap texts, counted as they are kept
  next_ = block_ + sizeof(Node);
  end_ = next_ + plan.node_bytes;
  keys_ = reinterpret_cast<std::string*>(end_);
  keys_end_ = keys_ + plan.block_keys;
  strings_ = reinterpret_cast<std::string**>(keys_end_);
  strings_cap_ = plan.heap_texts;
  header->reserved = static_cast<uint32_t>(reinterpret_cast<char*>(strings_) - block_);
  new (root_) Value();
}

BlockWriter::~BlockWriter() {
  if (!block_) return;
  auto* header = reinterpret_cast<Node*>(block_);
  for (uint32_t i = 0; i < header->size; ++i) strings_[i]->~basic_string();
  header->~Node();
  block_pool::release(block_);
}

char* BlockWriter::place(size_t bytes, bool aligned) {
  if (aligned) {
    auto at = reinterpret_cast<uintptr_t>(next_);
    next_ += (16 + 32 - at % 32) % 32;
  }
  char* at = next_;
  next_ += round8(bytes);
  if (next_ > end_) throw std::logic_error("BlockWriter: more nodes than planned");
  return at;
}

void BlockWriter::keep(std::string* s) {
  const char* self = reinterpret_cast<const char*>(s);
  if (s->data() >= self && s->data() < self + sizeof(std::string)) return;  // inline text
  auto* header = reinterpret_cast<Node*>(block_);
  if (header->size >= strings_cap_) throw std::logic_error("BlockWriter: more texts than planned");
  strings_[header->size++] = s;
}

// A collection's value in `slot` and, when it has items, its node: the items follow it.
void* BlockWriter::collection(Value* slot, Kind kind, size_t n, size_t item_bytes, bool aligned,
                              Span s) {
  Value* v = new (slot) Value(kind, s);
  if (n == 0) return nullptr;
  Node* node = new (place(sizeof(Node) + n * item_bytes, aligned)) Node;
  node->size = static_cast<uint32_t>(n);
  node->arena = static_cast<uint32_t>(reinterpret_cast<char*>(node) - block_);
  v->u_.node = node;
  return node + 1;
}

Value* BlockWriter::list(Value* slot, size_t n, Span s) {
  return static_cast<Value*>(collection(slot, Kind::List, n, sizeof(Value), false, s));
}

MapEntry* BlockWriter::map(Value* slot, size_t n, Span s) {
  return static_cast<MapEntry*>(collection(slot, Kind::Map, n, sizeof(MapEntry), true, s));
}

Value* BlockWriter::key(MapEntry* e, std::string_view text) {
  return key(e, text, intern_key(text));
}

Value* BlockWriter::key(MapEntry* e, std::string_view text, const std::string* interned) {
  const std::string* k = interned;
  if (!k) {
    if (keys_ >= keys_end_) throw std::logic_error("BlockWriter: more keys than planned");
    std::string* stored = new (keys_++) std::string(text);
    keep(stored);
    k = stored;
  }
  new (e) MapEntry{Key(k), Value()};
  return &e->second;
}

const Node* BlockWriter::string(Value* slot, std::string_view text, Span s) {
  Value* v = new (slot) Value(Kind::String, s);
  auto* node = new (place(sizeof(StringNode), true)) StringNode;
  node->text.assign(text.data(), text.size());
  keep(&node->text);
  node->arena = static_cast<uint32_t>(reinterpret_cast<char*>(node) - block_);
  v->u_.node = node;
  return node;
}

void BlockWriter::shared_string(Value* slot, const Node* node, Span s) {
  Value* v = new (slot) Value(Kind::String, s);
  v->u_.node = node;
}

void BlockWriter::same(Value* slot, const Value& earlier) {
  Value* v = new (slot) Value(earlier.where_.kind, earlier.span());
  v->u_ = earlier.u_;
}

void BlockWriter::scalar(Value* slot, const Value& v) {
  assert(!v.has_node());
  new (slot) Value(v);
}

Value BlockWriter::finish() {
  const Value& root = *reinterpret_cast<const Value*>(root_);
  Value out(root.where_.kind, root.span());
  out.u_ = root.u_;
  if (!out.has_node() || !out.u_.node) {
    // An empty root: nothing in the block.
    out.u_.node = nullptr;
    return out;  // the destructor frees the block
  }
  block_ = nullptr;
  return out;  // the header's count of 1 is this value's
}

const Value* Value::get(std::string_view key) const {
  if (where_.kind != Kind::Map) return nullptr;
  for (const MapEntry& e : as_map()) {
    if (e.first == key) return &e.second;
  }
  return nullptr;
}

const Value* Value::get_slot(size_t slot, std::string_view key) const {
  if (where_.kind != Kind::Map) return nullptr;
  EntriesView entries = as_map();
  if (slot < entries.size() && entries[slot].first == key) return &entries[slot].second;
  return get(key);
}

namespace {
int kind_rank(Kind k) {
  // Int and float share a rank so that they order by numeric value.
  return k == Kind::Float ? static_cast<int>(Kind::Int) : static_cast<int>(k);
}
template <typename T>
int three_way(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}
}  // namespace

int Value::compare(const Value& a, const Value& b) {
  int ra = kind_rank(a.where_.kind), rb = kind_rank(b.where_.kind);
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (a.where_.kind) {
    case Kind::Null:
      return 0;
    case Kind::Bool:
      return three_way(a.u_.b, b.u_.b);
    case Kind::Int:
    case Kind::Float:
      if (a.where_.kind == Kind::Int && b.where_.kind == Kind::Int)
        return three_way(a.u_.i, b.u_.i);
      return three_way(a.as_double(), b.as_double());
    case Kind::Size:
    case Kind::Duration:
      return three_way(a.u_.i, b.u_.i);
    case Kind::Caps:
      return three_way(a.u_.mask, b.u_.mask);
    case Kind::String:
      return a.as_string().compare(b.as_string()) < 0 ? -1
                                                      : (a.as_string() == b.as_string() ? 0 : 1);
    case Kind::List:
    case Kind::Set: {
      ListView x = a.as_list();
      ListView y = b.as_list();
      for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
        if (int c = compare(x[i], y[i])) return c;
      }
      return three_way(x.size(), y.size());
    }
    case Kind::Map: {
      EntriesView x = a.as_map();
      EntriesView y = b.as_map();
      for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
        if (int c = x[i].first.str().compare(y[i].first.str())) return c < 0 ? -1 : 1;
        if (int c = compare(x[i].second, y[i].second)) return c;
      }
      return three_way(x.size(), y.size());
    }
  }
  return 0;
}

bool Value::operator==(const Value& other) const {
  return compare(*this, other) == 0;
}

namespace {

void json_string(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

std::string float_text(double d) {
  if (std::isnan(d) || std::isinf(d)) return "null";
  if (d == std::floor(d) && std::fabs(d) < 1e15) return fmt::format("{:.1f}", d);
  return fmt::format("{}", d);
}

void json_into(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Kind::Null:
      out += "null";
      break;
    case Kind::Bool:
      out += v.as_bool() ? "true" : "false";
      break;
    case Kind::Int:
    case Kind::Size:
    case Kind::Duration:
      out += std::to_string(v.as_int());
      break;
    case Kind::Float:
      out += float_text(v.as_float());
      break;
    case Kind::String:
      json_string(out, v.as_string());
      break;
    case Kind::Caps: {
      out += '[';
      bool first = true;
      for (const std::string& n : caps::names(v.as_caps())) {
        if (!first) out += ',';
        first = false;
        json_string(out, n);
      }
      out += ']';
      break;
    }
    case Kind::List:
    case Kind::Set: {
      out += '[';
      bool first = true;
      for (const Value& item : v.as_list()) {
        if (!first) out += ',';
        first = false;
        json_into(out, item);
      }
      out += ']';
      break;
    }
    case Kind::Map: {
      out += '{';
      bool first = true;
      for (const MapEntry& e : v.as_map()) {
        if (!first) out += ',';
        first = false;
        json_string(out, e.first);
        out += ':';
        json_into(out, e.second);
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

std::string to_json_text(const Value& v) {
  std::string out;
  json_into(out, v);
  return out;
}

std::string format_size(int64_t bytes) {
  static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  // A whole number of the next unit: value / 1024 is exact (a power of two) and below 2^53, so
  // it is whole when it survives a round trip through int64_t (no libm's fmod, whose errno
  // wrapper would tie the executable to libc's private symbols: CMakeLists.txt, libm.a).
  auto whole_in_next = [](double v) {
    double q = v / 1024;
    return q == static_cast<double>(static_cast<int64_t>(q));
  };
  while (unit + 1 < std::size(units) && std::fabs(value) >= 1024 && whole_in_next(value)) {
    value /= 1024;
    ++unit;
  }
  return fmt::format("{}{}", static_cast<int64_t>(value), units[unit]);
}

std::string format_duration(int64_t ns) {
  if (ns == 0) return "0s";
  std::string out;
  if (ns < 0) {
    out += '-';
    ns = -ns;
  }
  const int64_t second = 1000000000;
  if (ns % second != 0 && ns < second) {
    if (ns % 1000000 == 0) return out + fmt::format("{}ms", ns / 1000000);
    if (ns % 1000 == 0) return out + fmt::format("{}us", ns / 1000);
    return out + fmt::format("{}ns", ns);
  }
  int64_t hours = ns / (3600 * second);
  ns %= 3600 * second;
  int64_t minutes = ns / (60 * second);
  ns %= 60 * second;
  if (hours) out += fmt::format("{}h", hours);
  if (minutes) out += fmt::format("{}m", minutes);
  if (ns) {
    if (ns % second == 0) {
      out += fmt::format("{}s", ns / second);
    } else {
      out += fmt::format("{}s", static_cast<double>(ns) / second);
    }
  }
  return out;
}

std::string to_display(const Value& v) {
  switch (v.kind()) {
    case Kind::String:
      return v.as_string();
    case Kind::Size:
      return format_size(v.as_int());
    case Kind::Duration:
      return format_duration(v.as_int());
    case Kind::Caps: {
      std::string out;
      for (const std::string& n : caps::names(v.as_caps())) {
        if (!out.empty()) out += ", ";
        out += n;
      }
      return out.empty() ? "(none)" : out;
    }
    case Kind::List:
    case Kind::Set: {
      std::string out;
      for (const Value& item : v.as_list()) {
        if (!out.empty()) out += ", ";
        // Items may share one large text: stop at the bound rather than copy it a million times.
        if (out.size() > kMaxStringBytes) return out + "...";
        out += to_display(item);
      }
      return out;
    }
    default:
      return to_json_text(v);
  }
}

}  // namespace capguard
