#pragma once
// Value: the one data type that documents, params, constants and results share. Every value
// carries the Span of the text it came from (a compose file line, a policy literal), so a finding
// can point at it. Values are immutable once built; copies are cheap (heap parts are shared).
//
// Kinds: null, bool, int, float, string, size (bytes), duration (nanoseconds), caps (a 64-bit
// capability mask), list, set (a list kept sorted and without duplicates), map (keys in
// insertion order).

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lang/caps.hpp"
#include "lang/source.hpp"

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
using Entry = std::pair<std::string, Value>;
using Entries = std::vector<Entry>;

class Value {
 public:
  Value() = default;  // null, no span

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
  static Value map_unique(Entries entries, Span s = {}) {
    Value v(Kind::Map, s);
    v.heap_ = std::make_shared<const Entries>(std::move(entries));
    return v;
  }

  Kind kind() const { return kind_; }
  const Span& span() const { return span_; }
  Value with_span(Span s) const {
    Value v = *this;
    v.span_ = s;
    return v;
  }

  bool is_null() const { return kind_ == Kind::Null; }
  bool is_bool() const { return kind_ == Kind::Bool; }
  bool is_int() const { return kind_ == Kind::Int; }
  bool is_float() const { return kind_ == Kind::Float; }
  bool is_number() const { return kind_ == Kind::Int || kind_ == Kind::Float; }
  bool is_string() const { return kind_ == Kind::String; }
  bool is_list() const { return kind_ == Kind::List; }
  bool is_set() const { return kind_ == Kind::Set; }
  bool is_sequence() const { return kind_ == Kind::List || kind_ == Kind::Set; }
  bool is_map() const { return kind_ == Kind::Map; }

  // Accessors: the caller checks the kind first (checked by assert in debug builds).
  bool as_bool() const { return u_.b; }
  int64_t as_int() const { return u_.i; }  // also size (bytes) and duration (ns)
  double as_float() const { return u_.d; }
  double as_double() const { return kind_ == Kind::Float ? u_.d : static_cast<double>(u_.i); }
  caps::Mask as_caps() const { return u_.mask; }
  // Inline: the evaluator reads documents through these on every field access.
  const std::string& as_string() const {
    assert(kind_ == Kind::String);
    return *static_cast<const std::string*>(heap_.get());
  }
  const List& as_list() const {  // list or set
    assert(kind_ == Kind::List || kind_ == Kind::Set);
    return *static_cast<const List*>(heap_.get());
  }
  const Entries& as_map() const {
    assert(kind_ == Kind::Map);
    return *static_cast<const Entries*>(heap_.get());
  }

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
  Value(Kind k, Span s) : kind_(k), span_(s) {}
  Kind kind_ = Kind::Null;
  Span span_;
  union {
    bool b;
    int64_t i;
    double d;
    caps::Mask mask;
  } u_{};
  std::shared_ptr<const void> heap_;  // std::string, List or Entries, by kind
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
