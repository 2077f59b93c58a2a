#pragma once
// The collection fields of a workload: environment, secrets and sysctls (networks:
// runtime/normalize/networks.hpp).
//
// environment / sysctls: a map of strings from compose's mapping or "KEY=VALUE" list form (a
// list item without '=' has value null: compose would read it from the shell), or inspect's
// Config.Env list / HostConfig.Sysctls map.
// secrets: {source, target} from compose's short "NAME" or long {source, target}; the target
// defaults to /run/secrets/NAME, and a relative target is placed under /run/secrets.

#include "lang/diagnostics.hpp"
#include "lang/value.hpp"

namespace capguard::normalize {

// A string map from a mapping or "KEY=VALUE" list (`field` names it in messages).
Value key_value_map(const Value* v, const char* field, Span fallback, Diagnostics& diags);

Value compose_secrets(const Value* secrets, Span fallback, Diagnostics& diags);

}  // namespace capguard::normalize
