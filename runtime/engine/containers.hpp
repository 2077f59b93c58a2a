#pragma once
// A container read from an engine, as an input of the checking pipeline: its inspect answer
// becomes one normalized workload (the same mapper as `docker inspect` files), named after the
// container, its short id, its image and its engine. For a container created by docker compose
// (com.docker.compose.* labels), the compose file it came from is read as it is now (when it is
// readable) and normalized too: every value of the container that equals the file's takes the
// file's span, so a finding points at the compose file and line that produced it; values that
// differ keep the container's own location, and are exactly what drift() reports.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"
#include "runtime/documents/inputs.hpp"

namespace capguard::engine {

// What compose's labels say about a container.
struct ComposeOrigin {
  std::string project;  // com.docker.compose.project
  std::string service;  // com.docker.compose.service
  // com.docker.compose.project.config_files (comma-separated), made absolute against the
  // working dir (compose v1 records them relative to it).
  std::vector<std::string> config_files;
  std::string working_dir;             // com.docker.compose.project.working_dir
  std::vector<std::string> env_files;  // com.docker.compose.project.environment_file
};

// nullopt when the labels do not name a compose project and service.
std::optional<ComposeOrigin> compose_origin(const std::map<std::string, std::string>& labels);

struct ContainerInput {
  std::string host;  // the engine's label
  std::string id, name, image;
  std::optional<ComposeOrigin> compose;
  bool linked = false;        // the compose file was read and names the service
  LoadedInput input;          // one service; input.name says which container on which engine
  Value declared;             // the compose service's workload when linked (null otherwise)
  Diagnostics diags;          // errors in the inspect answer (the input then is not ok)
  Diagnostics compose_diags;  // why the compose file could not be read or linked
};

// "container demo_web_1 (fe2d38d9ce0b, local/busybox:1) on unix:///var/run/docker.sock"; with
// compose, then ", compose project demo, service web". (cli/reporters is_container_input()
// recognizes the form.)
std::string container_label(const ContainerInput& c);

// The input of one container from its inspect `body` as the engine sent it (pretty-printed and
// registered as the source "HOST/containers/NAME", so locations read like `docker inspect`
// output). With `link_compose`, a compose container's file is read and linked (see above).
ContainerInput container_input(const std::string& host, const std::string& body, bool link_compose);

// One field where a container and its compose file disagree.
struct DriftItem {
  std::string field;  // dotted path in the service model: "caps.added", "security.seccomp"
  Value live;         // the container's value (its span: the inspect source)
  Value declared;     // the file's value (its span: the compose file's line, or the service's)
};

// Field by field, in the model's order: maps are compared key by key, anything else as a whole.
// `name`, `source` and `raw` are not compared (they always differ), nor are the values the
// engine decides where the file is silent (the daemon's default runtime and cgroup namespace,
// SELinux labels disabled for privileged containers, the network of network_mode none/host, the
// project's networks as PROJECT_NAME, a bind's default propagation; spec/engine.md).
// `project`: the compose project (its networks are named PROJECT_NAME).
std::vector<DriftItem> drift(const Value& live, const Value& declared, const std::string& project);

// `live` with the spans of `declared` wherever the two are equal (same recursion as drift()).
Value link_spans(const Value& live, const Value& declared);

}  // namespace capguard::engine
