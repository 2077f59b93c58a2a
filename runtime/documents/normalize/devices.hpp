#pragma once
// Host devices: one `device` object {source, target, permissions} per entry.
// Compose short "HOST[:CONTAINER[:PERMISSIONS]]" (target defaults to the host path, permissions
// to "rwm"), long {source, target, permissions}; inspect HostConfig.Devices
// [{PathOnHost, PathInContainer, CgroupPermissions}].

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"

namespace capguard::normalize {

Value compose_devices(const Value* devices, Span fallback, Diagnostics& diags);
Value inspect_devices(const Value* devices, Span fallback, Diagnostics& diags);

}  // namespace capguard::normalize
