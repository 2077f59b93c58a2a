#pragma once
// What could not be checked. A service lists in `unknown` the fields whose value could not be
// read (runtime/documents/normalize/field_guard.hpp); a policy that reads one of them off the
// service (`s.security...` under `for s in services`, also through a `let` or an inlined
// function) could not check that service completely, whatever it found. The reads are taken from
// the compiled IR: every field chain that starts at the policy's service variable, in its
// clauses, conditions and messages (not in `at`, which only points). A policy that uses the
// service variable whole (passes `s` somewhere other than a field access) reads every field.

#include <set>
#include <string>
#include <vector>

#include "lang/compile/ir.hpp"
#include "lang/core/value.hpp"
#include "runtime/eval/finding.hpp"

namespace capguard {

// The fields a policy reads off its service variable (whole: all of them).
struct PolicyReads {
  std::set<std::string> fields;
  bool whole = false;
};
// The reads of `policy`, whose steps are `steps` (ir::steps_of: the evaluator takes them from the
// steps it runs, loaded once).
PolicyReads policy_reads(const ir::Policy& policy, const std::vector<ir::Step>& steps);

// Whether some service of `document` lists an unknown field: only then are reads needed.
bool has_unknown_fields(const Value& document);

// The NotChecked entries of `document` for the policies `order` (indices into
// program.policies), whose reads are `reads` (one per entry of `order`), by service, then in
// the order of `order`.
std::vector<NotChecked> find_not_checked(const ir::Program& program,
                                         const std::vector<size_t>& order,
                                         const std::vector<PolicyReads>& reads,
                                         const Value& document, const std::string& input);

}  // namespace capguard
