#pragma once
// The decision of `capguard authz` on one authorization request (spec/authz.md):
//   - container create / update / exec: the request's model (runtime/authz) is evaluated by the
//     policies in force; an unwaived deny finding at or above fail-on refuses it (update and exec:
//     only findings the change adds to an empty container count);
//   - self-protection, with built-in ids that only a waiver can lift: CG-AUTHZ-001 (a bind that
//     exposes the plugin's socket, spec file, policies, configuration, waivers or params),
//     CG-AUTHZ-002 (a bind of the host's root), CG-AUTHZ-003 (disabling, removing or replacing
//     the plugin through the plugin API);
//   - fail closed: a malformed request, a create/update/exec whose body the daemon did not pass,
//     a policy runtime error or an internal error refuse, unless fail_open;
//   - everything else is allowed.
// Thread-safe: a PolicySet is read-only once built; decide() keeps its state on its stack.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cli/common/config.hpp"
#include "cli/common/policy_loading.hpp"
#include "cli/common/waivers.hpp"
#include "runtime/authz/plugin_request.hpp"

namespace capguard::cli::authz {

// What the plugin knows about itself.
struct PluginIdentity {
  std::string name = "capguard";  // the name dockerd knows it by (--authorization-plugin=NAME)
  std::vector<std::string> protected_paths;  // absolute: socket, spec file, its own files
  bool fail_open = false;
};

// The policies in force, with everything a decision needs; replaced whole on reload.
struct PolicySet {
  LoadedPolicies loaded;  // program set
  std::vector<Waiver> waivers;
  std::vector<std::string> in_force, known;                 // policy ids, for waiver matching
  std::map<std::string, PolicyMetadata, std::less<>> meta;  // by id: title, remediation
  Severity fail_on = Severity::High;
  PluginIdentity identity;
};

struct Decision {
  bool allow = true;
  // "allowed", "policy" (a finding refused it), "self-protection", "malformed", "error";
  // "fail-open" when an error was let through.
  std::string reason = "allowed";
  std::string message;                // the Msg returned to the daemon
  std::vector<std::string> policies;  // ids of the deciding findings
  std::vector<std::string> waived;    // ids of findings that waivers lifted
  std::string call = "other";         // runtime/authz api_call_name
  std::string container;              // the container (or plugin) concerned, when known
};

// Decides on the JSON body of one /AuthZPlugin.AuthZReq. `request` receives what was parsed
// (for the log line), even when the decision is a refusal.
Decision decide(const PolicySet& set, std::string_view request_json,
                capguard::authz::PluginRequest& request);

// The response JSON for the daemon: {"Allow":true} or {"Allow":false,"Msg":"..."}.
std::string response_json(const Decision& decision);

// One line of the decision log (spec/authz.md): time (RFC 3339, UTC, microseconds), user,
// method, uri, call, container, decision, reason, policies, waived, message, duration_us.
std::string decision_log_line(const Decision& decision,
                              const capguard::authz::PluginRequest& request, int64_t duration_us);

// Builds a PolicySet from `flags` as `check` would (configuration, environment, flags; presets,
// only/skip, params, waivers files), with fail-on defaulting to high. Mistakes go to `diags`;
// nullptr when the policies do not load.
std::shared_ptr<const PolicySet> load_policy_set(const CheckOptions& flags,
                                                 const PluginIdentity& identity,
                                                 Diagnostics& diags);

// Whether bind source `source` exposes `protected_path` (both absolute, clean): one is the other
// or an ancestor of it.
bool path_overlaps(const std::string& source, const std::string& protected_path);

// `path` absolute and clean, symbolic links of its existing part resolved.
std::string canonical_path(const std::string& path);

}  // namespace capguard::cli::authz
