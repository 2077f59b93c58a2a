#pragma once
// The checker's type rules: compatibility, unification, assignment and the result types of
// operators. Pure functions of types; no names, no diagnostics (callers turn an empty result and
// the `error` text into a diagnostic at the right span).
//
// Convention everywhere: Any is accepted by every rule (it is checked at run time) and a rule that
// involves Any yields Any unless the other side fixes the result. Nullability (`T?`) is
// informational: a nullable value is accepted wherever its base type is, because missing values
// are runtime errors (spec/language.md, "Missing values").

#include <string>

#include "lang/core/types.hpp"
#include "lang/syntax/ast.hpp"

namespace capguard::checker {

bool is_any(const TypePtr& t);
bool is_numeric(const Type& t);  // int or float
// Same type, ignoring nullability at every level.
bool same_type(const Type& a, const Type& b);
// The type both branches of an `if` (or all items of a list) can have; nullptr when none.
TypePtr unify(const TypePtr& a, const TypePtr& b);
// Whether `==`/`!=` between values of these types can ever be meaningful.
bool comparable(const Type& a, const Type& b);
// Whether a value of type `value` may be used where `target` is declared (param defaults, test
// overrides, annotated fn params). Lists and sets convert into each other; a list of strings
// converts to caps (normalized by name). `allow_null`: null is accepted for any target.
bool assignable(const Type& value, const Type& target, bool allow_null);
// The element type that `for x in C`, quantifiers and comprehensions bind for a collection of
// type `c`: list/set elements, map entries ({key, value}), capability names (string). nullptr
// when `c` cannot be iterated.
TypePtr element_type(const TypePtr& c);
// The result of a binary operator other than `and`/`or`, or nullptr with `error` set to a
// message that names the operator and both operand types (and a hint when one helps).
TypePtr binary_result(ast::BinaryOp op, const TypePtr& lhs, const TypePtr& rhs, std::string& error);
// The type as messages name it; "any" for nullptr (an unknown type).
std::string name_of(const TypePtr& t);
// The object type of a map entry: {key: string, value: elem}.
TypePtr entry_type(const TypePtr& elem);

}  // namespace capguard::checker
