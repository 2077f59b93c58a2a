#include "runtime/documents/normalize/workload.hpp"

namespace capguard::normalize {

Value Workload::to_value(Span span) const {
  // Distinct keys: map_unique() skips the duplicate scan.
  return Value::map_unique({{"name", name},
                            {"source", source},
                            {"image", image},
                            {"privileged", privileged},
                            {"read_only", read_only},
                            {"caps", caps},
                            {"user", user},
                            {"security", security},
                            {"namespaces", namespaces},
                            {"mounts", mounts},
                            {"ports", ports},
                            {"resources", resources},
                            {"devices", devices},
                            {"healthcheck", healthcheck},
                            {"restart", restart},
                            {"networks", networks},
                            {"environment", environment},
                            {"secrets", secrets},
                            {"sysctls", sysctls},
                            {"ulimits", ulimits},
                            {"oom_kill_disable", oom_kill_disable},
                            {"cgroup_parent", cgroup_parent},
                            {"device_cgroup_rules", device_cgroup_rules},
                            {"gpus", gpus},
                            {"runtime", runtime},
                            {"storage_opt", storage_opt},
                            {"unknown", unknown.is_null() ? Value::list({}, span) : unknown},
                            {"raw", raw}},
                           span);
}

Value source_value(const char* kind, const std::string& file, Span span) {
  return Value::map_unique({{"kind", Value::string(kind, span)},
                            {"file", Value::string(file, span)},
                            {"line", Value::integer(span.line, span)}},
                           span);
}

}  // namespace capguard::normalize
