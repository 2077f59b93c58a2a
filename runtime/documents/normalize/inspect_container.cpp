#include "runtime/documents/normalize/inspect_container.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "lang/core/file_read.hpp"
#include "runtime/documents/normalize/caps_field.hpp"
#include "runtime/documents/normalize/collections.hpp"
#include "runtime/documents/normalize/device_access.hpp"
#include "runtime/documents/normalize/devices.hpp"
#include "runtime/documents/normalize/field_guard.hpp"
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

Value inspect_container(const Value& c, const std::string& file, Diagnostics& diags,
                        const std::vector<std::string>* raw_keys) {
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
  FieldGuard g(c, text, nullptr, diags);
  const Value empty = Value::map({}, k);
  // `given`: the input's value; otherwise none, for the field's default.
  auto at = [&](const Value* map, const char* key, bool given) {
    return given ? sub(map, key) : nullptr;
  };
  Workload w;
  w.name = Value::string(text, k);
  w.source = source_value("inspect", file, k);
  // Config.Image is the reference the container was created from; top-level Image is its id.
  w.image = g.read_or_default("image", [&](bool given, Diagnostics& d) {
    return image_value(at(config, "Image", given), k, d);
  });
  w.privileged = g.read_or_default("privileged", [&](bool given, Diagnostics& d) {
    return bool_field(given ? host : nullptr, "Privileged", k, d);
  });
  w.read_only = g.read_or_default("read_only", [&](bool given, Diagnostics& d) {
    return bool_field(given ? host : nullptr, "ReadonlyRootfs", k, d);
  });
  bool privileged = w.privileged.as_bool();
  w.caps = g.read_or_default("caps", [&](bool given, Diagnostics& d) {
    return caps_value(at(host, "CapAdd", given), at(host, "CapDrop", given), privileged, k,
                      "CapAdd", "CapDrop", d);
  });
  if (g.is_unknown("privileged")) g.mark_unknown("caps", w.privileged.span());
  w.user = g.read_or_default("user", [&](bool given, Diagnostics& d) {
    return user_value(at(config, "User", given), k, d);
  });
  w.namespaces = g.read_or_default("namespaces", [&](bool given, Diagnostics& d) {
    return inspect_namespaces(given ? host : nullptr, k, d);
  });
  w.security = g.read_or_default("security", [&](bool given, Diagnostics& d) {
    SecurityContext security;
    security.apparmor_profile = at(&c, "AppArmorProfile", given);
    security.masked_paths = at(host, "MaskedPaths", given);
    security.readonly_paths = at(host, "ReadonlyPaths", given);
    security.disables_labels = label_disabling_setting(w.privileged, w.namespaces);
    return security_value(at(host, "SecurityOpt", given), security, k, d);
  });
  w.mounts = g.read_or_default("mounts", [&](bool given, Diagnostics& d) {
    return inspect_mounts(given ? c : empty, k, d);
  });
  w.ports = g.read_or_default("ports", [&](bool given, Diagnostics& d) {
    return inspect_ports(at(host, "PortBindings", given), k, d);
  });
  w.resources = g.read_or_default("resources", [&](bool given, Diagnostics& d) {
    return inspect_resources(given ? host : nullptr, k, d);
  });
  w.devices = g.read_or_default("devices", [&](bool given, Diagnostics& d) {
    return inspect_devices(at(host, "Devices", given), k, d);
  });
  w.healthcheck = g.read_or_default("healthcheck", [&](bool given, Diagnostics& d) {
    return inspect_healthcheck(at(config, "Healthcheck", given), k, d);
  });
  w.restart = g.read_or_default("restart", [&](bool given, Diagnostics& d) {
    return inspect_restart(at(host, "RestartPolicy", given), k, d);
  });
  w.networks = inspect_networks(c, k);
  w.environment = g.read_or_default("environment", [&](bool given, Diagnostics& d) {
    return environment_map(at(config, "Env", given), "Env", k, d);
  });
  w.secrets = Value::list({}, k);  // not visible in inspect output (secrets are plain mounts)
  w.sysctls = g.read_or_default("sysctls", [&](bool given, Diagnostics& d) {
    return key_value_map(at(host, "Sysctls", given), "Sysctls", k, d);
  });
  w.ulimits = g.read_or_default("ulimits", [&](bool given, Diagnostics& d) {
    return inspect_ulimits(at(host, "Ulimits", given), k, d);
  });
  w.oom_kill_disable = g.read_or_default("oom_kill_disable", [&](bool given, Diagnostics& d) {
    return bool_field(given ? host : nullptr, "OomKillDisable", k, d);
  });
  const Value* parent = sub(host, "CgroupParent");
  w.cgroup_parent = parent && parent->is_string() && !parent->as_string().empty()
                        ? *parent
                        : Value::null(parent ? parent->span() : k);
  w.device_cgroup_rules = g.read_or_default("device_cgroup_rules", [&](bool given, Diagnostics& d) {
    return inspect_device_cgroup_rules(at(host, "DeviceCgroupRules", given), k, d);
  });
  w.gpus = g.read_or_default("gpus", [&](bool given, Diagnostics& d) {
    return inspect_gpus(at(host, "DeviceRequests", given), k, d);
  });
  w.runtime = g.read_or_default("runtime", [&](bool given, Diagnostics& d) {
    const Value* runtime = at(host, "Runtime", given);
    if (runtime != nullptr && !runtime->is_string()) {
      type_error(d, *runtime, "Runtime", "a string");
      runtime = nullptr;
    }
    return runtime && !runtime->as_string().empty() ? *runtime
                                                    : Value::null(runtime ? runtime->span() : k);
  });
  w.storage_opt = g.read_or_default("storage_opt", [&](bool given, Diagnostics& d) {
    const Value* storage = at(host, "StorageOpt", given);
    if (storage != nullptr && !storage->is_map()) {
      type_error(d, *storage, "StorageOpt", "an object");
      storage = nullptr;
    }
    return key_value_map(storage, "StorageOpt", k, d);
  });
  w.unknown = g.unknown_value(k);
  if (raw_keys) {
    Entries kept;
    for (const auto& [key, value] : c.as_map()) {
      if (std::binary_search(raw_keys->begin(), raw_keys->end(), key.str()))
        kept.emplace_back(key.str(), value);
    }
    w.raw = Value::map_unique(std::move(kept), c.span());
  } else {
    w.raw = c;
  }
  return w.to_value(k);
}

void add_inspect_container(const Value& c, const std::string& file, Diagnostics& diags,
                           const std::vector<std::string>* raw_keys, List& out) {
  if (!c.is_map()) {
    type_error(diags, c, "docker inspect", "an object per container");
    return;
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
    return;
  }
  // A value that cannot be read costs its field only (field_guard.hpp): the container stays.
  // Compacted one by one, so that a large array never holds all its containers in the loose
  // form (about twice the compact one) and the compacted copy at once: the document's compact()
  // shares these blocks.
  Value w = inspect_container(c, file, diags, raw_keys);
  out.push_back(raw_keys ? compact_copy(w) : compact(w));
}

List inspect_containers(const Value& parsed, const std::string& file, Diagnostics& diags,
                        const std::vector<std::string>* raw_keys) {
  List out;
  if (size_t limit = max_containers(); parsed.is_sequence() && parsed.as_list().size() > limit) {
    const Value& past = parsed.as_list()[limit];
    diags.error(past.span().known() ? past.span() : parsed.span(),
                fmt::format("more than {} containers in one docker inspect array: the limit "
                            "(CAPGUARD_MAX_SERVICES sets it); this input is not checked",
                            limit));
    return out;
  }
  List items = parsed.is_sequence() ? parsed.as_list().to_vector() : List{parsed};
  for (const Value& c : items) add_inspect_container(c, file, diags, raw_keys, out);
  return out;
}

}  // namespace capguard::normalize
