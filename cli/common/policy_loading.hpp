#pragma once
// From settings to the policies in force: the embedded standard library plus every --policy
// path (a file, or a folder searched recursively for *.policy, excluding *_test.policy), then
// the selection by preset, --only and --skip.
//
// Presets follow the Kubernetes Pod Security Standards' nesting: `baseline` is the policies
// tagged baseline; `restricted` is those tagged baseline or restricted.

#include <optional>
#include <string>
#include <vector>

#include "cli/common/config.hpp"
#include "lang/compile/ir.hpp"
#include "lang/core/diagnostics.hpp"
#include "lang/core/policy_meta.hpp"

namespace capguard::cli {

struct PolicyFile {
  std::string path;  // as shown in diagnostics ("stdlib/caps.policy" for embedded files)
  std::string text;
};

// The policy files to compile, in a deterministic order: the standard library (sorted by path)
// unless `no_stdlib`, then each path in the order given (a folder's files sorted). A missing or
// unreadable path, or a folder without policies, is an error naming it.
std::vector<PolicyFile> collect_policy_files(const std::vector<std::string>& paths, bool no_stdlib,
                                             Diagnostics& diags);

// Indices (into `policies`) of the policies in force, in the given order. `only` and `skip` name
// policy ids or tags; a name that is neither is an error with a suggestion. With `only` empty,
// every policy of the preset (or every policy) is in force.
std::vector<size_t> select_policies(const std::vector<PolicyMetadata>& policies,
                                    const std::optional<std::string>& preset,
                                    const std::vector<std::string>& only,
                                    const std::vector<std::string>& skip, Diagnostics& diags);

// A compiled program with the run's choices applied.
struct LoadedPolicies {
  std::optional<ir::Program> program;    // the files that compile; nullopt when none does
  std::vector<size_t> selected;          // indices of the policies in force
  std::vector<Value> params;             // one value per program param
  std::vector<PolicyMetadata> in_force;  // metadata of the selected policies, in id order
};

// Collects, compiles (against the document schema), resolves the params (defaults, then the
// param layers, then --param settings, each checked against the declared type) and selects. Every
// mistake goes to `diags`; a policy file that does not compile is left out and the program of the
// rest is set (nullopt only when no policy compiles). With `defer_steps`, the built-in standard
// library's policies keep their steps in the built-in bytes (ir::Program::load_steps), and the
// program's policies keep only the metadata the evaluation reads (id, title, severity; the
// other texts move to `in_force`): for `check`, which runs each policy once per input and reports
// from `in_force`; others leave it false. Without `policy_texts`, the built-in policies'
// descriptions, rationales and references are not read (a report that does not print them:
// check in any format but SARIF).
LoadedPolicies load_policies(const Settings& settings, Diagnostics& diags, bool defer_steps = false,
                             bool policy_texts = true);

// Param values: the defaults, overridden by `settings.param_layers` in order, then by
// `settings.params` (--param).
// An unknown param name is an error with a suggestion; a value of the wrong type is an error.
std::vector<Value> resolve_params(const ir::Program& program, const Settings& settings,
                                  Diagnostics& diags);

// The index of the policy named `id`, or -1 with an error labelled `command` ("no policy `ID`",
// with a suggestion) in `diags`.
int find_policy(const ir::Program& program, const std::string& id, const std::string& command,
                Diagnostics& diags);

}  // namespace capguard::cli
