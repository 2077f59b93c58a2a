// List, set and map built-ins: set, list, sort, keys, values, has_key, flatten, duplicates,
// default, and type_of. A null collection counts as empty; a map iterates as {key, value} entries,
// as in a `for` over a map.

#include <algorithm>

#include "runtime/eval/builtins_support.hpp"

namespace capguard::builtins_impl {
namespace {

Value entry_value(const MapEntry& e) {
  return Value::map_of_two("key", Value::string(e.first), "value", e.second, e.second.span());
}

// The items of a collection argument: list and set items, map entries as {key, value}, caps as
// their names. Null gives no items.
List items_of(std::string_view name, const Value& x) {
  switch (x.kind()) {
    case Kind::Null:
      return {};
    case Kind::List:
    case Kind::Set:
      return x.as_list().to_vector();
    case Kind::Map: {
      List out;
      out.reserve(x.as_map().size());
      for (const auto& e : x.as_map()) out.push_back(entry_value(e));
      return out;
    }
    case Kind::Caps: {
      List out;
      for (const std::string& cap : caps::names(x.as_caps())) out.push_back(Value::string(cap));
      return out;
    }
    default:
      wrong_kind(name, 0, "a list, set, map or caps", x);
  }
}

// The entries of a map argument; none for null.
EntriesView map_arg(std::string_view name, const Value& x) {
  if (x.is_null()) return {};
  if (!x.is_map()) wrong_kind(name, 0, "a map", x);
  return x.as_map();
}

}  // namespace

Value to_set(const Value* a, size_t) {
  if (a[0].is_set()) return a[0];
  return Value::set(items_of("set", a[0]), a[0].span());
}

Value to_list(const Value* a, size_t) {
  if (a[0].is_list()) return a[0];
  return Value::list(items_of("list", a[0]), a[0].span());
}

Value sort(const Value* a, size_t) {
  List items = items_of("sort", a[0]);
  std::stable_sort(items.begin(), items.end(),
                   [](const Value& x, const Value& y) { return Value::compare(x, y) < 0; });
  return Value::list(std::move(items), a[0].span());
}

Value keys(const Value* a, size_t) {
  List out;
  EntriesView entries = map_arg("keys", a[0]);
  out.reserve(entries.size());
  for (const auto& e : entries) out.push_back(Value::string(e.first, e.second.span()));
  return Value::list(std::move(out), a[0].span());
}

Value values(const Value* a, size_t) {
  List out;
  EntriesView entries = map_arg("values", a[0]);
  out.reserve(entries.size());
  for (const auto& e : entries) out.push_back(e.second);
  return Value::list(std::move(out), a[0].span());
}

Value has_key(const Value* a, size_t) {
  const std::string& key = string_arg("has_key", a, 1);
  map_arg("has_key", a[0]);  // checks the kind
  return Value::boolean(a[0].get(key) != nullptr);
}

Value flatten(const Value* a, size_t) {
  if (a[0].is_null()) return Value::list({}, a[0].span());
  if (!a[0].is_sequence()) wrong_kind("flatten", 0, "a list or set", a[0]);
  List out;
  for (const Value& item : a[0].as_list()) {
    if (item.is_sequence()) {
      out.insert(out.end(), item.as_list().begin(), item.as_list().end());
    } else if (!item.is_null()) {
      out.push_back(item);
    }
  }
  return Value::list(std::move(out), a[0].span());
}

// Sorted, so the work is n log n: a policy finds what several services share without comparing
// every pair of services (CG-FS-007).
Value duplicates(const Value* a, size_t) {
  if (a[0].is_null()) return Value::set({}, a[0].span());
  if (!a[0].is_sequence()) wrong_kind("duplicates", 0, "a list or set", a[0]);
  List items = a[0].as_list().to_vector();
  auto less = [](const Value& x, const Value& y) { return Value::compare(x, y) < 0; };
  std::stable_sort(items.begin(), items.end(), less);
  List out;
  for (size_t i = 1; i < items.size(); ++i) {
    if (Value::compare(items[i - 1], items[i]) != 0) continue;
    if (out.empty() || Value::compare(out.back(), items[i]) != 0) out.push_back(items[i]);
  }
  return Value::set(std::move(out), a[0].span());
}

Value default_(const Value* a, size_t) {
  return a[0].is_null() ? a[1] : a[0];
}

Value type_of(const Value* a, size_t) {
  return Value::string(kind_name(a[0].kind()), a[0].span());
}

}  // namespace capguard::builtins_impl
