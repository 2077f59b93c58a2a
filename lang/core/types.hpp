#pragma once
// Static types of the policy language, and the document schema: the description of the data a
// policy can see (`services` and the fields of each service). runtime/ builds the real schema
// (runtime/documents/document_schema.cpp) and hands it to the checker as data; tests use small
// ones.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace capguard {

enum class TypeKind {
  Any,  // unknown statically (raw document data, untyped fn params): checked at run time
  Null,
  Bool,
  Int,
  Float,
  String,
  Size,
  Duration,
  Caps,
  List,    // elem
  Set,     // elem
  Map,     // string keys, `elem` values (raw mappings such as environment, sysctls, raw)
  Object,  // a schema object with known fields (service, mount, port, ...)
};

struct Type;
using TypePtr = std::shared_ptr<const Type>;

struct FieldDef {
  std::string name;
  TypePtr type;
  std::string_view doc;  // one line, for messages and docs: a string literal
};

struct Type {
  TypeKind kind = TypeKind::Any;
  bool nullable = false;         // the value may be null (e.g. user.uid when unknown)
  TypePtr elem;                  // List, Set, Map
  std::string object_name;       // Object: "service", "mount", ...
  std::vector<FieldDef> fields;  // Object: in slot order (the order the normalizer emits keys)

  // Slot of field `name` in an Object, or -1.
  int slot_of(const std::string& name) const;
  const FieldDef* field(const std::string& name) const;
};

// Constructors for the common types.
TypePtr any_type();
TypePtr scalar_type(TypeKind kind, bool nullable = false);
TypePtr list_of(TypePtr elem, bool nullable = false);
TypePtr set_of(TypePtr elem, bool nullable = false);
TypePtr map_of(TypePtr elem, bool nullable = false);
TypePtr nullable(TypePtr t);

// "int", "list[string]", "service", "string?" (nullable) ...
std::string type_name(const Type& t);

struct Schema {
  // The names a policy can use at the top level without declaring them, e.g. `services`.
  std::map<std::string, TypePtr> roots;
  // Named object types, for `fn f(s: service)` annotations and for messages.
  std::map<std::string, TypePtr> objects;
};

}  // namespace capguard
