#include "runtime/documents/compose/key_check.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "lang/core/source.hpp"

namespace capguard {
namespace {

const std::vector<std::string>& top_level_keys() {
  static const std::vector<std::string> keys = {"version",  "name",     "include",
                                                "services", "networks", "volumes",
                                                "secrets",  "configs",  "models"};
  return keys;
}

// The properties of the service definition in the Compose Specification's JSON schema.
const std::vector<std::string>& service_keys() {
  static const std::vector<std::string> keys = {"annotations",
                                                "attach",
                                                "blkio_config",
                                                "build",
                                                "cap_add",
                                                "cap_drop",
                                                "cgroup",
                                                "cgroup_parent",
                                                "command",
                                                "configs",
                                                "container_name",
                                                "cpu_count",
                                                "cpu_percent",
                                                "cpu_period",
                                                "cpu_quota",
                                                "cpu_rt_period",
                                                "cpu_rt_runtime",
                                                "cpu_shares",
                                                "cpus",
                                                "cpuset",
                                                "credential_spec",
                                                "depends_on",
                                                "deploy",
                                                "develop",
                                                "device_cgroup_rules",
                                                "devices",
                                                "dns",
                                                "dns_opt",
                                                "dns_search",
                                                "domainname",
                                                "entrypoint",
                                                "env_file",
                                                "environment",
                                                "expose",
                                                "extends",
                                                "external_links",
                                                "extra_hosts",
                                                "gpus",
                                                "group_add",
                                                "healthcheck",
                                                "hostname",
                                                "image",
                                                "init",
                                                "ipc",
                                                "isolation",
                                                "label_file",
                                                "labels",
                                                "links",
                                                "logging",
                                                "mac_address",
                                                "mem_limit",
                                                "mem_reservation",
                                                "mem_swappiness",
                                                "memswap_limit",
                                                "models",
                                                "network_mode",
                                                "networks",
                                                "oom_kill_disable",
                                                "oom_score_adj",
                                                "pid",
                                                "pids_limit",
                                                "platform",
                                                "ports",
                                                "post_start",
                                                "pre_stop",
                                                "privileged",
                                                "profiles",
                                                "provider",
                                                "pull_policy",
                                                "pull_refresh_after",
                                                "read_only",
                                                "restart",
                                                "runtime",
                                                "scale",
                                                "secrets",
                                                "security_opt",
                                                "shm_size",
                                                "stdin_open",
                                                "stop_grace_period",
                                                "stop_signal",
                                                "storage_opt",
                                                "sysctls",
                                                "tmpfs",
                                                "tty",
                                                "ulimits",
                                                "use_api_socket",
                                                "user",
                                                "userns_mode",
                                                "uts",
                                                "volumes",
                                                "volumes_from",
                                                "working_dir"};
  return keys;
}

bool known(const std::string& key, const std::vector<std::string>& keys) {
  return key.rfind("x-", 0) == 0 || std::find(keys.begin(), keys.end(), key) != keys.end();
}

// The span of `key` as written before `value` (values carry spans, keys do not): the nearest
// line at or above the value's line that starts with the key and a colon. Falls back to the
// value's span.
Span key_span(const std::string& key, const Value& value) {
  Span v = value.span();
  if (!v.known()) return v;
  const Source& src = source(v.file);
  for (uint32_t line = v.line; line >= 1; --line) {
    std::string_view text = src.line_text(line);
    size_t at = line == v.line ? text.rfind(key, v.column > 0 ? v.column - 1 : 0) : text.find(key);
    while (at != std::string_view::npos) {
      size_t after = at + key.size();
      bool quoted = at > 0 && (text[at - 1] == '"' || text[at - 1] == '\'');
      if (quoted) ++after;
      size_t colon = text.find_first_not_of(" \t", after);
      // The key begins the line, a sequence item or a flow-mapping entry.
      size_t begin = at - (quoted ? 1 : 0);
      size_t prev = begin == 0 ? std::string_view::npos : text.find_last_not_of(" \t", begin - 1);
      bool starts = prev == std::string_view::npos || text[prev] == '-' || text[prev] == '{' ||
                    text[prev] == ',';
      if (colon != std::string_view::npos && text[colon] == ':' && starts)
        return Span{v.file, line, static_cast<uint32_t>(at + 1), static_cast<uint32_t>(key.size())};
      at = text.find(key, at + 1);
    }
    if (line == 1) break;
  }
  return v;
}

bool looks_like_service(const Value& v) {
  return v.is_map() && (v.get("image") || v.get("build"));
}

}  // namespace

void check_compose_keys(const Value& root, Diagnostics& diags) {
  if (!root.is_map()) return;
  for (const auto& e : root.as_map()) {
    if (known(e.first, top_level_keys())) continue;
    std::string hint = looks_like_service(e.second)
                           ? "; services written at the top level are the Compose v1 format, "
                             "which docker compose no longer reads: put them under `services:`"
                           : "";
    std::string close = did_you_mean(e.first, top_level_keys());
    if (hint.empty() && !close.empty()) hint = fmt::format(" (did you mean \"{}\"?)", close);
    diags.error(key_span(e.first, e.second),
                fmt::format("unknown top-level key \"{}\"{}", e.first, hint));
  }
  const Value* services = root.get("services");
  if (services == nullptr || !services->is_map()) return;
  for (const auto& s : services->as_map()) {
    if (!s.second.is_map()) {
      // A scalar or a list where a service's settings belong (often a truncated file) would be
      // read as a service with no settings at all.
      if (!s.second.is_null())
        diags.error(s.second.span(), fmt::format("service \"{}\" must be a mapping of settings, "
                                                 "not a {}",
                                                 s.first, kind_name(s.second.kind())));
      continue;
    }
    for (const auto& f : s.second.as_map()) {
      if (known(f.first, service_keys())) continue;
      std::string close = did_you_mean(f.first, service_keys());
      std::string hint = close.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", close);
      diags.warning(key_span(f.first, f.second),
                    fmt::format("service \"{}\": unknown key \"{}\"{}; docker compose refuses it "
                                "and the setting is not checked",
                                s.first, f.first, hint));
    }
  }
}

}  // namespace capguard
