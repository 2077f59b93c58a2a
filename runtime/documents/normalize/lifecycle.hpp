#pragma once
// Health check and restart policy.
//
// healthcheck {test, disabled, interval, timeout, retries, start_period, start_interval}:
// compose `test` as a string is ["CMD-SHELL", string]; ["NONE"] or `disable: true` disables
// it; no healthcheck leaves test null (the image's HEALTHCHECK applies, if any). Inspect
// Config.Healthcheck carries durations as integers of nanoseconds.
//
// restart {policy, max_retries}: compose deploy.restart_policy {condition: none|on-failure|any,
// max_attempts} (none -> "no", any -> "always", no condition -> "no") when given, as the engine
// receives it from docker compose; else `restart` ("no", "always", "on-failure[:N]",
// "unless-stopped"); inspect HostConfig.RestartPolicy {Name, MaximumRetryCount}. Default "no".

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"

namespace capguard::normalize {

Value compose_healthcheck(const Value* hc, Span fallback, Diagnostics& diags);
Value inspect_healthcheck(const Value* hc, Span fallback, Diagnostics& diags);

Value compose_restart(const Value& service, Span fallback, Diagnostics& diags);
Value inspect_restart(const Value* policy, Span fallback, Diagnostics& diags);

}  // namespace capguard::normalize
