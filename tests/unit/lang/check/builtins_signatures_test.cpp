// Built-in signatures (lang/check/builtins.hpp): the table is in id order and every type rule
// accepts what the implementation accepts and rejects what it cannot use.
#include <catch2/catch.hpp>

#include "lang/check/builtins.hpp"

using namespace capguard;

namespace {

TypePtr str() {
  return scalar_type(TypeKind::String);
}
TypePtr integer() {
  return scalar_type(TypeKind::Int);
}

// Result type name, or "error: MESSAGE".
std::string check(std::string_view name, std::vector<TypePtr> args) {
  const BuiltinSignature* sig = find_builtin(name);
  REQUIRE(sig != nullptr);
  REQUIRE(args.size() >= sig->min_args);
  REQUIRE(args.size() <= sig->max_args);
  std::string error;
  TypePtr result = sig->check(args, error);
  return result ? type_name(*result) : "error: " + error;
}

}  // namespace

TEST_CASE("signatures are in id order, one per id", "[builtins]") {
  const auto& all = builtin_signatures();
  REQUIRE(all.size() == builtin::Count_);
  for (size_t i = 0; i < all.size(); ++i) {
    CHECK(all[i].id == i);
    CHECK(find_builtin(all[i].name) == &all[i]);
    CHECK_FALSE(all[i].summary.empty());
  }
  CHECK(find_builtin("nope") == nullptr);
  CHECK(builtin_names().size() == all.size());
  CHECK(find_builtin("starts_with")->id == builtin::StartsWith);
  CHECK(find_builtin("effective_caps")->id == builtin::EffectiveCaps);
  CHECK(find_builtin("max")->max_args == kVariadic);
}

TEST_CASE("string rules", "[builtins]") {
  CHECK(check("lower", {str()}) == "string");
  CHECK(check("lower", {scalar_type(TypeKind::String, true)}) == "string?");
  CHECK(check("lower", {any_type()}) == "string?");
  CHECK(check("lower", {integer()}) == "error: argument 1 of lower must be a string, got int");
  CHECK(check("starts_with", {str(), integer()}) ==
        "error: argument 2 of starts_with must be a string, got int");
  CHECK(check("starts_with", {scalar_type(TypeKind::Null), str()}) == "bool");
  CHECK(check("contains", {list_of(str()), integer()}) == "bool");
  CHECK(check("contains", {str(), integer()}) ==
        "error: argument 2 of contains must be a string, got int");
  CHECK(check("contains", {scalar_type(TypeKind::Caps), integer()}) ==
        "error: argument 2 of contains must be a capability name or caps, got int");
  CHECK(check("split", {str(), str()}) == "list[string]");
  CHECK(check("len", {scalar_type(TypeKind::Bool)}) ==
        "error: argument 1 of len must be a string, list, set, map or caps, got bool");
  CHECK(check("string", {scalar_type(TypeKind::Size)}) == "string");
  CHECK(check("empty", {scalar_type(TypeKind::Caps)}) == "bool");
  CHECK(check("find", {str(), str()}) == "string?");
  CHECK(check("find_all", {str(), str()}) == "list[string]");
}

TEST_CASE("unit and number rules", "[builtins]") {
  CHECK(check("size", {str()}) == "size");
  CHECK(check("size", {any_type()}) == "size?");
  CHECK(check("size", {scalar_type(TypeKind::Float)}) ==
        "error: argument 1 of size must be a string such as \"256M\", an int of bytes, or a "
        "size, got float");
  CHECK(check("to_bytes", {scalar_type(TypeKind::Size)}) == "int");
  CHECK(check("to_seconds", {scalar_type(TypeKind::Duration, true)}) == "float?");
  CHECK(check("int", {str()}) == "int");
  CHECK(check("float", {integer()}) == "float");
  CHECK(check("min", {integer(), integer()}) == "int");
  CHECK(check("min", {integer(), scalar_type(TypeKind::Float)}) == "any");
  CHECK(check("max", {list_of(scalar_type(TypeKind::Size))}) == "size?");
  CHECK(check("max", {integer(), str()}) ==
        "error: arguments of max must be comparable: int and string");
  CHECK(check("abs", {scalar_type(TypeKind::Duration)}) == "duration");
  CHECK(check("sum", {list_of(integer())}) == "int");
  CHECK(check("sum", {list_of(scalar_type(TypeKind::Size)), scalar_type(TypeKind::Size)}) ==
        "size");
  CHECK(check("sum", {list_of(str())}) ==
        "error: argument 1 of sum must hold numbers, sizes or durations, got list[string]");
  CHECK(check("sum", {list_of(integer()), scalar_type(TypeKind::Size)}) ==
        "error: the start of sum (size) must be of the item type (int)");
}

TEST_CASE("collection and capability rules", "[builtins]") {
  CHECK(check("set", {list_of(str())}) == "set[string]");
  CHECK(check("list", {scalar_type(TypeKind::Caps)}) == "list[string]");
  CHECK(check("sort", {set_of(integer())}) == "list[int]");
  CHECK(check("keys", {map_of(str())}) == "list[string]");
  CHECK(check("values", {map_of(integer())}) == "list[int]");
  CHECK(check("has_key", {map_of(str()), integer()}) ==
        "error: argument 2 of has_key must be a string, got int");
  CHECK(check("flatten", {list_of(list_of(str()))}) == "list[string]");
  CHECK(check("default", {scalar_type(TypeKind::Int, true), integer()}) == "int");
  CHECK(check("default", {scalar_type(TypeKind::Null), str()}) == "string");
  CHECK(check("default", {integer(), str()}) ==
        "error: the fallback of default (string) must have the type of argument 1 (int)");
  CHECK(check("caps", {list_of(str())}) == "caps");
  CHECK(check("cap_name", {str()}) == "string?");
  CHECK(check("unknown_caps", {list_of(str())}) == "list[string]");
  CHECK(check("all_caps", {}) == "caps");
  CHECK(check("effective_caps", {scalar_type(TypeKind::Bool), list_of(str()), any_type()}) ==
        "caps");
  CHECK(check("effective_caps", {str(), list_of(str()), any_type()}) ==
        "error: argument 1 of effective_caps must be a bool (privileged), got string");
  CHECK(check("type_of", {any_type()}) == "string");
}
