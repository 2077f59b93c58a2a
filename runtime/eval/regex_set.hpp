#pragma once
// One RE2::Set for `any(p in LIST where matches(SUBJECT, PATTERN(p)))` (ir::regex_set_shape()):
// the standard library's CG-SEC-001 asks, for every environment variable, whether its name
// matches any of a param's 11 patterns (and then any of 3 exceptions). Element by element, that
// is one string concatenation, one hash of the pattern (the per-thread cache of compiled
// patterns) and one RE2 search per pattern and variable; with the set it is one search per
// variable, the patterns compiled once per collection (a param's list: once per process).
//
// The answer is the element-by-element one, exactly: the set is used only when every pattern is
// a string that compiles (otherwise the element-by-element evaluation gives its error, at the
// element that has it), and the step budget is charged what the element-by-element evaluation
// would have cost, up to the first matching element (Machine::eval_quantifier).

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "lang/compile/ir.hpp"
#include "lang/core/value.hpp"

namespace re2 {
class RE2;
}

namespace capguard {

// The patterns of one collection, compiled as a set; `usable` false when one element's pattern
// is not a string or does not compile.
struct RegexSet;

}  // namespace capguard

namespace capguard::ir {

struct RegexSetCache {
  std::mutex mutex;
  Value collection;  // held, so that its node's address stays its identity
  std::shared_ptr<const RegexSet> set;
  // The steps one element's condition costs (the same for every element of this shape); 0
  // until measured on an element-by-element evaluation.
  std::atomic<uint64_t> steps_per_element{0};
};

}  // namespace capguard::ir

namespace capguard {

// The set for `collection` (a list or set) under `any`, whose condition's pattern is computed
// for each element; built on first use and kept in the node's cache. nullptr when the patterns
// cannot be used as a set.
std::shared_ptr<const RegexSet> regex_set_for(const ir::Expr& any, const Value& collection);

// The index of the first element whose pattern matches `text` (as matches() would), or -1;
// nullopt when the set could not tell (RE2's DFA ran out of memory).
std::optional<long> first_match(const RegexSet& set, const std::string& text);

}  // namespace capguard
