#include "lang/core/types.hpp"

#include <array>

namespace capguard {

int Type::slot_of(const std::string& name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

const FieldDef* Type::field(const std::string& name) const {
  int slot = slot_of(name);
  return slot < 0 ? nullptr : &fields[static_cast<size_t>(slot)];
}

TypePtr any_type() {
  static const TypePtr t = std::make_shared<Type>();
  return t;
}

TypePtr scalar_type(TypeKind kind, bool is_nullable) {
  // Types are immutable once made: one shared instance per kind and nullability (the document
  // schema alone asks for ~200 of them at every start).
  constexpr size_t kKinds = static_cast<size_t>(TypeKind::Object) + 1;
  static const std::array<TypePtr, 2 * kKinds> made = [] {
    std::array<TypePtr, 2 * kKinds> out;
    for (size_t i = 0; i < out.size(); ++i) {
      auto t = std::make_shared<Type>();
      t->kind = static_cast<TypeKind>(i / 2);
      t->nullable = i % 2 == 1;
      out[i] = std::move(t);
    }
    return out;
  }();
  return made[2 * static_cast<size_t>(kind) + (is_nullable ? 1 : 0)];
}

namespace {
TypePtr container(TypeKind kind, TypePtr elem, bool is_nullable) {
  auto t = std::make_shared<Type>();
  t->kind = kind;
  t->elem = std::move(elem);
  t->nullable = is_nullable;
  return t;
}
}  // namespace

TypePtr list_of(TypePtr elem, bool n) {
  return container(TypeKind::List, std::move(elem), n);
}
TypePtr set_of(TypePtr elem, bool n) {
  return container(TypeKind::Set, std::move(elem), n);
}
TypePtr map_of(TypePtr elem, bool n) {
  return container(TypeKind::Map, std::move(elem), n);
}

TypePtr nullable(TypePtr t) {
  if (t->nullable || t->kind == TypeKind::Any || t->kind == TypeKind::Null) return t;
  auto copy = std::make_shared<Type>(*t);
  copy->nullable = true;
  return copy;
}

std::string type_name(const Type& t) {
  std::string base;
  switch (t.kind) {
    case TypeKind::Any:
      return "any";
    case TypeKind::Null:
      return "null";
    case TypeKind::Bool:
      base = "bool";
      break;
    case TypeKind::Int:
      base = "int";
      break;
    case TypeKind::Float:
      base = "float";
      break;
    case TypeKind::String:
      base = "string";
      break;
    case TypeKind::Size:
      base = "size";
      break;
    case TypeKind::Duration:
      base = "duration";
      break;
    case TypeKind::Caps:
      base = "caps";
      break;
    case TypeKind::List:
      base = "list[" + (t.elem ? type_name(*t.elem) : "any") + "]";
      break;
    case TypeKind::Set:
      base = "set[" + (t.elem ? type_name(*t.elem) : "any") + "]";
      break;
    case TypeKind::Map:
      base = "map[" + (t.elem ? type_name(*t.elem) : "any") + "]";
      break;
    case TypeKind::Object:
      base = t.object_name;
      break;
  }
  return t.nullable ? base + "?" : base;
}

}  // namespace capguard
