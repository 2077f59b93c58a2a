#pragma once
// The identities that the Compose merge rules use to match sequence items of two files
// (runtime/documents/compose/merge.hpp), and the reading of `KEY=VALUE` lists as mappings.

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "lang/core/value.hpp"

namespace capguard {

// The unique key of an item of a service's `ports`, `volumes`, `devices`, `secrets` or
// `configs`: nullopt when `attribute` has no such rule or the item has no key.
std::optional<std::string> unique_item_key(const std::string& attribute, const Value& item);

// A `KEY=VALUE` list (environment, labels...) as a map: "K=V" -> K: "V", "K" -> K: null;
// `separators` are the characters that may split key and value (extra_hosts also takes ':').
// A map is returned as it is; anything else yields nullopt.
std::optional<Value> key_value_map(const Value& v, const std::string& separators = "=");

// Mapping entries under construction, with a hash index so that merging large mappings stays
// linear: set() replaces a key in place or appends it, erase() removes it; build() makes the map
// (keys in first-set order).
class EntryBuilder {
 public:
  EntryBuilder() = default;
  explicit EntryBuilder(EntriesView start);

  const Value* find(const std::string& key) const;
  void set(const std::string& key, Value value);
  void erase(const std::string& key);
  Value build(Span span) const;

 private:
  std::vector<std::pair<Entry, bool>> entries_;  // entry, still present
  std::unordered_map<std::string, size_t> index_;
};

}  // namespace capguard
