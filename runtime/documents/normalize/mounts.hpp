#pragma once
// Mounts: one `mount` object {type, source, relative, in_project, target, read_only, propagation,
// selinux, size} per volume, bind, tmpfs and API socket of a workload.
//
// Compose `volumes` short syntax "[SOURCE:]TARGET[:OPTIONS]": a SOURCE starting with '/', '.' or
// '~' is a bind (relative ones resolved against the project folder, and flagged `relative`, with
// `in_project` when they do not climb out of it with ".."), any other SOURCE a named
// volume, no SOURCE an anonymous volume (source null); OPTIONS a comma list of ro/rw, z/Z,
// nocopy and a propagation (shared, rshared, slave, rslave, private, rprivate). The long syntax
// {type, source, target, read_only, bind: {propagation, selinux}, tmpfs: {size}}. Compose
// `tmpfs` ("/run" or "/tmp:size=10M,mode=1770", one or a list) adds tmpfs mounts with their
// size in bytes; `use_api_socket: true` adds a bind of /var/run/docker.sock.
// Inspect: Mounts [{Type, Source, Destination, RW, Propagation, Mode}] (HostConfig.Binds when
// Mounts is absent or empty) and HostConfig.Tmpfs {"/run": "rw,size=65536k"}.

#include <string>

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"

namespace capguard::normalize {

// `project_dir`: absolute folder that relative bind sources resolve against.
Value compose_mounts(const Value& service, const std::string& project_dir, Span fallback,
                     Diagnostics& diags);

// `container`: the inspect object: its top-level Mounts; when that lists nothing (a create
// request's body, or trimmed inspect output), HostConfig.Binds and HostConfig.Mounts (the API's
// mount objects: Type, Source, Target, ReadOnly, BindOptions, TmpfsOptions). HostConfig.Tmpfs too.
Value inspect_mounts(const Value& container, Span fallback, Diagnostics& diags);

// One tmpfs mount from "TARGET[:OPTIONS]" (compose) or TARGET and "OPTIONS" (inspect), at `s`.
Value tmpfs_mount(const std::string& target, const std::string& options, Span s,
                  Diagnostics& diags);

}  // namespace capguard::normalize
