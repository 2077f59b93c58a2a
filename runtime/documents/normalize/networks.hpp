#pragma once
// Networks: one `network` object {name, internal, external, driver, docker_name} per network a
// workload joins, so that a policy can ask whether a back end is on an internal network.
//
// Compose: the service's `networks` (list or mapping form; ["default"] when neither `networks`
// nor `network_mode` is given, [] with a `network_mode`), each resolved against the project's
// top-level `networks:` definitions (`internal`, `external`, `driver`, `name`). The `default`
// network that the project does not declare is the one compose creates: a plain bridge network,
// not internal. Any other undeclared network (compose refuses such a project) and an external
// network (created outside the project, its flags unknown) have internal null.
// Inspect: the keys of NetworkSettings.Networks. Their entries carry no internal flag and no
// driver (only `docker network inspect` shows them), so those fields are null.

#include <map>
#include <optional>
#include <string>

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"

namespace capguard::normalize {

// One top-level network definition, read once per project.
struct NetworkDef {
  std::optional<bool> internal;  // null when external
  bool external = false;
  std::optional<std::string> driver;
  std::optional<std::string> docker_name;  // `name:`; for an external network its key by default
};

using NetworkTable = std::map<std::string, NetworkDef>;

// The top-level `networks:` mapping (null or absent: empty). Wrong types are errors at their
// FILE:LINE:COL, reported once here rather than once per service.
NetworkTable compose_network_table(const Value* networks, Diagnostics& diags);

// The networks a compose service joins, resolved against `declared`.
Value compose_networks(const Value& service, const NetworkTable& declared, Span fallback,
                       Diagnostics& diags);

// The networks of an inspected container.
Value inspect_networks(const Value& container, Span fallback);

}  // namespace capguard::normalize
