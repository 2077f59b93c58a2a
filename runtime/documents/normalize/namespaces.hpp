#pragma once
// The `namespaces` object {network, pid, ipc, uts, userns, cgroup}: each the mode string as
// written ("host", "none", "service:db", "container:abc", "shareable", a network name...), or
// the default when unset: network "bridge", pid / ipc / uts "private", userns / cgroup "default"
// (the daemon's setting: no user-namespace remapping unless the daemon enables it; a private
// cgroup namespace on cgroup v2 hosts). Only "host" shares the host's namespace;
// "service:x" / "container:x" share another container's.
//
// Compose: network_mode, pid, ipc, uts, userns_mode, cgroup. Inspect HostConfig: NetworkMode
// ("default" is "bridge"), PidMode, IpcMode, UTSMode, UsernsMode, CgroupnsMode ("" is the
// default).

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"

namespace capguard::normalize {

Value compose_namespaces(const Value& service, Span fallback, Diagnostics& diags);
Value inspect_namespaces(const Value* host_config, Span fallback, Diagnostics& diags);

}  // namespace capguard::normalize
