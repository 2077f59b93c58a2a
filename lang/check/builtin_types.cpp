#include "lang/check/builtin_types.hpp"

#include <initializer_list>

#include <fmt/format.h>

namespace capguard::builtin_types {
namespace {

using K = TypeKind;

std::string_view name_of(BuiltinId id) {
  return builtin_signatures()[id].name;
}

bool is_any(const TypePtr& t) {
  return !t || t->kind == K::Any;
}
bool is_null(const TypePtr& t) {
  return t && t->kind == K::Null;
}
bool maybe_null(const TypePtr& t) {
  return is_any(t) || t->kind == K::Null || t->nullable;
}

bool is_one_of(const TypePtr& t, std::initializer_list<K> kinds) {
  for (K k : kinds) {
    if (t->kind == k) return true;
  }
  return false;
}

// Whether args[i] is any, one of `kinds`, or (when `null_ok`) the null type; else sets `error`.
bool expect(BuiltinId id, const Args& a, size_t i, std::initializer_list<K> kinds, bool null_ok,
            std::string_view expected, std::string& error) {
  const TypePtr& t = a[i];
  if (is_any(t) || (null_ok && is_null(t)) || (!is_null(t) && is_one_of(t, kinds))) return true;
  error = fmt::format("argument {} of {} must be {}, got {}", i + 1, name_of(id), expected,
                      type_name(*t));
  return false;
}

bool expect_string(BuiltinId id, const Args& a, size_t i, std::string& error) {
  return expect(id, a, i, {K::String}, false, "a string", error);
}

// The item type of a list, set or map type; any when unknown.
TypePtr elem_of(const TypePtr& t) {
  return (t && t->elem) ? t->elem : any_type();
}

// Items of a collection argument as set/list/sort see them.
TypePtr items_of(const TypePtr& t) {
  if (is_any(t) || is_null(t)) return any_type();
  if (t->kind == K::Caps) return scalar_type(K::String);
  if (t->kind == K::Map || t->kind == K::Object) return any_type();  // {key, value} entries
  return elem_of(t);
}

TypePtr boolean() {
  return scalar_type(K::Bool);
}

}  // namespace

TypePtr check_string_transform(BuiltinId id, const Args& a, std::string& error) {
  if (!expect(id, a, 0, {K::String}, true, "a string", error)) return nullptr;
  return scalar_type(K::String, maybe_null(a[0]));
}

TypePtr check_string_predicate(BuiltinId id, const Args& a, std::string& error) {
  if (!expect(id, a, 0, {K::String}, true, "a string", error)) return nullptr;
  if (a.size() > 1 && !expect_string(id, a, 1, error)) return nullptr;
  return boolean();
}

TypePtr check_conversion(TypeKind target, const Args& a, std::string& error) {
  BuiltinId id = target == K::Int ? builtin::Int : builtin::Float;
  if (!expect(id, a, 0, {K::Int, K::Float, K::String, K::Bool, K::Size, K::Duration}, true,
              "a number, string, bool, size or duration", error)) {
    return nullptr;
  }
  return scalar_type(target, maybe_null(a[0]));
}

TypePtr check_extreme(BuiltinId id, const Args& a, std::string& error) {
  const std::initializer_list<K> kOrderable = {K::Int, K::Float, K::String, K::Size, K::Duration};
  if (a.size() == 1) {
    if (!expect(id, a, 0, {K::List, K::Set, K::Int, K::Float, K::String, K::Size, K::Duration},
                true, "a list or set, or values to compare", error)) {
      return nullptr;
    }
    if (is_any(a[0]) || is_null(a[0])) return any_type();
    if (a[0]->kind == K::List || a[0]->kind == K::Set) return nullable(elem_of(a[0]));
    return a[0];
  }
  TypePtr common;
  bool mixed = false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!expect(id, a, i, kOrderable, false, "an int, float, string, size or duration", error)) {
      return nullptr;
    }
    if (is_any(a[i])) {
      mixed = true;
      continue;
    }
    if (!common) {
      common = a[i];
      continue;
    }
    bool numbers = is_one_of(common, {K::Int, K::Float}) && is_one_of(a[i], {K::Int, K::Float});
    if (!numbers && common->kind != a[i]->kind) {
      error = fmt::format("arguments of {} must be comparable: {} and {}", name_of(id),
                          type_name(*common), type_name(*a[i]));
      return nullptr;
    }
    if (common->kind != a[i]->kind) mixed = true;
  }
  return (mixed || !common) ? any_type() : scalar_type(common->kind);
}

TypePtr check_collection(BuiltinId id, const Args& a, std::string& error) {
  if (!expect(id, a, 0, {K::List, K::Set, K::Map, K::Object, K::Caps}, true,
              "a list, set, map or caps", error)) {
    return nullptr;
  }
  TypePtr item = items_of(a[0]);
  return id == builtin::Set ? set_of(item) : list_of(item);
}

TypePtr check_contains(const Args& a, std::string& error) {
  const BuiltinId id = builtin::Contains;
  if (!expect(id, a, 0, {K::String, K::List, K::Set, K::Map, K::Object, K::Caps}, true,
              "a string, list, set, map or caps", error)) {
    return nullptr;
  }
  if (!is_any(a[0]) && !is_null(a[0])) {
    switch (a[0]->kind) {
      case K::String:
      case K::Map:
      case K::Object:
        if (!expect_string(id, a, 1, error)) return nullptr;
        break;
      case K::Caps:
        if (!expect(id, a, 1, {K::String, K::Caps}, false, "a capability name or caps", error)) {
          return nullptr;
        }
        break;
      default:
        break;
    }
  }
  return boolean();
}

TypePtr check_split(const Args& a, std::string& error) {
  if (!expect(builtin::Split, a, 0, {K::String}, true, "a string", error)) return nullptr;
  if (!expect_string(builtin::Split, a, 1, error)) return nullptr;
  return list_of(scalar_type(K::String));
}

TypePtr check_join(const Args& a, std::string& error) {
  if (!expect(builtin::Join, a, 0, {K::List, K::Set}, true, "a list or set", error)) {
    return nullptr;
  }
  if (!expect_string(builtin::Join, a, 1, error)) return nullptr;
  return scalar_type(K::String);
}

TypePtr check_replace(const Args& a, std::string& error) {
  if (!expect(builtin::Replace, a, 0, {K::String}, true, "a string", error)) return nullptr;
  if (!expect_string(builtin::Replace, a, 1, error)) return nullptr;
  if (!expect_string(builtin::Replace, a, 2, error)) return nullptr;
  return scalar_type(K::String, maybe_null(a[0]));
}

TypePtr check_len(const Args& a, std::string& error) {
  if (!expect(builtin::Len, a, 0, {K::String, K::List, K::Set, K::Map, K::Object, K::Caps}, true,
              "a string, list, set, map or caps", error)) {
    return nullptr;
  }
  return scalar_type(K::Int);
}

TypePtr check_string(const Args&, std::string&) {
  return scalar_type(K::String);
}

TypePtr check_empty(const Args& a, std::string& error) {
  if (!expect(builtin::Empty, a, 0, {K::String, K::List, K::Set, K::Map, K::Object, K::Caps}, true,
              "null, a string, list, set, map or caps", error)) {
    return nullptr;
  }
  return boolean();
}

TypePtr check_find(const Args& a, std::string& error) {
  if (!check_string_predicate(builtin::Find, a, error)) return nullptr;
  return scalar_type(K::String, true);
}

TypePtr check_find_all(const Args& a, std::string& error) {
  if (!check_string_predicate(builtin::FindAll, a, error)) return nullptr;
  return list_of(scalar_type(K::String));
}

TypePtr check_size(const Args& a, std::string& error) {
  if (!expect(builtin::Size, a, 0, {K::String, K::Int, K::Size}, true,
              "a string such as \"256M\", an int of bytes, or a size", error)) {
    return nullptr;
  }
  return scalar_type(K::Size, maybe_null(a[0]));
}

TypePtr check_duration(const Args& a, std::string& error) {
  if (!expect(builtin::Duration, a, 0, {K::String, K::Int, K::Duration}, true,
              "a string such as \"1m30s\", an int of nanoseconds, or a duration", error)) {
    return nullptr;
  }
  return scalar_type(K::Duration, maybe_null(a[0]));
}

TypePtr check_to_bytes(const Args& a, std::string& error) {
  if (!expect(builtin::ToBytes, a, 0, {K::Size}, true, "a size", error)) return nullptr;
  return scalar_type(K::Int, maybe_null(a[0]));
}

TypePtr check_to_seconds(const Args& a, std::string& error) {
  if (!expect(builtin::ToSeconds, a, 0, {K::Duration}, true, "a duration", error)) {
    return nullptr;
  }
  return scalar_type(K::Float, maybe_null(a[0]));
}

TypePtr check_abs(const Args& a, std::string& error) {
  if (!expect(builtin::Abs, a, 0, {K::Int, K::Float, K::Size, K::Duration}, true,
              "a number, size or duration", error)) {
    return nullptr;
  }
  if (is_any(a[0]) || is_null(a[0])) return any_type();
  return a[0];
}

TypePtr check_sum(const Args& a, std::string& error) {
  if (!expect(builtin::Sum, a, 0, {K::List, K::Set}, true, "a list or set", error)) {
    return nullptr;
  }
  const std::initializer_list<K> kAddable = {K::Int, K::Float, K::Size, K::Duration};
  TypePtr item = elem_of(a[0]);
  if (!is_any(item) && !is_null(item) && !is_one_of(item, kAddable)) {
    error = fmt::format("argument 1 of sum must hold numbers, sizes or durations, got {}",
                        type_name(*a[0]));
    return nullptr;
  }
  if (a.size() == 2) {
    if (!expect(builtin::Sum, a, 1, kAddable, false, "a number, size or duration", error)) {
      return nullptr;
    }
    if (is_any(a[1])) return any_type();
    if (!is_any(item) && !is_null(item) && item->kind != a[1]->kind &&
        !(is_one_of(item, {K::Int, K::Float}) && is_one_of(a[1], {K::Int, K::Float}))) {
      error = fmt::format("the start of sum ({}) must be of the item type ({})", type_name(*a[1]),
                          type_name(*item));
      return nullptr;
    }
    bool floats = a[1]->kind == K::Float || (!is_any(item) && item->kind == K::Float);
    return scalar_type(floats ? K::Float : a[1]->kind);
  }
  // Without a start an empty sum is the int 0, so only int and float sums have a fixed type.
  if (!is_any(item) && (item->kind == K::Int || item->kind == K::Float)) return item;
  return any_type();
}

TypePtr check_keys(const Args& a, std::string& error) {
  if (!expect(builtin::Keys, a, 0, {K::Map, K::Object}, true, "a map", error)) return nullptr;
  return list_of(scalar_type(K::String));
}

TypePtr check_values(const Args& a, std::string& error) {
  if (!expect(builtin::Values, a, 0, {K::Map, K::Object}, true, "a map", error)) return nullptr;
  return list_of(is_any(a[0]) || is_null(a[0]) || a[0]->kind == K::Object ? any_type()
                                                                          : elem_of(a[0]));
}

TypePtr check_has_key(const Args& a, std::string& error) {
  if (!expect(builtin::HasKey, a, 0, {K::Map, K::Object}, true, "a map", error)) return nullptr;
  if (!expect_string(builtin::HasKey, a, 1, error)) return nullptr;
  return boolean();
}

TypePtr check_flatten(const Args& a, std::string& error) {
  if (!expect(builtin::Flatten, a, 0, {K::List, K::Set}, true, "a list or set", error)) {
    return nullptr;
  }
  TypePtr item = elem_of(a[0]);
  if (!is_any(item) && is_one_of(item, {K::List, K::Set})) return list_of(elem_of(item));
  return list_of(any_type());
}

TypePtr check_duplicates(const Args& a, std::string& error) {
  if (!expect(builtin::Duplicates, a, 0, {K::List, K::Set}, true, "a list or set", error)) {
    return nullptr;
  }
  return set_of(is_any(a[0]) || is_null(a[0]) ? any_type() : elem_of(a[0]));
}

TypePtr check_default(const Args& a, std::string& error) {
  const TypePtr& x = a[0];
  const TypePtr& fallback = a[1];
  if (is_null(x)) return fallback;
  if (is_any(x) || is_any(fallback)) return any_type();
  if (is_null(fallback)) return x;
  if (x->kind != fallback->kind) {
    bool numbers = is_one_of(x, {K::Int, K::Float}) && is_one_of(fallback, {K::Int, K::Float});
    if (numbers) return any_type();
    error = fmt::format("the fallback of default ({}) must have the type of argument 1 ({})",
                        type_name(*fallback), type_name(*x));
    return nullptr;
  }
  auto t = std::make_shared<Type>(*x);
  t->nullable = fallback->nullable;
  return t;
}

TypePtr check_caps(const Args& a, std::string& error) {
  if (!expect(builtin::Caps, a, 0, {K::String, K::List, K::Set, K::Caps}, true,
              "capability names (a string, a list or set of strings, or caps)", error)) {
    return nullptr;
  }
  return scalar_type(K::Caps);
}

TypePtr check_cap_name(const Args& a, std::string& error) {
  if (!expect(builtin::CapName, a, 0, {K::String}, true, "a string", error)) return nullptr;
  return scalar_type(K::String, true);
}

TypePtr check_unknown_caps(const Args& a, std::string& error) {
  if (!expect(builtin::UnknownCaps, a, 0, {K::String, K::List, K::Set}, true,
              "capability names (a string, or a list or set of strings)", error)) {
    return nullptr;
  }
  return list_of(scalar_type(K::String));
}

TypePtr constant_caps(const Args&, std::string&) {
  return scalar_type(K::Caps);
}

TypePtr check_effective_caps(const Args& a, std::string& error) {
  const BuiltinId id = builtin::EffectiveCaps;
  if (!expect(id, a, 0, {K::Bool}, true, "a bool (privileged)", error)) return nullptr;
  for (size_t i = 1; i < 3; ++i) {
    if (!expect(id, a, i, {K::String, K::List, K::Set, K::Caps}, true,
                "capability names (a list or set of strings, or caps)", error)) {
      return nullptr;
    }
  }
  return scalar_type(K::Caps);
}

TypePtr check_type_of(const Args&, std::string&) {
  return scalar_type(K::String);
}

}  // namespace capguard::builtin_types
