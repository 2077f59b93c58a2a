#pragma once
// Device access beyond `devices`: device cgroup rules and GPU requests.
//
// device_cgroup_rules: compose `device_cgroup_rules`, inspect HostConfig.DeviceCgroupRules; a
// list of strings, each checked as the Docker daemon checks it: "TYPE MAJOR:MINOR PERMS" with
// TYPE a, b or c, MAJOR and MINOR a number or `*`, PERMS one to three of r, w, m.
//
// gpus: {requested, all, count}. Compose `gpus` ("all" or a list of device requests) and the
// `deploy.resources.reservations.devices` entries that are GPU requests (capabilities has
// "gpu", or driver "nvidia"); inspect HostConfig.DeviceRequests (a request is a GPU request when
// one of its Capabilities lists has "gpu" or its Driver is "nvidia"). A request with count
// "all" (Count -1), or, in compose, with neither count nor device_ids, asks for every GPU
// (all true, count null); otherwise count is the sum of the requests' counts (device_ids count
// one each). No GPU request: requested false, all false, count 0.

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"

namespace capguard::normalize {

Value compose_device_cgroup_rules(const Value* rules, Span fallback, Diagnostics& diags);
Value inspect_device_cgroup_rules(const Value* rules, Span fallback, Diagnostics& diags);

Value compose_gpus(const Value& service, Span fallback, Diagnostics& diags);
Value inspect_gpus(const Value* device_requests, Span fallback, Diagnostics& diags);

}  // namespace capguard::normalize
