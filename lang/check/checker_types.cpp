#include "lang/check/checker_types.hpp"

#include <fmt/format.h>

namespace capguard::checker {

using ast::BinaryOp;

bool is_any(const TypePtr& t) {
  return !t || t->kind == TypeKind::Any;
}

bool is_numeric(const Type& t) {
  return t.kind == TypeKind::Int || t.kind == TypeKind::Float;
}

namespace {

bool is_sequence(const Type& t) {
  return t.kind == TypeKind::List || t.kind == TypeKind::Set;
}

bool elem_is_any(const Type& t) {
  return is_any(t.elem);
}

// A list or set whose elements are strings (or unknown): usable as capability names.
bool is_name_sequence(const Type& t) {
  return is_sequence(t) && (elem_is_any(t) || t.elem->kind == TypeKind::String);
}

TypePtr with_nullable(TypePtr t, bool n) {
  return n ? nullable(std::move(t)) : t;
}

TypePtr scalar(TypeKind k) {
  return scalar_type(k);
}

// The hint for mixing a bare number with a size or duration: the fix is almost always a unit.
std::string unit_hint(const Type& a, const Type& b) {
  auto pair = [&](TypeKind k) {
    return (is_numeric(a) && b.kind == k) || (a.kind == k && is_numeric(b));
  };
  if (pair(TypeKind::Size)) return "; write the number with a unit, e.g. 256M";
  if (pair(TypeKind::Duration)) return "; write the number with a unit, e.g. 30s";
  return "";
}

TypePtr arithmetic(const Type& a, const Type& b) {
  bool floaty = a.kind == TypeKind::Float || b.kind == TypeKind::Float;
  return scalar(floaty ? TypeKind::Float : TypeKind::Int);
}

// `|`, `&` and `-` on collections: caps with caps (or names), sets and lists with each other.
TypePtr set_algebra(const TypePtr& a, const TypePtr& b) {
  if (a->kind == TypeKind::Caps && (b->kind == TypeKind::Caps || is_name_sequence(*b))) {
    return scalar(TypeKind::Caps);
  }
  if (b->kind == TypeKind::Caps && is_name_sequence(*a)) return scalar(TypeKind::Caps);
  if (is_sequence(*a) && is_sequence(*b)) {
    TypePtr elem = unify(a->elem ? a->elem : any_type(), b->elem ? b->elem : any_type());
    if (!elem) return nullptr;
    if (a->kind == TypeKind::Set || b->kind == TypeKind::Set) return set_of(elem);
    return list_of(elem);
  }
  return nullptr;
}

TypePtr add(const Type& a, const Type& b, const TypePtr& pa, const TypePtr& pb) {
  if (is_numeric(a) && is_numeric(b)) return arithmetic(a, b);
  if (a.kind != b.kind) return nullptr;
  switch (a.kind) {
    case TypeKind::Size:
    case TypeKind::Duration:
    case TypeKind::String:
      return scalar(a.kind);
    case TypeKind::List: {
      TypePtr elem = unify(a.elem ? a.elem : any_type(), b.elem ? b.elem : any_type());
      return elem ? list_of(elem) : nullptr;
    }
    default:
      return nullptr;
  }
}

TypePtr subtract(const Type& a, const Type& b, const TypePtr& pa, const TypePtr& pb) {
  if (is_numeric(a) && is_numeric(b)) return arithmetic(a, b);
  if (a.kind == b.kind && (a.kind == TypeKind::Size || a.kind == TypeKind::Duration)) {
    return scalar(a.kind);
  }
  TypePtr r = set_algebra(pa, pb);
  // Difference keeps the left side's kind: list - set is a list.
  if (r && a.kind == TypeKind::List && r->kind == TypeKind::Set) return list_of(r->elem);
  return r;
}

TypePtr multiply(const Type& a, const Type& b) {
  if (is_numeric(a) && is_numeric(b)) return arithmetic(a, b);
  for (TypeKind k : {TypeKind::Size, TypeKind::Duration}) {
    if ((a.kind == k && is_numeric(b)) || (is_numeric(a) && b.kind == k)) return scalar(k);
  }
  return nullptr;
}

TypePtr divide(const Type& a, const Type& b) {
  if (is_numeric(a) && is_numeric(b)) return arithmetic(a, b);
  for (TypeKind k : {TypeKind::Size, TypeKind::Duration}) {
    if (a.kind == k && is_numeric(b)) return scalar(k);
    if (a.kind == k && b.kind == k) return scalar(TypeKind::Float);  // a ratio
  }
  return nullptr;
}

bool orderable(const Type& a, const Type& b) {
  if (is_numeric(a) && is_numeric(b)) return true;
  if (a.kind != b.kind) return false;
  return a.kind == TypeKind::String || a.kind == TypeKind::Size || a.kind == TypeKind::Duration;
}

TypePtr membership(const TypePtr& item, const TypePtr& coll, std::string& error) {
  TypePtr b = scalar(TypeKind::Bool);
  switch (coll->kind) {
    case TypeKind::List:
    case TypeKind::Set:
      if (is_any(coll->elem) || comparable(*item, *coll->elem)) return b;
      error = fmt::format("`in` looks for {} in {}: the item can never be found{}", name_of(item),
                          name_of(coll), unit_hint(*item, *coll->elem));
      return nullptr;
    case TypeKind::Caps:
      if (item->kind == TypeKind::Caps || item->kind == TypeKind::String) return b;
      error = fmt::format("`in` on caps needs a capability or a string on the left, got {}",
                          name_of(item));
      return nullptr;
    case TypeKind::Map:
      if (item->kind == TypeKind::String) return b;
      error =
          fmt::format("`in` on a map looks for a key: it needs a string, got {}", name_of(item));
      return nullptr;
    case TypeKind::String:
      error = "`in` does not search inside strings; use contains(text, part)";
      return nullptr;
    default:
      error =
          fmt::format("`in` needs a list, set, map or caps on the right, got {}", name_of(coll));
      return nullptr;
  }
}

}  // namespace

bool same_type(const Type& a, const Type& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case TypeKind::List:
    case TypeKind::Set:
    case TypeKind::Map:
      if (is_any(a.elem) || is_any(b.elem)) return is_any(a.elem) && is_any(b.elem);
      return same_type(*a.elem, *b.elem);
    case TypeKind::Object:
      return a.object_name == b.object_name;
    default:
      return true;
  }
}

TypePtr unify(const TypePtr& a, const TypePtr& b) {
  if (is_any(a) || is_any(b)) return any_type();
  if (a->kind == TypeKind::Null) return nullable(b);
  if (b->kind == TypeKind::Null) return nullable(a);
  bool n = a->nullable || b->nullable;
  if (is_numeric(*a) && is_numeric(*b)) return with_nullable(arithmetic(*a, *b), n);
  if (a->kind != b->kind) return nullptr;
  switch (a->kind) {
    case TypeKind::List:
    case TypeKind::Set:
    case TypeKind::Map: {
      TypePtr elem = unify(a->elem ? a->elem : any_type(), b->elem ? b->elem : any_type());
      if (!elem) return nullptr;
      if (a->kind == TypeKind::List) return list_of(elem, n);
      if (a->kind == TypeKind::Set) return set_of(elem, n);
      return map_of(elem, n);
    }
    case TypeKind::Object:
      return a->object_name == b->object_name ? with_nullable(a, n) : nullptr;
    default:
      return with_nullable(a, n);
  }
}

bool comparable(const Type& a, const Type& b) {
  if (a.kind == TypeKind::Any || b.kind == TypeKind::Any) return true;
  if (a.kind == TypeKind::Null || b.kind == TypeKind::Null) return true;
  if (is_numeric(a) && is_numeric(b)) return true;
  if (a.kind == TypeKind::Caps) return b.kind == TypeKind::Caps || is_name_sequence(b);
  if (b.kind == TypeKind::Caps) return is_name_sequence(a);
  if (is_sequence(a) && is_sequence(b)) {
    return is_any(a.elem) || is_any(b.elem) || comparable(*a.elem, *b.elem);
  }
  if (a.kind != b.kind) return false;
  if (a.kind == TypeKind::Map)
    return is_any(a.elem) || is_any(b.elem) || comparable(*a.elem, *b.elem);
  if (a.kind == TypeKind::Object) return a.object_name == b.object_name;
  return true;
}

bool assignable(const Type& value, const Type& target, bool allow_null) {
  if (value.kind == TypeKind::Any || target.kind == TypeKind::Any) return true;
  if (value.kind == TypeKind::Null) return allow_null || target.nullable;
  if (target.kind == TypeKind::Float && value.kind == TypeKind::Int) return true;
  if (target.kind == TypeKind::Caps) return value.kind == TypeKind::Caps || is_name_sequence(value);
  if (is_sequence(target)) {
    // Caps convert to their names (as the compiler's and --param's coercion do).
    if (value.kind == TypeKind::Caps) {
      return is_any(target.elem) || target.elem->kind == TypeKind::String;
    }
    if (!is_sequence(value)) return false;
    return is_any(value.elem) || is_any(target.elem) ||
           assignable(*value.elem, *target.elem, allow_null);
  }
  if (value.kind != target.kind) return false;
  if (target.kind == TypeKind::Map) {
    return is_any(value.elem) || is_any(target.elem) ||
           assignable(*value.elem, *target.elem, allow_null);
  }
  if (target.kind == TypeKind::Object) return value.object_name == target.object_name;
  return true;
}

TypePtr entry_type(const TypePtr& elem) {
  auto t = std::make_shared<Type>();
  t->kind = TypeKind::Object;
  t->object_name = "entry";
  t->fields.push_back(FieldDef{"key", scalar(TypeKind::String), "the map key"});
  t->fields.push_back(FieldDef{"value", elem ? elem : any_type(), "the map value"});
  return t;
}

TypePtr element_type(const TypePtr& c) {
  if (is_any(c)) return any_type();
  switch (c->kind) {
    case TypeKind::List:
    case TypeKind::Set:
      return c->elem ? c->elem : any_type();
    case TypeKind::Map:
      return entry_type(c->elem);
    case TypeKind::Caps:
      return scalar(TypeKind::String);
    default:
      return nullptr;
  }
}

TypePtr binary_result(BinaryOp op, const TypePtr& lhs, const TypePtr& rhs, std::string& error) {
  TypePtr b = scalar(TypeKind::Bool);
  if (op == BinaryOp::Or || op == BinaryOp::And) return b;
  if (is_any(lhs) || is_any(rhs)) {
    bool predicate = op == BinaryOp::Eq || op == BinaryOp::Ne || op == BinaryOp::Lt ||
                     op == BinaryOp::Le || op == BinaryOp::Gt || op == BinaryOp::Ge ||
                     op == BinaryOp::In || op == BinaryOp::NotIn;
    return predicate ? b : any_type();
  }
  const Type& l = *lhs;
  const Type& r = *rhs;
  TypePtr result;
  switch (op) {
    case BinaryOp::Eq:
    case BinaryOp::Ne:
      if (comparable(l, r)) return b;
      error =
          fmt::format("cannot compare {} with {}{}", name_of(lhs), name_of(rhs), unit_hint(l, r));
      return nullptr;
    case BinaryOp::Lt:
    case BinaryOp::Le:
    case BinaryOp::Gt:
    case BinaryOp::Ge:
      if (orderable(l, r)) return b;
      error = fmt::format("cannot order {} and {} with `{}`{}", name_of(lhs), name_of(rhs),
                          op_text(op), unit_hint(l, r));
      return nullptr;
    case BinaryOp::In:
    case BinaryOp::NotIn:
      return membership(lhs, rhs, error);
    case BinaryOp::Union:
    case BinaryOp::Intersect:
      result = set_algebra(lhs, rhs);
      break;
    case BinaryOp::Add:
      result = add(l, r, lhs, rhs);
      if (!result && l.kind == TypeKind::Caps && r.kind == TypeKind::Caps) {
        error = "operator `+` cannot be applied to caps and caps; use `|` for the union";
        return nullptr;
      }
      break;
    case BinaryOp::Sub:
      result = subtract(l, r, lhs, rhs);
      break;
    case BinaryOp::Mul:
      result = multiply(l, r);
      break;
    case BinaryOp::Div:
      result = divide(l, r);
      break;
    case BinaryOp::Mod:
      if (l.kind == TypeKind::Int && r.kind == TypeKind::Int) result = scalar(TypeKind::Int);
      break;
    default:
      break;
  }
  if (!result) {
    error = fmt::format("operator `{}` cannot be applied to {} and {}{}", op_text(op), name_of(lhs),
                        name_of(rhs), unit_hint(l, r));
  }
  return result;
}

std::string name_of(const TypePtr& t) {
  return t ? type_name(*t) : "any";
}

}  // namespace capguard::checker
