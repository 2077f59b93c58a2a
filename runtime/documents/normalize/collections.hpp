#pragma once
// The collection fields of a workload: environment, secrets and sysctls (networks:
// runtime/documents/normalize/networks.hpp).
//
// environment / sysctls: a map of strings from compose's mapping or "KEY=VALUE" list form, or
// inspect's Config.Env list / HostConfig.Sysctls map. In `environment`, a KEY without a value
// is left out: the compose loader has already given it its value from the project's variables
// when it has one (runtime/documents/compose/service_environment.hpp), and the Docker daemon reads
// a bare KEY as "unset". (A sysctls list item without '=' has value null.) secrets: {source,
// target} from compose's short "NAME" or long {source, target}; the target defaults to
// /run/secrets/NAME, and a relative target is placed under /run/secrets.

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"

namespace capguard::normalize {

// A string map from a mapping or "KEY=VALUE" list (`field` names it in messages).
Value key_value_map(const Value* v, const char* field, Span fallback, Diagnostics& diags);

// The same for an environment: keys without a value are left out.
Value environment_map(const Value* v, const char* field, Span fallback, Diagnostics& diags);

Value compose_secrets(const Value* secrets, Span fallback, Diagnostics& diags);

}  // namespace capguard::normalize
