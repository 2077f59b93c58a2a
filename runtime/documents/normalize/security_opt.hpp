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

// `opts`: the list or nullptr. `apparmor_profile`: inspect's top-level AppArmorProfile (or
// nullptr), used when no apparmor option is given; "docker-default" and "" mean the default.
Value security_value(const Value* opts, const Value* apparmor_profile, Span fallback,
                     Diagnostics& diags);

}  // namespace capguard::normalize
