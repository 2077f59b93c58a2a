#pragma once
// What could not be checked. A service lists in `unknown` the fields whose value could not be
// read (runtime/documents/normalize/field_guard.hpp); a policy that reads one of them off the
// service (`s.security...` under `for s in services`, also through a `let` or an inlined
// function) could not check that service completely, whatever it found. The reads are taken from
// the compiled IR: every field chain that starts at the policy's service variable, in its
// clauses, conditions and messages (not in `at`, which only points). A policy that uses the
// service variable whole (passes `s` somewhere other than a field access) reads every field.

#include <string>
#include <vector>

#include "lang/compile/ir.hpp"
#include "lang/core/value.hpp"
#include "runtime/eval/finding.hpp"

namespace capguard {

// The NotChecked entries of `document` for the policies `selected` (indices into
// program.policies; nullptr: all), by service, then in the order of `selected`.
std::vector<NotChecked> find_not_checked(const ir::Program& program,
                                         const std::vector<size_t>* selected, const Value& document,
                                         const std::string& input);

}  // namespace capguard
