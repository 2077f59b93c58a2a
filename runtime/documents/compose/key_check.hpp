#pragma once
// Keys the Compose Specification does not define, which docker compose refuses ("additional
// property ... is not allowed"), reported so that a file is never silently half-read:
//   - at the top level (other than version, name, include, services, networks, volumes,
//     secrets, configs, models and x-*): an error. A file in the old v1 format (services
//     written at the top level, without `services:`) would otherwise pass with no service.
//   - in a service (other than the keys of the schema's service definition and x-*): a warning
//     with "did you mean", since a typo such as `privilegd` or `cap-drop` means the setting is
//     not applied. Not an error: a key newer than our list must not reject a valid file.
// Keys are looked up in the merged project; spans point at the file that wrote them.

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"

namespace capguard {

void check_compose_keys(const Value& root, Diagnostics& diags);

}  // namespace capguard
