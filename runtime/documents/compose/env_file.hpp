#pragma once
// .env files as docker compose reads them (compose-go's dotenv parser):
//   KEY=value            value trimmed; ` #` starts a comment; ${VAR} interpolated
//   export KEY=value     the `export ` prefix is ignored
//   KEY: value           the YAML-like separator is accepted too
//   KEY="a\nb ${X}"      double quotes: may span lines, escapes \n \r \t \\ \" \$, interpolated
//   KEY='literal $X'     single quotes: may span lines, taken as written
//   KEY                  no separator: the value of KEY in `lookup`, when set there
//   # comment, blank lines
// Variables in values are looked up in `lookup` (the process environment) first, then among the
// keys defined earlier in the file, as compose-go does.

#include <optional>
#include <string>

#include "lang/core/diagnostics.hpp"
#include "lang/core/source.hpp"
#include "runtime/documents/compose/environment.hpp"

namespace capguard {

// Parses a registered source into `out` (later keys replace earlier ones). Errors at
// FILE:LINE:COL; returns false when any was reported.
bool parse_env_file(FileId file, const Environment& lookup, Environment& out, Diagnostics& diags);

// Reads and parses a file (read_file of runtime/documents/yaml_loader.hpp). False when it cannot be
// read or has errors.
bool load_env_file(const std::string& path, const Environment& lookup, Environment& out,
                   Diagnostics& diags);

}  // namespace capguard
