#include "runtime/documents/normalize/namespaces.hpp"

#include <string>

#include "runtime/documents/normalize/field_reader.hpp"

namespace capguard::normalize {

namespace {

struct NamespaceField {
  const char* name;     // in the model
  const char* compose;  // compose key
  const char* inspect;  // HostConfig key
  const char* dflt;
};

constexpr NamespaceField kFields[] = {
    {"network", "network_mode", "NetworkMode", "bridge"},
    {"pid", "pid", "PidMode", "private"},
    {"ipc", "ipc", "IpcMode", "private"},
    {"uts", "uts", "UTSMode", "private"},
    {"userns", "userns_mode", "UsernsMode", "default"},
    {"cgroup", "cgroup", "CgroupnsMode", "default"},
};

Value build(const Value* map, bool compose, Span fallback, Diagnostics& diags) {
  Entries out;
  for (const NamespaceField& f : kFields) {
    const Value* v = map && map->is_map() ? map->get(compose ? f.compose : f.inspect) : nullptr;
    std::string mode;
    Span s = fallback;
    if (v != nullptr && !v->is_null()) {
      s = v->span();
      mode = read_string(*v, compose ? f.compose : f.inspect, diags).value_or("");
    }
    if (!compose && mode == "default" && std::string(f.name) == "network") mode = "bridge";
    out.emplace_back(f.name, Value::string(mode.empty() ? f.dflt : mode, s));
  }
  return Value::map(std::move(out), fallback);
}

}  // namespace

Value compose_namespaces(const Value& service, Span fallback, Diagnostics& diags) {
  return build(&service, true, fallback, diags);
}

Value inspect_namespaces(const Value* host_config, Span fallback, Diagnostics& diags) {
  return build(host_config, false, fallback, diags);
}

}  // namespace capguard::normalize
