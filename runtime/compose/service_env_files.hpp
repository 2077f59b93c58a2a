#pragma once
// A service's `env_file` folded into its `environment`, as docker compose does before it creates
// the container (`docker compose config` shows the result): the files in order, later ones
// replacing earlier keys, then the service's own `environment` on top. An `environment` entry
// without a value (`- KEY`, `KEY:`) does not replace a value from a file.
//
// Each file is read as a .env file (runtime/compose/env_file.hpp), its ${VAR}s taken from the
// project's variables. A variable from a file keeps the span of its line in that file, so a
// finding on it points there. A missing file is a warning at the `env_file` entry (none for
// `required: false`): docker compose would refuse it, but repositories seldom commit env files,
// and the rest of the service is still worth checking. Relative paths are read against the project
// folder (paths of extended or included services are already absolute: runtime/compose/paths.hpp).

#include <string>

#include "lang/diagnostics.hpp"
#include "lang/value.hpp"
#include "runtime/compose/environment.hpp"

namespace capguard {

// `root` is the merged project (root.services: name -> mapping). Services without `env_file`
// are returned unchanged; the others get an `environment` mapping. Errors go to `diags`.
Value apply_service_env_files(const Value& root, const Environment& env,
                              const std::string& project_dir, Diagnostics& diags);

}  // namespace capguard
