#include "runtime/documents/normalize/compose_service.hpp"

#include <cctype>
#include <string_view>
#include <unordered_map>

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
#include "runtime/documents/normalize/volumes_from.hpp"
#include "runtime/documents/normalize/workload.hpp"

namespace capguard::normalize {

namespace {

const Value* field(const Value& service, const char* key) {
  const Value* v = service.get(key);
  return v != nullptr && !v->is_null() ? v : nullptr;
}

Value bool_field(const Value& service, const char* key, Span fallback, Diagnostics& diags) {
  if (const Value* v = field(service, key)) {
    if (auto b = read_bool(*v, key, diags)) return Value::boolean(*b, v->span());
    return Value::boolean(false, v->span());
  }
  return Value::boolean(false, fallback);
}

Value string_field(const Value& service, const char* key, Span fallback, Diagnostics& diags) {
  if (const Value* v = field(service, key)) {
    if (auto s = read_string(*v, key, diags); s && !s->empty()) return Value::string(*s, v->span());
    return Value::null(v->span());
  }
  return Value::null(fallback);
}

bool key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

// The span of the key `name` written before the value at `value_span`: the loader records
// where a mapping starts but not where its key is, so look back in the source text for
// `name:` (optionally quoted). Falls back to `value_span` when it cannot be found.
Span key_span_before(const Span& value_span, const std::string& name) {
  if (!value_span.known() || name.empty()) return value_span;
  const Source& src = source(value_span.file);
  std::string_view text = src.text();
  std::string_view line = src.line_text(value_span.line);
  size_t end = static_cast<size_t>(line.data() - text.data()) + value_span.column - 1;
  if (end > text.size()) return value_span;
  size_t limit = end > 4096 ? end - 4096 : 0;
  for (size_t pos = text.rfind(name, end); pos != std::string_view::npos && pos >= limit;
       pos = pos == 0 ? std::string_view::npos : text.rfind(name, pos - 1)) {
    size_t after = pos + name.size();
    size_t begin = pos;
    if (after < text.size() && (text[after] == '"' || text[after] == '\'')) {
      if (pos == 0 || text[pos - 1] != text[after]) continue;
      ++after;
      --begin;
    } else if (pos > 0 && key_char(text[pos - 1])) {
      continue;
    }
    while (after < text.size() && text[after] == ' ') ++after;
    if (after >= text.size() || text[after] != ':') continue;
    if (after + 1 > end) continue;  // the colon must come before the value
    Span s = span_at(value_span.file, begin, begin + (pos - begin) * 2 + name.size());
    return s;
  }
  return value_span;
}

// The spans of the keys of a block `services:` mapping whose first key is at `services_span`:
// every line of the block with a key (optionally quoted) at that column, found in one pass so
// that large files stay linear. Empty for flow style or an unknown span.
std::unordered_map<std::string, Span> block_key_spans(const Span& services_span) {
  std::unordered_map<std::string, Span> out;
  if (!services_span.known()) return out;
  const Source& src = source(services_span.file);
  uint32_t col = services_span.column;
  for (uint32_t line = services_span.line; line <= src.line_count(); ++line) {
    std::string_view text = src.line_text(line);
    size_t indent = text.find_first_not_of(' ');
    if (indent == std::string_view::npos || text[indent] == '#') continue;
    if (indent < col - 1) break;  // a less-indented line ends the block
    if (indent != col - 1) continue;
    std::string_view rest = text.substr(indent);
    std::string_view key;
    size_t length = 0;
    if (rest.front() == '"' || rest.front() == '\'') {
      size_t close = rest.find(rest.front(), 1);
      if (close == std::string_view::npos) continue;
      key = rest.substr(1, close - 1);
      length = close + 1;
    } else {
      size_t colon = rest.find(':');
      while (colon != std::string_view::npos && colon + 1 < rest.size() && rest[colon + 1] != ' ') {
        colon = rest.find(':', colon + 1);
      }
      if (colon == std::string_view::npos) continue;
      key = rest.substr(0, colon);
      while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
      length = key.size();
    }
    size_t after = length;
    while (after < rest.size() && rest[after] == ' ') ++after;
    if (after >= rest.size() || rest[after] != ':' || key.empty()) continue;
    size_t begin = static_cast<size_t>(rest.data() - src.text().data());
    out.emplace(std::string(key), span_at(services_span.file, begin, begin + length));
  }
  return out;
}

}  // namespace

Value compose_service(const std::string& name, const Value& service, Span key_span,
                      const ComposeContext& ctx, Diagnostics& diags) {
  Span k = key_span;
  FieldGuard g(service, name, ctx.unread, diags);
  Workload w;
  w.name = Value::string(name, k);
  // The file the service's key is written in (an override or extended file may differ from the
  // first -f file).
  w.source = source_value("compose", k.known() ? source_name(k.file) : ctx.file, k);
  w.image = g.read("image", {"image"}, [&](const Value& s, Diagnostics& d) {
    return image_value(field(s, "image"), k, d);
  });
  w.privileged = g.read("privileged", {"privileged"}, [&](const Value& s, Diagnostics& d) {
    return bool_field(s, "privileged", k, d);
  });
  w.read_only = g.read("read_only", {"read_only"}, [&](const Value& s, Diagnostics& d) {
    return bool_field(s, "read_only", k, d);
  });
  bool privileged = w.privileged.as_bool();
  w.caps = g.read("caps", {"cap_add", "cap_drop"}, [&](const Value& s, Diagnostics& d) {
    return caps_value(field(s, "cap_add"), field(s, "cap_drop"), privileged, k, "cap_add",
                      "cap_drop", d);
  });
  // The effective set depends on `privileged`.
  if (g.is_unknown("privileged")) g.mark_unknown("caps", w.privileged.span());
  w.user = g.read("user", {"user"}, [&](const Value& s, Diagnostics& d) {
    return user_value(field(s, "user"), k, d);
  });
  w.namespaces =
      g.read("namespaces", {"network_mode", "pid", "ipc", "uts", "userns_mode", "cgroup"},
             [&](const Value& s, Diagnostics& d) { return compose_namespaces(s, k, d); });
  // The daemon disables SELinux labels for privileged containers and host pid/ipc namespaces.
  SecurityContext security;
  security.disables_labels = label_disabling_setting(w.privileged, w.namespaces);
  w.security = g.read("security", {"security_opt"}, [&](const Value& s, Diagnostics& d) {
    return security_value(field(s, "security_opt"), security, k, d);
  });
  w.mounts = g.read(
      "mounts", {"volumes", "tmpfs", "use_api_socket"},
      [&](const Value& s, Diagnostics& d) { return compose_mounts(s, ctx.project_dir, k, d); });
  w.ports = g.read("ports", {"ports"}, [&](const Value& s, Diagnostics& d) {
    return compose_ports(field(s, "ports"), k, d);
  });
  w.resources =
      g.read("resources", {"deploy", "mem_limit", "cpus", "pids_limit", "cpu_quota", "cpu_period"},
             [&](const Value& s, Diagnostics& d) { return compose_resources(s, k, d); });
  w.devices = g.read("devices", {"devices"}, [&](const Value& s, Diagnostics& d) {
    return compose_devices(field(s, "devices"), k, d);
  });
  w.healthcheck = g.read("healthcheck", {"healthcheck"}, [&](const Value& s, Diagnostics& d) {
    return compose_healthcheck(field(s, "healthcheck"), k, d);
  });
  w.restart = g.read("restart", {"restart", "deploy"},
                     [&](const Value& s, Diagnostics& d) { return compose_restart(s, k, d); });
  w.networks = g.read(
      "networks", {"networks", "network_mode"},
      [&](const Value& s, Diagnostics& d) { return compose_networks(s, ctx.networks, k, d); });
  w.environment = g.read(
      "environment", {"environment"},
      [&](const Value& s, Diagnostics& d) {
        return environment_map(field(s, "environment"), "environment", k, d);
      },
      false);
  w.secrets = g.read("secrets", {"secrets"}, [&](const Value& s, Diagnostics& d) {
    return compose_secrets(field(s, "secrets"), k, d);
  });
  w.sysctls = g.read(
      "sysctls", {"sysctls"},
      [&](const Value& s, Diagnostics& d) {
        return key_value_map(field(s, "sysctls"), "sysctls", k, d);
      },
      false);
  w.ulimits = g.read("ulimits", {"ulimits"}, [&](const Value& s, Diagnostics& d) {
    return compose_ulimits(field(s, "ulimits"), k, d);
  });
  w.oom_kill_disable = g.read(
      "oom_kill_disable", {"oom_kill_disable"},
      [&](const Value& s, Diagnostics& d) { return bool_field(s, "oom_kill_disable", k, d); });
  w.cgroup_parent = g.read("cgroup_parent", {"cgroup_parent"}, [&](const Value& s, Diagnostics& d) {
    return string_field(s, "cgroup_parent", k, d);
  });
  w.device_cgroup_rules =
      g.read("device_cgroup_rules", {"device_cgroup_rules"}, [&](const Value& s, Diagnostics& d) {
        return compose_device_cgroup_rules(field(s, "device_cgroup_rules"), k, d);
      });
  w.gpus = g.read("gpus", {"gpus", "deploy"},
                  [&](const Value& s, Diagnostics& d) { return compose_gpus(s, k, d); });
  w.runtime = g.read("runtime", {"runtime"}, [&](const Value& s, Diagnostics& d) {
    return string_field(s, "runtime", k, d);
  });
  w.storage_opt = g.read(
      "storage_opt", {"storage_opt"},
      [&](const Value& s, Diagnostics& d) {
        const Value* storage = field(s, "storage_opt");
        if (storage != nullptr && !storage->is_map()) {
          type_error(d, *storage, "storage_opt", "a mapping");
          storage = nullptr;
        }
        return key_value_map(storage, "storage_opt", k, d);
      },
      false);
  w.unknown = g.unknown_value(k);
  w.raw = service;
  return w.to_value(k);
}

List compose_services(const Value& root, const ComposeContext& ctx, Diagnostics& diags) {
  List out;
  const Value* services = root.get("services");
  if (services == nullptr || services->is_null()) return out;
  if (!services->is_map()) {
    type_error(diags, *services, "services", "a mapping of service names to services");
    return out;
  }
  // The project is refused whole past the limit: normalizing and checking a million services
  // would take the machine, and checking some of them would hide the rest.
  if (size_t limit = max_services(); services->as_map().size() > limit) {
    const auto& past = services->as_map()[limit];
    Span at = key_span_before(past.second.span(), past.first.str());
    diags.error(at.known() ? at : services->span(),
                fmt::format("more than {} services in one compose project: the limit "
                            "(CAPGUARD_MAX_SERVICES sets it); this project is not checked",
                            limit));
    return out;
  }
  ComposeContext project = ctx;
  project.networks = compose_network_table(root.get("networks"), diags);
  std::unordered_map<std::string, Span> keys = block_key_spans(services->span());
  for (const auto& [name, service] : services->as_map()) {
    auto found = keys.find(name);
    Span key = found != keys.end() ? found->second : key_span_before(service.span(), name);
    if (!service.is_map()) {
      type_error(diags, service, "services." + name, "a mapping");
      continue;
    }
    // A value that cannot be read costs its field only (field_guard.hpp): the service stays.
    out.push_back(compose_service(name, service, key, project, diags));
  }
  return apply_volumes_from(std::move(out));
}

}  // namespace capguard::normalize
