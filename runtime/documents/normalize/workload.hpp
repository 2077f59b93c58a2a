#pragma once
// A workload being built: one Value per field of the `service` object type. Both mappers
// (compose_service, inspect_container) fill one of these, and `to_value` emits the keys in the
// one order the document schema (runtime/documents/document_schema.cpp) declares, so slots match.

#include "lang/core/value.hpp"

namespace capguard::normalize {

struct Workload {
  Value name, source, image, privileged, read_only, caps, user, security, namespaces, mounts, ports,
      resources, devices, healthcheck, restart, networks, environment, secrets, sysctls, ulimits,
      oom_kill_disable, cgroup_parent, device_cgroup_rules, gpus, runtime, storage_opt, unknown,
      raw;

  // The service object, at `span` (the service's key).
  Value to_value(Span span) const;
};

// The `source` object {kind, file, line} at `span`.
Value source_value(const char* kind, const std::string& file, Span span);

}  // namespace capguard::normalize
