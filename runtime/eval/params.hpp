#pragma once
// Param values for a run: the program's defaults, overridden by name from outside. Text from
// `--param name=value` is parsed by the param's declared type:
//   bool      true | false
//   int       42
//   float     1.5
//   string    the text as is
//   size      256M, 1GiB, 512 (bytes)            (lang/core/units.hpp, Docker's memory units)
//   duration  30s, 1m30s, 500ms                  (Go durations)
//   caps      NET_ADMIN,CHOWN or [NET_ADMIN, CHOWN]   (names checked)
//   list/set  a,b,c or a JSON/YAML list ["a", "b"]    (items parsed by the element type)
//   map/any   a JSON/YAML value
// Values from a params file (YAML or JSON mapping of name to value) are coerced to the type
// (lang/compile/compiler_types.hpp). A name is the qualified "package.name" or, when only one param
// has it, the bare name. Unknown names, bad values and wrong types are diagnostics naming the param
// and the expected type, with "did you mean" for names.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lang/compile/ir.hpp"
#include "lang/core/diagnostics.hpp"

namespace capguard {

struct ParamOverrides {
  std::vector<std::pair<std::string, std::string>> texts;  // from --param, in order
  std::vector<std::pair<std::string, Value>> values;       // from params files, in order
};

// Splits "name=value" at the first '='. False (with `error`) when there is no '=' or no name.
bool split_param_flag(const std::string& flag, std::string& name, std::string& value,
                      std::string& error);

// Parses `text` as a value of type `t` (the table above). nullopt with a reason in `error`.
std::optional<Value> parse_param_text(const std::string& text, const Type& t, std::string& error);

// Reads a params file (a YAML or JSON mapping) into `out.values`. False on an error (in diags).
bool load_params_file(const std::string& path, ParamOverrides& out, Diagnostics& diags);

// One value per Program::params entry: defaults, then file values, then --param texts (the
// command line wins). nullopt when any override was refused (all problems are reported).
std::optional<std::vector<Value>> resolve_params(const ir::Program& program,
                                                 const ParamOverrides& overrides,
                                                 Diagnostics& diags);

}  // namespace capguard
