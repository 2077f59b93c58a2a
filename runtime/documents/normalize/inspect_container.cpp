#include "runtime/documents/normalize/inspect_container.hpp"

#include "runtime/documents/normalize/caps_field.hpp"
#include "runtime/documents/normalize/collections.hpp"
#include "runtime/documents/normalize/device_access.hpp"
#include "runtime/documents/normalize/devices.hpp"
#include "runtime/documents/normalize/field_reader.hpp"
#include "runtime/documents/normalize/image_ref.hpp"
#include "runtime/documents/normalize/lifecycle.hpp"
#include "runtime/documents/normalize/mounts.hpp"
#include "runtime/documents/normalize/namespaces.hpp"
#include "runtime/documents/normalize/networks.hpp"
#include "runtime/documents/normalize/ports.hpp"
#include "runtime/documents/normalize/resources.hpp"
#include "runtime/documents/normalize/security_opt.hpp"
#include "runtime/documents/normalize/user_field.hpp"
#include "runtime/documents/normalize/workload.hpp"

namespace capguard::normalize {

namespace {

const Value* sub(const Value* map, const char* key) {
  if (map == nullptr || !map->is_map()) return nullptr;
  const Value* v = map->get(key);
  return v != nullptr && !v->is_null() ? v : nullptr;
}

Value bool_field(const Value* map, const char* key, Span fallback, Diagnostics& diags) {
  if (const Value* v = sub(map, key)) {
    if (v->is_bool()) return Value::boolean(v->as_bool(), v->span());
    type_error(diags, *v, key, "a boolean");
    return Value::boolean(false, v->span());
  }
  return Value::boolean(false, fallback);
}

}  // namespace

Value inspect_container(const Value& c, const std::string& file, Diagnostics& diags) {
  const Value* config = sub(&c, "Config");
  const Value* host = sub(&c, "HostConfig");
  const Value* name = sub(&c, "Name");
  Span k = name ? name->span() : c.span();
  std::string text = name && name->is_string() ? name->as_string() : "";
  if (!text.empty() && text[0] == '/') text.erase(0, 1);
  if (text.empty()) {
    if (const Value* id = sub(&c, "Id"); id && id->is_string())
      text = id->as_string().substr(0, 12);
  }
  Workload w;
  w.name = Value::string(text, k);
  w.source = source_value("inspect", file, k);
  // Config.Image is the reference the container was created from; top-level Image is its id.
  w.image = image_value(sub(config, "Image"), k, diags);
  w.privileged = bool_field(host, "Privileged", k, diags);
  w.read_only = bool_field(host, "ReadonlyRootfs", k, diags);
  w.caps = caps_value(sub(host, "CapAdd"), sub(host, "CapDrop"), w.privileged.as_bool(), k,
                      "CapAdd", "CapDrop", diags);
  w.user = user_value(sub(config, "User"), k, diags);
  w.namespaces = inspect_namespaces(host, k, diags);
  SecurityContext security;
  security.apparmor_profile = sub(&c, "AppArmorProfile");
  security.masked_paths = sub(host, "MaskedPaths");
  security.readonly_paths = sub(host, "ReadonlyPaths");
  security.disables_labels = label_disabling_setting(w.privileged, w.namespaces);
  w.security = security_value(sub(host, "SecurityOpt"), security, k, diags);
  w.mounts = inspect_mounts(c, k, diags);
  w.ports = inspect_ports(sub(host, "PortBindings"), k, diags);
  w.resources = inspect_resources(host, k, diags);
  w.devices = inspect_devices(sub(host, "Devices"), k, diags);
  w.healthcheck = inspect_healthcheck(sub(config, "Healthcheck"), k, diags);
  w.restart = inspect_restart(sub(host, "RestartPolicy"), k, diags);
  w.networks = inspect_networks(c, k);
  w.environment = environment_map(sub(config, "Env"), "Env", k, diags);
  w.secrets = Value::list({}, k);  // not visible in inspect output (secrets are plain mounts)
  w.sysctls = key_value_map(sub(host, "Sysctls"), "Sysctls", k, diags);
  w.ulimits = inspect_ulimits(sub(host, "Ulimits"), k, diags);
  w.oom_kill_disable = bool_field(host, "OomKillDisable", k, diags);
  const Value* parent = sub(host, "CgroupParent");
  w.cgroup_parent = parent && parent->is_string() && !parent->as_string().empty()
                        ? *parent
                        : Value::null(parent ? parent->span() : k);
  w.device_cgroup_rules = inspect_device_cgroup_rules(sub(host, "DeviceCgroupRules"), k, diags);
  w.gpus = inspect_gpus(sub(host, "DeviceRequests"), k, diags);
  const Value* runtime = sub(host, "Runtime");
  if (runtime != nullptr && !runtime->is_string()) {
    type_error(diags, *runtime, "Runtime", "a string");
    runtime = nullptr;
  }
  w.runtime = runtime && !runtime->as_string().empty() ? *runtime
                                                       : Value::null(runtime ? runtime->span() : k);
  const Value* storage = sub(host, "StorageOpt");
  if (storage != nullptr && !storage->is_map()) {
    type_error(diags, *storage, "StorageOpt", "an object");
    storage = nullptr;
  }
  w.storage_opt = key_value_map(storage, "StorageOpt", k, diags);
  w.raw = c;
  return w.to_value(k);
}

List inspect_containers(const Value& parsed, const std::string& file, Diagnostics& diags) {
  List out;
  List items = parsed.is_sequence() ? parsed.as_list().to_vector() : List{parsed};
  for (const Value& c : items) {
    if (!c.is_map()) {
      type_error(diags, c, "docker inspect", "an object per container");
      continue;
    }
    // `docker inspect NAME` also answers for images and networks: their objects have no
    // HostConfig (images carry RepoTags/RootFS and an image Config). Read as containers they
    // would yield findings about a container that does not exist.
    if (!c.get("HostConfig") && (!c.get("Config") || c.get("RepoTags") || c.get("RootFS"))) {
      diags.error(c.span(), c.get("RepoTags") || c.get("RootFS")
                                ? "docker inspect: this object is an image, not a container; "
                                  "inspect a container (docker container inspect NAME)"
                                : "docker inspect: this object is not a container (it has no "
                                  "HostConfig or Config)");
      continue;
    }
    size_t errors = diags.error_count();
    Value w = inspect_container(c, file, diags);
    if (diags.error_count() == errors) out.push_back(std::move(w));
  }
  return out;
}

}  // namespace capguard::normalize
