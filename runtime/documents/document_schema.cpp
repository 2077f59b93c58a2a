#include "runtime/documents/document_schema.hpp"

#include <utility>

namespace capguard {

namespace {

// One object type: fields in slot order.
TypePtr object(std::string name, std::vector<FieldDef> fields, bool is_nullable = false) {
  auto t = std::make_shared<Type>();
  t->kind = TypeKind::Object;
  t->object_name = std::move(name);
  t->fields = std::move(fields);
  t->nullable = is_nullable;
  return t;
}

TypePtr str(bool n = false) {
  return scalar_type(TypeKind::String, n);
}
TypePtr boolean(bool n = false) {
  return scalar_type(TypeKind::Bool, n);
}
TypePtr integer(bool n = false) {
  return scalar_type(TypeKind::Int, n);
}
TypePtr caps() {
  return scalar_type(TypeKind::Caps);
}
TypePtr duration() {
  return scalar_type(TypeKind::Duration, true);
}

Schema build() {
  Schema s;
  auto& o = s.objects;

  o["source"] = object("source", {
                                     {"kind", str(), "\"compose\" or \"inspect\""},
                                     {"file", str(), "the input file the service came from"},
                                     {"line", integer(), "line of the service's key (1-based)"},
                                 });
  o["image"] = object(
      "image", {
                   {"ref", str(true), "the reference as written; null when only `build` is given"},
                   {"registry", str(true), "registry host[:port]; docker.io when not written"},
                   {"repository", str(true), "full normalized name: docker.io/library/nginx"},
                   {"tag", str(true), "tag; null when absent (Docker then pulls latest)"},
                   {"digest", str(true), "digest (sha256:...) when pinned"},
               });
  o["capabilities"] =
      object("capabilities",
             {
                 {"added", caps(), "capabilities in cap_add / CapAdd (ALL expanded)"},
                 {"dropped", caps(), "capabilities in cap_drop / CapDrop (ALL expanded)"},
                 {"effective", caps(), "the container's effective set by Docker's rules"},
                 {"unknown", list_of(str()), "cap_add/cap_drop entries that are not capabilities"},
                 {"added_entries", list_of(caps()), "each cap_add entry, at its own line"},
                 {"dropped_entries", list_of(caps()), "each cap_drop entry, at its own line"},
             });
  o["user"] =
      object("user", {
                         {"raw", str(true), "user as written; null when unset (image default)"},
                         {"name", str(true), "the user part as written (name or number)"},
                         {"uid", integer(true), "numeric uid when known (root is 0)"},
                         {"group", str(true), "the group part as written"},
                         {"gid", integer(true), "numeric gid when known (root is 0)"},
                         {"is_root", boolean(true), "true, false, or null when unknown"},
                     });
  o["security"] = object(
      "security",
      {
          {"no_new_privileges", boolean(), "security_opt no-new-privileges"},
          {"seccomp", str(true), "\"unconfined\" or a profile; null: Docker's default profile"},
          {"apparmor", str(true), "\"unconfined\" or a profile name; null: docker-default"},
          {"selinux", list_of(str(), true), "label options (\"disable\", \"type:svirt_t\")"},
          {"systempaths", str(true), "\"unconfined\" when masked /proc and /sys paths are off"},
      });
  o["namespaces"] =
      object("namespaces", {
                               {"network", str(), "network mode: bridge, host, none, ..."},
                               {"pid", str(), "private, host, service:x, container:x"},
                               {"ipc", str(), "private, shareable, host, none, ..."},
                               {"uts", str(), "private or host"},
                               {"userns", str(), "default (the daemon's setting) or host"},
                               {"cgroup", str(), "default, private or host"},
                           });
  o["mount"] = object(
      "mount", {
                   {"type", str(), "bind, volume, tmpfs, npipe, image or cluster"},
                   {"source", str(true), "host path (absolute) or volume name; null if none"},
                   {"relative", boolean(), "bind source written relative to the project folder"},
                   {"in_project", boolean(), "relative bind source that stays inside the project"},
                   {"target", str(), "path in the container"},
                   {"read_only", boolean(), "mounted read-only"},
                   {"propagation", str(true), "bind propagation (rprivate, shared, ...)"},
                   {"selinux", str(true), "\"z\" or \"Z\" relabeling"},
                   {"size", scalar_type(TypeKind::Size, true), "tmpfs size in bytes"},
               });
  o["port"] = object("port", {
                                 {"host_ip", str(), "host address; 0.0.0.0 when not written (all)"},
                                 {"published", integer(true), "host port; null: an ephemeral port"},
                                 {"target", integer(), "container port"},
                                 {"protocol", str(), "tcp, udp or sctp"},
                             });
  o["resources"] = object(
      "resources", {
                       {"memory_bytes", scalar_type(TypeKind::Size, true), "null: unlimited"},
                       {"cpus", scalar_type(TypeKind::Float, true), "null: unlimited"},
                       {"pids", integer(true), "pids limit; null: unlimited"},
                   });
  o["device"] = object("device", {
                                     {"source", str(), "path on the host"},
                                     {"target", str(), "path in the container"},
                                     {"permissions", str(), "cgroup permissions (rwm)"},
                                 });
  o["healthcheck"] =
      object("healthcheck", {
                                {"test", list_of(str(), true), "command; null: the image's own"},
                                {"disabled", boolean(), "disable: true or test NONE"},
                                {"interval", duration(), "time between checks"},
                                {"timeout", duration(), "time a check may take"},
                                {"retries", integer(true), "failures before unhealthy"},
                                {"start_period", duration(), "grace period after start"},
                                {"start_interval", duration(), "interval during the start period"},
                            });
  o["restart"] =
      object("restart", {
                            {"policy", str(), "no, always, on-failure or unless-stopped"},
                            {"max_retries", integer(true), "on-failure attempts; null: no limit"},
                        });
  o["network"] =
      object("network",
             {
                 {"name", str(), "the network as the service names it (inspect: Docker's name)"},
                 {"internal", boolean(true), "internal: true; null: unknown (external, inspect)"},
                 {"external", boolean(true), "external: true; null: unknown (inspect, undeclared)"},
                 {"driver", str(true), "network driver; null: the default (bridge) or unknown"},
                 {"docker_name", str(true), "name: as declared; null: compose derives PROJECT_KEY"},
             });
  o["secret"] = object("secret", {
                                     {"source", str(), "secret name"},
                                     {"target", str(), "path in the container"},
                                 });
  o["ulimit"] = object("ulimit", {
                                     {"soft", integer(), "soft limit"},
                                     {"hard", integer(), "hard limit"},
                                 });

  o["gpus"] = object(
      "gpus", {
                  {"requested", boolean(), "a GPU device request is made (gpus, deploy devices)"},
                  {"all", boolean(), "every GPU of the host is requested (count \"all\")"},
                  {"count", integer(true), "number of GPUs requested; null when all"},
              });

  o["service"] = object(
      "service",
      {
          {"name", str(), "service key, or container name without its leading /"},
          {"source", o["source"], "where the service was read"},
          {"image", o["image"], "the image reference, parsed"},
          {"privileged", boolean(), "privileged mode"},
          {"read_only", boolean(), "read-only root filesystem"},
          {"caps", o["capabilities"], "capabilities: added, dropped, effective, unknown, entries"},
          {"user", o["user"], "the user the process runs as"},
          {"security", o["security"], "security_opt: no-new-privileges, seccomp, ..."},
          {"namespaces", o["namespaces"], "namespace modes"},
          {"mounts", list_of(o["mount"]), "volumes, binds, tmpfs and the API socket"},
          {"ports", list_of(o["port"]), "published ports, one entry per port"},
          {"resources", o["resources"], "memory, cpu and pids limits"},
          {"devices", list_of(o["device"]), "host devices"},
          {"healthcheck", o["healthcheck"], "the health check"},
          {"restart", o["restart"], "restart policy"},
          {"networks", list_of(o["network"]), "networks joined, with their definitions"},
          {"environment", map_of(str()), "environment variables"},
          {"secrets", list_of(o["secret"]), "secrets mounted"},
          {"sysctls", map_of(str()), "namespaced kernel parameters"},
          {"ulimits", map_of(o["ulimit"]), "resource limits by name (nofile, nproc, ...)"},
          {"oom_kill_disable", boolean(), "OOM killer disabled"},
          {"cgroup_parent", str(true), "parent cgroup; null: the default"},
          {"device_cgroup_rules", list_of(str()), "device cgroup rules (\"c 1:3 mr\")"},
          {"gpus", o["gpus"], "GPU device requests"},
          {"runtime", str(true), "OCI runtime (runc, runsc, nvidia); null: the daemon's default"},
          {"storage_opt", map_of(str()), "storage driver options (size, ...)"},
          {"unknown", list_of(str()), "fields whose value could not be read (image, mounts, ...)"},
          {"raw", map_of(any_type()), "the original mapping, for fields not normalized"},
      });
  s.roots["services"] = list_of(o["service"]);
  return s;
}

}  // namespace

const Schema& document_schema() {
  static const Schema schema = build();
  return schema;
}

const TypePtr& service_type() {
  static const TypePtr& t = document_schema().objects.at("service");
  return t;
}

}  // namespace capguard
