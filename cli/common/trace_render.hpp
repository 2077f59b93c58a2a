#pragma once
// Rendering `capguard trace`: the traces of one policy over several inputs (runtime/
// evaluator_trace.hpp), grouped by service, as text for policy authors or as JSON for tools
// (spec/output.md, "capguard trace").
//
// Grouping contract: for a policy with `for s in services`, every service of an input's document
// is listed, in document order, even when no rule was reached for it; a service named only by a
// traced rule, a finding or an error (or "" for a policy without `for s in services`) follows. Each
// traced rule is paired with the finding it produced (findings come in evaluation order, one per
// fired rule) and each term is marked when the evaluator's short-circuiting of the top-level
// `and`/`or` skipped it.
//
// Sizes: the evaluator shortens variables and terms to 120 bytes; the text form also cuts a
// finding's message and an error's past kMaxShownTextBytes (lang/core/diagnostics.hpp), the JSON
// form keeps them whole (a finding's message is already bounded by the evaluator, at 64 KiB).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lang/compile/ir.hpp"
#include "runtime/eval/evaluator_trace.hpp"

namespace capguard::cli {

// One input traced.
struct InputTrace {
  std::string input;                  // the input's name
  bool ok = true;                     // false when the input had loading errors
  std::vector<std::string> services;  // the names of the document's services, in order
  Trace trace;
};

// A traced rule with what the rendering adds to it.
struct RuleView {
  const TraceRule* rule = nullptr;
  const Finding* finding = nullptr;  // the finding it produced, when it fired
  std::vector<bool> skipped;         // per term: short-circuiting skipped it
  std::vector<int> negations;        // per term: how many `not` enclose it
};

struct ServiceView {
  std::string name;
  std::vector<RuleView> rules;
  std::vector<const EvalError*> errors;
};

// Groups one input's trace by service (see the contract above). `policy` is the traced policy.
std::vector<ServiceView> group_by_service(const ir::Policy& policy, const InputTrace& input);

// Which terms of a rule's condition short-circuiting skipped: walks the condition's top-level
// `and`, `or` and `not` as the evaluator does, left to right, using each term's traced value
// ("true", "false", anything else stops the evaluation as an error would).
std::vector<bool> skipped_terms(const ir::Expr& condition, const std::vector<TraceTerm>& terms);

// How many top-level `not` enclose each of the condition's `count` terms: the text form shows a
// term under one `not` as `not TERM = VALUE`, with the value negated, as the condition reads.
std::vector<int> term_negations(const ir::Expr& condition, size_t count);

std::string render_trace_text(const ir::Policy& policy, const std::vector<InputTrace>& inputs);
nlohmann::ordered_json render_trace_json(const ir::Policy& policy,
                                         const std::vector<InputTrace>& inputs);

}  // namespace capguard::cli
