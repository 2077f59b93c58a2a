#pragma once
// What evaluation produces: findings (a policy's deny or warn fired for a service) and runtime
// errors (a policy could not be evaluated on an input: reported as errors, never as passes).

#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lang/core/diagnostics.hpp"
#include "lang/core/policy_meta.hpp"
#include "lang/core/source.hpp"

namespace capguard {

// How a finding was waived (set by waiver matching in the CLI).
struct WaiverNote {
  std::string reason;
  std::string expires;  // YYYY-MM-DD or ""
  std::string source;   // "inline" (a comment in the input) or the waivers file's path
};

// The text of an evaluation's findings (messages, service and input names), written one after
// the other into blocks that never move: a finding refers to its text instead of owning a string
// each (an evaluation can produce many findings, and allocating three strings per finding was
// most of its cost). Whoever keeps findings keeps the FindingText they came with
// (EvalResult::text).
class FindingText {
 public:
  FindingText() = default;
  FindingText(const FindingText&) = delete;
  FindingText& operator=(const FindingText&) = delete;

  // Room for `n` bytes, valid as long as this object.
  char* allocate(size_t n) {
    if (n > left_) return allocate_block(n);
    char* out = next_;
    next_ += n;
    left_ -= n;
    return out;
  }
  // A copy of `text`, valid as long as this object.
  std::string_view add(std::string_view text) {
    char* out = allocate(text.size());
    // Names are short: a loop the compiler keeps inline beats a call to memcpy.
    for (size_t i = 0; i < text.size(); ++i) out[i] = text[i];
    return {out, text.size()};
  }
  // The `n` pieces one after the other (`total` bytes in all), valid as long as this object.
  std::string_view join(const std::string_view* pieces, size_t n, size_t total) {
    char* out = allocate(total);
    char* at = out;
    for (size_t i = 0; i < n; ++i) {
      if (!pieces[i].empty()) std::memcpy(at, pieces[i].data(), pieces[i].size());
      at += pieces[i].size();
    }
    return {out, total};
  }

 private:
  char* allocate_block(size_t n);  // a new block with room for `n`

  static constexpr size_t kFirstBlock = 768;  // with the rest, under malloc's small-size cache
  char first_[kFirstBlock];
  char* next_ = first_;
  size_t left_ = kFirstBlock;
  std::vector<std::unique_ptr<char[]>> more_;
};

struct Finding {
  // Views: the policy's id and title point into the ir::Program's metadata, the message, service
  // and input into the FindingText of the EvalResult that produced the finding. Findings must
  // not outlive either (the CLI and the test runner keep both until they have reported).
  std::string_view policy;
  RuleKind kind = RuleKind::Deny;
  Severity severity = Severity::Medium;
  std::string_view title;
  std::string_view message;  // interpolated
  std::string_view service;  // service or container name ("" when not about one)
  std::string_view input;    // the input file the service came from
  Span span;                 // the `at` value's location in the input (file:line:col)
  // Set by waiver matching (cli): a waived finding is still reported, never dropped. Shared,
  // so that the many findings nobody waives carry one null pointer.
  std::shared_ptr<const WaiverNote> waiver;
  bool waived() const { return waiver != nullptr; }
};

// A policy that could not check a service: it reads a field the service's `unknown` lists (a
// value that could not be read: spec/document-model.md), or it failed at run time there.
// Findings it made from what could be read still stand; this says what they may miss.
struct NotChecked {
  std::string policy;
  std::string input;
  std::string service;              // "": every service of the input (a policy stopped whole)
  std::vector<std::string> fields;  // the unknown fields the policy reads, in model order
  Span span;           // the first such field's offending value; the service's key for `reason`
  std::string reason;  // "" for unknown fields; "evaluation failed: ..." for a runtime error
};

struct EvalError {
  std::string policy;  // the policy that failed
  std::string input;   // the input it failed on
  std::string service;
  Span policy_span;  // where in the policy (file:line:col of the failing expression)
  std::string message;
};

}  // namespace capguard

namespace capguard {
// The deterministic report order: input, then line, column, policy id, service, message.
bool finding_before(const Finding& a, const Finding& b);
// A runtime error as the commands report it: an error at the failing expression in the policy,
// "policy ID failed on INPUT (service NAME): MESSAGE".
Diagnostic eval_error_diagnostic(const EvalError& e);
}  // namespace capguard
