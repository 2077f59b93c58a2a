#pragma once
// The built-in functions' signatures: what the checker needs (names, arity, argument and result
// types) and the compiler needs (a stable id per built-in). Implementations live in runtime/
// (runtime/eval/builtins.hpp), in a table indexed by the same id. spec/builtins.md documents each.

#include <string>
#include <string_view>
#include <vector>

#include "lang/core/types.hpp"

namespace capguard {

using BuiltinId = uint16_t;

// Stable ids of the built-ins, equal to their index in builtin_signatures(). The compiler stores
// them in the IR; runtime/eval/builtins.hpp dispatches on them.
namespace builtin {
enum : BuiltinId {
  // strings
  Lower,
  Upper,
  StartsWith,
  EndsWith,
  Contains,
  Split,
  Join,
  Trim,
  Replace,
  Len,
  String,
  Empty,
  // regular expressions (RE2)
  Matches,
  Find,
  FindAll,
  // globs and paths
  Glob,
  PathUnder,
  CleanPath,
  // sizes and durations
  Size,
  Duration,
  ToBytes,
  ToSeconds,
  // numbers
  Int,
  Float,
  Min,
  Max,
  Abs,
  Sum,
  // lists, sets and maps
  Set,
  List,
  Sort,
  Keys,
  Values,
  HasKey,
  Flatten,
  Duplicates,
  Default,
  // capabilities
  Caps,
  CapName,
  IsCapability,
  UnknownCaps,
  AllCaps,
  DockerDefaultCaps,
  DangerousCaps,
  EffectiveCaps,
  // values
  TypeOf,
  Count_  // number of built-ins
};
}  // namespace builtin

// max_args of a built-in that takes any number of arguments (min, max).
constexpr size_t kVariadic = static_cast<size_t>(-1);

struct BuiltinSignature {
  BuiltinId id;
  std::string_view name;
  size_t min_args;
  size_t max_args;
  // Checks argument types (Any matches anything); returns the result type, or nullptr with a
  // message in `error` ("argument 2 of starts_with must be a string, got int").
  TypePtr (*check)(const std::vector<TypePtr>& args, std::string& error);
  bool pure;  // no dependence on anything but the arguments: eligible for constant folding
  std::string_view summary;  // one line
};

// All built-ins, in id order.
const std::vector<BuiltinSignature>& builtin_signatures();
// nullptr when unknown.
const BuiltinSignature* find_builtin(std::string_view name);
// Names of all built-ins, for "did you mean".
std::vector<std::string> builtin_names();

}  // namespace capguard
