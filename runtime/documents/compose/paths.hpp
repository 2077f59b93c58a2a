#pragma once
// Relative paths of services that come from another folder than the project's: a service
// extended from a file elsewhere, or a project brought in by `include`. Compose resolves their
// relative paths against the folder of the file that wrote them; here they are made absolute
// there, so that later steps (which resolve relative paths against the project folder) read
// them right. Covered: bind sources of `volumes` (short "./a:/b" and long `source`), `build`
// (string or `context`, URLs left alone), `env_file` (string, list, long `path`), and the `file`
// of top-level secrets and configs. Spans are kept.

#include <string>

#include "lang/core/value.hpp"

namespace capguard {

// `~` at the start of a path is the user's home, as compose-go's ExpandUser reads it: `home`
// joined with the rest and cleaned ("~/a/" and "~a" are home/a, "~" is home). Other paths are
// returned as they are.
std::string expand_home(const std::string& path, const std::string& home);

// `service` with the bind sources of its `volumes` (short "~/a:/b", long `source`) that start
// with `~` expanded against `home`. compose-go expands them, and env_file, build and secret
// paths, before the container is created.
Value expand_home_in_volumes(const Value& service, const std::string& home);

// `service` with the relative paths above made absolute against `folder`.
Value absolutize_service_paths(const Value& service, const std::string& folder);

// A top-level `secrets` or `configs` mapping with relative `file` paths made absolute.
Value absolutize_resource_files(const Value& resources, const std::string& folder);

}  // namespace capguard
