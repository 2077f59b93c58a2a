#pragma once
// Resource limits: the `resources` object {memory_bytes, cpus, pids} and the `ulimits` map.
//
// Compose: deploy.resources.limits {memory, cpus, pids} when given, else mem_limit, cpus and
// pids_limit. Inspect: HostConfig.Memory, NanoCpus (or CpuQuota / CpuPeriod), PidsLimit.
// Unlimited is null: Memory 0, cpus 0, pids 0 or -1 (and null) all mean "no limit".
// Ulimits: compose {nofile: 1024} (soft = hard) or {nofile: {soft, hard}}; inspect
// HostConfig.Ulimits [{Name, Soft, Hard}]. Each becomes {soft, hard} under its name.

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"

namespace capguard::normalize {

Value compose_resources(const Value& service, Span fallback, Diagnostics& diags);
Value inspect_resources(const Value* host_config, Span fallback, Diagnostics& diags);

Value compose_ulimits(const Value* ulimits, Span fallback, Diagnostics& diags);
Value inspect_ulimits(const Value* ulimits, Span fallback, Diagnostics& diags);

}  // namespace capguard::normalize
