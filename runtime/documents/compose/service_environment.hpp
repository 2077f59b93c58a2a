#pragma once
// A service's environment as docker compose hands it to the container (compose-go's
// WithServicesEnvironmentResolved; `docker compose config` shows the result):
//  - an `environment` entry without a value (`- KEY`, `KEY:`, `KEY: null`) takes KEY's value
//    from the project's variables (the process environment, then --env-file or .env:
//    runtime/documents/compose/discovery.hpp); when KEY is set nowhere, it is left out: docker
//    compose passes a bare KEY, which the Docker daemon reads as "unset" (it even removes an image
//    ENV default and a value from an env_file);
//  - the `env_file` files in order, later ones replacing earlier keys, then the service's own
//    `environment` entries on top.
//
// Each file is read as a .env file (runtime/documents/compose/env_file.hpp), its ${VAR}s taken from
// the project's variables. A variable from a file keeps the span of its line in that file, so a
// finding on it points there; a value taken from the project's variables keeps the span of the
// entry that named it. A missing file is a warning at the `env_file` entry (none for
// `required: false`): docker compose would refuse it, but repositories seldom commit env files,
// and the rest of the service is still worth checking. Relative paths are read against the
// project folder (paths of extended or included services are already absolute:
// runtime/documents/compose/paths.hpp), and `~` is the user's home when `home` is known.

#include <optional>
#include <string>

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"
#include "runtime/documents/compose/environment.hpp"

namespace capguard {

// `root` is the merged project (root.services: name -> mapping). Services with neither
// `environment` nor `env_file`, or with an `environment` of a wrong type (the normalizer
// reports it), are returned unchanged; the others get an `environment` mapping. Errors go to
// `diags`.
Value resolve_service_environments(const Value& root, const Environment& env,
                                   const std::string& project_dir,
                                   const std::optional<std::string>& home, Diagnostics& diags);

}  // namespace capguard
