#pragma once
// The `security` object of a workload: {no_new_privileges, seccomp, apparmor, selinux,
// systempaths}, from compose `security_opt` or inspect HostConfig.SecurityOpt, read the way the
// Docker daemon reads --security-opt (daemon parseSecurityOpt) after the CLI/Compose step:
//
//   no-new-privileges               bare: true
//   KEY=VALUE, or KEY:VALUE         the ':' form is deprecated but still accepted
//   no-new-privileges=BOOL          BOOL as Go's strconv.ParseBool (1 t T TRUE true True, 0 f ...)
//   seccomp=unconfined|builtin|P    P: a profile file (compose) or inline JSON (inspect)
//   apparmor=unconfined|NAME
//   label=disable|user:U|role:R|type:T|level:L|filetype:F   (also bare `disable`)
//   systempaths=unconfined          (compose/CLI: no masked or read-only /proc, /sys paths)
//   writable-cgroups[=BOOL]         (accepted; not part of the model)
// Anything else is an input error, as it is for Docker. Later options override earlier ones.
// Unset seccomp/apparmor/selinux/systempaths stay null: Docker's defaults then apply.

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"

namespace capguard::normalize {

// What the daemon decides beside the options themselves (spec/document-model.md, "Effective
// values").
struct SecurityContext {
  // Inspect's top-level AppArmorProfile, used when no apparmor option is given;
  // "docker-default" and "" mean the default.
  const Value* apparmor_profile = nullptr;
  // Inspect's HostConfig.MaskedPaths and ReadonlyPaths: both empty lists (not null) is what
  // systempaths=unconfined sends (docker compose v2 and the docker CLI).
  const Value* masked_paths = nullptr;
  const Value* readonly_paths = nullptr;
  // Set when the container is privileged or shares the host's pid or ipc namespace (mode
  // exactly "host"): the daemon then adds label=disable unless an option of the form `label=...`
  // is given (moby daemon/create.go generateSecurityOpt). The span of that setting.
  const Value* disables_labels = nullptr;
};

// `opts`: the list or nullptr.
Value security_value(const Value* opts, const SecurityContext& ctx, Span fallback,
                     Diagnostics& diags);

// The value (privileged, or the pid or ipc mode) for which the daemon disables SELinux labeling,
// or nullptr: `privileged` true, else a pid mode "host", else an ipc mode "host" (compared as the
// daemon compares them, case-sensitively).
const Value* label_disabling_setting(const Value& privileged, const Value& namespaces);

}  // namespace capguard::normalize
