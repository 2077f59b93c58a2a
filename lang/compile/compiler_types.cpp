#include "lang/compile/compiler_types.hpp"

#include <fmt/format.h>

#include "lang/core/diagnostics.hpp"
#include "lang/core/units.hpp"

namespace capguard {

TypePtr resolve_type(const ast::TypeRef& ref, const Schema& schema) {
  auto elem = [&]() { return ref.args.empty() ? any_type() : resolve_type(ref.args[0], schema); };
  if (ref.name == "bool") return scalar_type(TypeKind::Bool);
  if (ref.name == "int") return scalar_type(TypeKind::Int);
  if (ref.name == "float") return scalar_type(TypeKind::Float);
  if (ref.name == "string") return scalar_type(TypeKind::String);
  if (ref.name == "size") return scalar_type(TypeKind::Size);
  if (ref.name == "duration") return scalar_type(TypeKind::Duration);
  if (ref.name == "caps") return scalar_type(TypeKind::Caps);
  if (ref.name == "list") return list_of(elem());
  if (ref.name == "set") return set_of(elem());
  if (ref.name == "map") return map_of(elem());
  auto object = schema.objects.find(ref.name);
  if (object != schema.objects.end()) return object->second;
  return any_type();
}

namespace {

std::optional<Value> mismatch(const Value& v, const Type& t, std::string& error) {
  error = fmt::format("expected {}, got {}", type_name(t), kind_name(v.kind()));
  return std::nullopt;
}

std::optional<Value> coerce_caps(const Value& v, const Type& t, std::string& error) {
  if (v.kind() == Kind::Caps) return v;
  caps::Mask mask = 0;
  auto add = [&](const Value& item) {
    if (item.kind() == Kind::Caps) {
      mask |= item.as_caps();
      return true;
    }
    if (!item.is_string()) {
      error = fmt::format("expected caps, got a list holding {}", kind_name(item.kind()));
      return false;
    }
    std::optional<int> n = caps::parse(item.as_string());
    if (!n) {
      std::vector<std::string> names = caps::all_names();
      names.push_back("ALL");
      std::string best = did_you_mean(caps::canonical_spelling(item.as_string()), names);
      error = fmt::format("unknown capability \"{}\"{}", item.as_string(),
                          best.empty() ? "" : fmt::format("; did you mean {}?", best));
      return false;
    }
    mask |= *n < 0 ? caps::kAll : caps::bit(*n);
    return true;
  };
  if (v.is_string()) {
    if (!add(v)) return std::nullopt;
  } else if (v.is_sequence()) {
    for (const Value& item : v.as_list()) {
      if (!add(item)) return std::nullopt;
    }
  } else {
    return mismatch(v, t, error);
  }
  return Value::caps(mask, v.span());
}

std::optional<Value> coerce_units(const Value& v, const Type& t, std::string& error) {
  Kind want = t.kind == TypeKind::Size ? Kind::Size : Kind::Duration;
  if (v.kind() == want) return v;
  if (v.is_string()) {
    std::string why;
    std::optional<int64_t> n = want == Kind::Size ? units::parse_size(v.as_string(), why)
                                                  : units::parse_duration(v.as_string(), why);
    if (!n) {
      error = why;
      return std::nullopt;
    }
    return want == Kind::Size ? Value::size(*n, v.span()) : Value::duration(*n, v.span());
  }
  if (v.is_int() && want == Kind::Size) return Value::size(v.as_int(), v.span());
  return mismatch(v, t, error);
}

}  // namespace

std::optional<Value> coerce_value(const Value& v, const Type& t, std::string& error) {
  if (t.kind == TypeKind::Any) return v;
  if (v.is_null()) {
    if (t.nullable || t.kind == TypeKind::Null) return v;
    return mismatch(v, t, error);
  }
  switch (t.kind) {
    case TypeKind::Any:
    case TypeKind::Null:
      return v.is_null() ? std::optional<Value>(v) : mismatch(v, t, error);
    case TypeKind::Bool:
      return v.is_bool() ? std::optional<Value>(v) : mismatch(v, t, error);
    case TypeKind::Int:
      return v.is_int() ? std::optional<Value>(v) : mismatch(v, t, error);
    case TypeKind::Float:
      if (v.is_number()) return Value::number(v.as_double(), v.span());
      return mismatch(v, t, error);
    case TypeKind::String:
      return v.is_string() ? std::optional<Value>(v) : mismatch(v, t, error);
    case TypeKind::Size:
    case TypeKind::Duration:
      return coerce_units(v, t, error);
    case TypeKind::Caps:
      return coerce_caps(v, t, error);
    case TypeKind::List:
    case TypeKind::Set: {
      if (!v.is_sequence() && !(v.kind() == Kind::Caps)) return mismatch(v, t, error);
      List items;
      if (v.kind() == Kind::Caps) {
        for (const std::string& n : caps::names(v.as_caps())) items.push_back(Value::string(n));
      } else {
        items = v.as_list().to_vector();
      }
      if (t.elem) {
        for (size_t i = 0; i < items.size(); ++i) {
          std::string why;
          std::optional<Value> c = coerce_value(items[i], *t.elem, why);
          if (!c) {
            error = fmt::format("item {}: {}", i + 1, why);
            return std::nullopt;
          }
          items[i] = *c;
        }
      }
      return t.kind == TypeKind::List ? Value::list(std::move(items), v.span())
                                      : Value::set(std::move(items), v.span());
    }
    case TypeKind::Map: {
      if (!v.is_map()) return mismatch(v, t, error);
      Entries entries = v.as_map().to_vector();
      if (t.elem) {
        for (Entry& e : entries) {
          std::string why;
          std::optional<Value> c = coerce_value(e.second, *t.elem, why);
          if (!c) {
            error = fmt::format("key \"{}\": {}", e.first, why);
            return std::nullopt;
          }
          e.second = *c;
        }
      }
      return Value::map(std::move(entries), v.span());
    }
    case TypeKind::Object:
      return v.is_map() ? std::optional<Value>(v) : mismatch(v, t, error);
  }
  return mismatch(v, t, error);
}

}  // namespace capguard
