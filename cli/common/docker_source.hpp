#pragma once
// Containers of Docker engines as a source of inputs, for the commands that read them
// (`check --docker`, `caps --docker`, `drift`, `watch --docker`): the flags that choose the
// engines and select containers as `docker ps` does, and the reading itself
// (runtime/engine/scan.hpp). A command adds these flags beside its own and, when `docker` is set,
// takes its inputs from read_containers() instead of from files: nothing else changes.

#include <string>
#include <vector>

#include "cli/common/options.hpp"
#include "lang/core/diagnostics.hpp"
#include "runtime/engine/scan.hpp"

namespace capguard::cli {

struct DockerFlags {
  bool docker = false;                // --docker (implied by drift and watch)
  std::vector<std::string> hosts;     // --docker-host URL, in order
  std::vector<std::string> contexts;  // --context NAME, in order
  bool all = false;                   // --all
  std::vector<std::string> filters;   // --filter KEY=VALUE
  std::string project;                // --project NAME
  bool drift = false;                 // --drift (check only)
  bool any_selection() const {
    return all || !filters.empty() || !project.empty() || !hosts.empty() || !contexts.empty();
  }
};

enum DockerFlagSet : unsigned {
  kDockerSwitch = 1,     // --docker
  kDockerSelection = 2,  // --all, --filter, --project
  kDockerDrift = 4,      // --drift
};

// Registers --docker-host and --context, and the flags of `sets`.
void add_docker_flags(ArgParser& parser, DockerFlags& flags, unsigned sets);

// Usage errors: selection flags without --docker (unless `implied`), a filter not KEY=VALUE.
void check_docker_flags(const DockerFlags& flags, bool implied, const std::string& command,
                        Diagnostics& diags);

// The engines to read, as the docker CLI picks them: every --docker-host and --context given;
// with none, DOCKER_HOST, else the context DOCKER_CONTEXT names, else the config's
// currentContext (DOCKER_CONFIG or ~/.docker, config.json), else unix:///var/run/docker.sock.
// Hosts that cannot be used are errors in `diags` (the others are still returned). In a static
// capguard, first executes capguard-engine in its place (engine_twin.hpp): a command calls this
// (or read_containers) before it writes anything. Loads libcurl
// (runtime/engine/curl_library.hpp): when it cannot be loaded, or capguard-engine cannot be
// executed, that is one error and no host is returned.
std::vector<engine::EngineHost> docker_hosts(const DockerFlags& flags, Diagnostics& diags);

// Whether the compose files of compose containers are read: not at all (caps), when they can
// be (check: a file that cannot be read is a warning, its findings then point at the
// container's inspect), or as a requirement (drift: an error).
enum class ComposeLink { None, Optional, Required };

// Reads the selected containers of every engine (in parallel), or exactly `names` (ids or
// names) when given. Engine and container errors go to `diags` as errors.
std::vector<engine::HostScan> read_containers(const DockerFlags& flags,
                                              const std::vector<std::string>& names,
                                              ComposeLink link, Diagnostics& diags);

}  // namespace capguard::cli
