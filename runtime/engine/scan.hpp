#pragma once
// Reading the containers of one or several engines: connect (version negotiation), list them as
// `docker ps` selects them (or take the ids and names given), inspect each, and turn each into a
// checking input (runtime/engine/containers.hpp). Engines are read in parallel, one thread each.
//
// Every failure is an error naming its engine (and container), never a stop: an engine that
// cannot be reached leaves the other engines checked, a container that disappears between the
// list and its inspect (or a name that matches nothing) leaves the other containers checked.

#include <optional>
#include <string>
#include <vector>

#include "lang/core/diagnostics.hpp"
#include "runtime/engine/client.hpp"
#include "runtime/engine/containers.hpp"

namespace capguard::engine {

struct ScanOptions {
  Selection selection;
  std::vector<std::string> containers;  // ids or names: exactly these (selection not used)
  bool link_compose = true;
  std::optional<ApiVersion> pinned;  // DOCKER_API_VERSION
  ClientLimits limits;
};

struct HostScan {
  EngineHost host;
  ServerVersion server;  // when connected
  bool connected = false;
  std::vector<ContainerInput> containers;  // in the daemon's list order, or as given
  Diagnostics errors;  // engine-level and per-container errors ("HOST: error: ...")
};

HostScan scan_host(const EngineHost& host, const ScanOptions& options);
std::vector<HostScan> scan_hosts(const std::vector<EngineHost>& hosts, const ScanOptions& options);

// DOCKER_API_VERSION when set: nullopt and `error` when it is not MAJOR.MINOR.
std::optional<ApiVersion> pinned_api_version(const Getenv& env, std::string& error);

}  // namespace capguard::engine
