#pragma once
// Waivers: accepted exceptions to policies. A waived finding is still reported (as waived, with
// its reason and expiry) and never fails the run. Two kinds:
//
// - inline, a comment in the input file on the offending line or on the service's key line:
//     privileged: true   # capguard:ignore CG-PRIV-001 the build agent needs it
//   optionally with an expiry right after the id: `# capguard:ignore ID expires=2026-12-31 why`
// - a waivers file (--waivers FILE, or `waivers:` in .capguard.yaml), YAML:
//     - policy: CG-PRIV-001
//       service: ci-runner        # optional; a glob
//       file: "deploy/*.yaml"     # optional; a glob on the input path
//       reason: the build agent needs it
//       expires: 2026-12-31       # optional
//
// An expired waiver (expires before today) does not apply and is an error; a waiver that matches
// no finding is a warning.

#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/node/node.h>

#include "lang/core/diagnostics.hpp"
#include "runtime/eval/finding.hpp"

namespace capguard::cli {

struct Date {
  int year = 0, month = 0, day = 0;
  bool operator<(const Date& o) const {
    return year != o.year ? year < o.year : month != o.month ? month < o.month : day < o.day;
  }
};

// Parses YYYY-MM-DD (a real calendar date); nullopt otherwise.
std::optional<Date> parse_date(const std::string& text);
// Today (UTC), or CAPGUARD_TODAY when set to a valid date (for reproducible tests).
Date today();
// The UTC date of `t` (seconds since 1970-01-01 00:00 UTC), as gmtime_r gives it.
Date utc_date(std::time_t t);

struct Waiver {
  std::string policy;     // a policy id (a glob, e.g. CG-CAP-*)
  std::string service;    // glob on the service name; "" = any
  std::string file_glob;  // glob on the input path; "" = any
  std::string reason;
  std::string expires;  // YYYY-MM-DD or ""
  // Inline waivers: the file and line the comment waives (the finding's line or the service's
  // key line). File waivers: file 0.
  FileId file = 0;
  uint32_t line = 0;
  std::string source;  // "inline" or the waivers file's path
  Span span;           // where the waiver is written, for messages
  bool used = false;
};

// The inline waivers in the text of a registered source: each `# capguard:ignore ID reason`
// comment waives findings on its line (a comment alone on its line waives the next line that is
// not a comment). Malformed comments (no id, no reason, bad date) are
// errors in `diags`.
std::vector<Waiver> scan_inline_waivers(FileId file, Diagnostics& diags);

// The waivers of a YAML waivers file (a list of entries, or a mapping with a `waivers` list).
// Unknown keys and missing policy/reason are errors with the entry's location.
std::vector<Waiver> load_waivers_file(const std::string& path, Diagnostics& diags);
// The same from text already read (`name` labels locations); used for .capguard.yaml entries.
std::vector<Waiver> parse_waivers_text(const std::string& name, const std::string& text,
                                       Diagnostics& diags);

// The waivers of a YAML sequence node of a registered source (.capguard.yaml's `waivers:`).
std::vector<Waiver> parse_waiver_list(FileId file, const std::string& name, const YAML::Node& list,
                                      Diagnostics& diags);

// What a finding's service key is, to match inline waivers on a service's key line: for each
// service of an input, the file and line of its name in the input.
struct ServiceLine {
  std::string input;
  std::string service;
  FileId file = 0;
  uint32_t line = 0;
};

// Marks each finding that a valid waiver matches as waived (reason, expiry, source), the first
// matching waiver winning. Expired waivers that would match are errors (once per waiver) and
// leave the finding unwaived. Then every waiver that matched nothing is a warning, unless its
// policy is not in `policies_in_force` (ids evaluated this run); a waiver naming a policy that
// does not exist at all (`known_policies`) is a warning with a suggestion.
void apply_waivers(std::vector<Finding>& findings, std::vector<Waiver>& waivers,
                   const std::vector<ServiceLine>& service_lines,
                   const std::vector<std::string>& policies_in_force,
                   const std::vector<std::string>& known_policies, const Date& today,
                   Diagnostics& diags);

// The same, input by input, for a report written as the run goes (`capguard check`): the global
// waivers (flags, waivers files, .capguard.yaml) apply to every input, each input's inline
// waivers (which name its own files) to that input only, after the global ones. What
// apply_waivers reports, in the same order: expired waivers (the global ones, then each input's),
// then unused ones (the same order).
class WaiverBook {
 public:
  WaiverBook(std::vector<Waiver> global, std::vector<std::string> policies_in_force,
             std::vector<std::string> known_policies, Date today);
  // Waives the findings of one input. The diagnostics about its inline waivers (final once the
  // input is done: nothing else can match them) go to `expired` and `unused`.
  void apply(std::vector<Finding>& findings, std::vector<Waiver>& inline_waivers,
             const std::vector<ServiceLine>& service_lines, Diagnostics& expired,
             Diagnostics& unused);
  // The diagnostics about the global waivers, once every input is done.
  void finish(Diagnostics& expired, Diagnostics& unused);
  // The global waivers, marked used or not.
  std::vector<Waiver> take_global() { return std::move(global_); }

 private:
  void check_expiry(const std::vector<Waiver>& waivers, std::vector<bool>& expired,
                    Diagnostics& diags) const;
  void report_unused(const std::vector<Waiver>& waivers, const std::vector<bool>& expired,
                     Diagnostics& diags) const;

  std::vector<Waiver> global_;
  std::vector<bool> global_expired_;
  Diagnostics global_expiry_;  // the expired global waivers, reported by finish()
  std::vector<std::shared_ptr<const WaiverNote>> global_notes_;
  std::vector<std::string> in_force_, known_;
  Date today_;
};

}  // namespace capguard::cli
