#pragma once
// The operators of the policy language on Values (spec/language.md, "Expressions"): comparison,
// membership, set algebra, arithmetic, field and index access, iteration. Pure functions shared
// by the evaluator and, through it, by the compiler's constant folding, so that a folded constant
// is exactly what evaluation would have produced.
//
// Every function throws RuntimeError (runtime/eval/builtins.hpp) on a kind mismatch, a division by
// zero or an overflow; the evaluator attaches the span of the operator in the policy.

#include <string_view>

#include "lang/core/value.hpp"
#include "runtime/eval/builtins.hpp"

namespace capguard::ops {

// The bool in `v`, or RuntimeError "WHAT must be a bool, got KIND".
bool as_condition(const Value& v, const char* what);

// == and != (structural; int and float by value; caps against a list of capability names by
// mask; null equal only to null).
bool equal(const Value& a, const Value& b);
// <, <=, >, >=: -1, 0 or 1. Numbers (int, float), strings, sizes, durations; anything else,
// null included, is a RuntimeError.
int order(const Value& a, const Value& b, std::string_view op);
// `item in collection`: lists and sets (element equality), caps (a capability name or a caps
// subset), maps (keys), strings (substring). A null collection contains nothing.
bool contains(const Value& collection, const Value& item);

// Set algebra. Caps with caps, a capability name or a list of names: masks. Sets: sets. Lists (and
// a list with a set): lists without duplicates, in the order of the left operand. Null counts as
// an empty collection.
Value set_union(const Value& a, const Value& b);
Value set_intersect(const Value& a, const Value& b);
Value set_difference(const Value& a, const Value& b);

// Arithmetic: ints (overflow checked), floats (mixed with ints), sizes and durations (+ - with
// their own kind, * and / by a number, / by their own kind gives a float), strings and lists
// (+ concatenates), sets and caps (+ is union, - is difference).
Value add(const Value& a, const Value& b);
Value subtract(const Value& a, const Value& b);
Value multiply(const Value& a, const Value& b);
Value divide(const Value& a, const Value& b);
Value modulo(const Value& a, const Value& b);
Value negate(const Value& a);

// A capability mask from caps, a capability name, or a list/set of names (RuntimeError on an
// unknown name or another kind). Null is the empty mask.
caps::Mask to_mask(const Value& v);

// `object.name` with the slot hint (-1: none). A map without the key gives null; null gives null
// when `optional`, else a RuntimeError; any other kind is a RuntimeError. Returns a pointer into
// `object` or to a static null.
const Value* field(const Value& object, int slot, const std::string& name, bool optional);
// `object[index]`: lists and sets by int (out of range: null; negative counts from the end),
// maps by string key (missing: null), strings by int (one-byte string). Null as for field().
Value index(const Value& object, const Value& index, bool optional);

// Calls `body(element)` for each element of a collection: list and set items, map entries as
// {key, value} maps, capability names of a caps value. Null has no elements. Other kinds are a
// RuntimeError. `body` returns false to stop early.
template <typename Body>
void for_each_element(const Value& collection, Body&& body);

// A map entry as the language binds it: {key: KEY, value: VALUE} with the value's span.
Value entry_value(const MapEntry& e);
[[noreturn]] void not_iterable(const Value& v);

template <typename Body>
void for_each_element(const Value& collection, Body&& body) {
  switch (collection.kind()) {
    case Kind::Null:
      return;
    case Kind::List:
    case Kind::Set:
      for (const Value& item : collection.as_list()) {
        if (!body(item)) return;
      }
      return;
    case Kind::Map:
      for (const auto& e : collection.as_map()) {
        if (!body(entry_value(e))) return;
      }
      return;
    case Kind::Caps:
      for (const std::string& n : caps::names(collection.as_caps())) {
        if (!body(Value::string(n, collection.span()))) return;
      }
      return;
    default:
      not_iterable(collection);
  }
}

}  // namespace capguard::ops
