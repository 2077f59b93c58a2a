#include <catch2/catch.hpp>

#include "cli/common/waivers.hpp"

using namespace capguard;
using namespace capguard::cli;

namespace {

// A finding's text is views, as from the evaluator: pass literals (source_name() lives on).
Finding finding(std::string_view policy, std::string_view service, FileId file, uint32_t line) {
  Finding f;
  f.policy = policy;
  f.service = service;
  f.input = source_name(file);
  f.span = Span{file, line, 5, 1};
  f.severity = Severity::High;
  return f;
}

}  // namespace

TEST_CASE("dates parse strictly and compare") {
  REQUIRE(parse_date("2026-02-28"));
  CHECK_FALSE(parse_date("2026-02-29"));
  CHECK(parse_date("2028-02-29"));
  CHECK_FALSE(parse_date("2026-13-01"));
  CHECK_FALSE(parse_date("2026-1-01"));
  CHECK(*parse_date("2026-01-31") < *parse_date("2026-02-01"));
  CHECK_FALSE(*parse_date("2026-02-01") < *parse_date("2026-02-01"));
}

TEST_CASE("inline waivers: on the line, alone above it, and malformed ones") {
  FileId f =
      add_source("w1.yaml",
                 "services:\n"
                 "  web:  # capguard:ignore T-SVC whole service\n"
                 "    privileged: true # capguard:ignore T-PRIV expires=2026-12-31 CI agent\n"
                 "    # capguard:ignore T-USER runs as root on purpose\n"
                 "\n"
                 "    user: root\n"
                 "    image: a#capguard:ignore T-X not a comment\n"
                 "    x: 1 # capguard:ignore T-Y\n"
                 "    y: 1 # capguard:ignore\n"
                 "    z: 1 # capguard:ignore T-Z expires=2026-02-30 bad date\n");
  Diagnostics diags;
  std::vector<Waiver> ws = scan_inline_waivers(f, diags);
  REQUIRE(ws.size() == 3);
  CHECK(ws[0].policy == "T-SVC");
  CHECK(ws[0].line == 2);
  CHECK(ws[0].reason == "whole service");
  CHECK(ws[1].policy == "T-PRIV");
  CHECK(ws[1].line == 3);
  CHECK(ws[1].expires == "2026-12-31");
  CHECK(ws[1].reason == "CI agent");
  CHECK(ws[1].span.column == 22);
  CHECK(ws[2].policy == "T-USER");
  CHECK(ws[2].line == 6);  // the next line that is not blank or a comment
  CHECK(ws[2].source == "inline");
  REQUIRE(diags.error_count() == 3);
  CHECK(diags.all()[0].message == "waiver of T-Y needs a reason");
  CHECK(diags.all()[1].message == "capguard:ignore needs a policy id and a reason");
  CHECK(diags.all()[2].message == "invalid expiry date `2026-02-30`; expected YYYY-MM-DD");
}

TEST_CASE("apply_waivers: inline on the line and on the service key line") {
  FileId f = add_source("w2.yaml",
                        "services:\n"
                        "  web: # capguard:ignore T-SVC whole service\n"
                        "    privileged: true # capguard:ignore T-PRIV CI agent\n"
                        "    user: root\n");
  Diagnostics diags;
  std::vector<Waiver> ws = scan_inline_waivers(f, diags);
  REQUIRE(ws.size() == 2);
  std::vector<Finding> fs = {finding("T-PRIV", "web", f, 3), finding("T-SVC", "web", f, 4),
                             finding("T-PRIV", "web", f, 4)};
  std::vector<ServiceLine> lines = {{"w2.yaml", "web", f, 2}};
  apply_waivers(fs, ws, lines, {"T-PRIV", "T-SVC"}, {"T-PRIV", "T-SVC"}, Date{2026, 1, 1}, diags);
  CHECK(fs[0].waived());
  CHECK(fs[0].waiver->reason == "CI agent");
  CHECK(fs[0].waiver->source == "inline");
  CHECK(fs[1].waived());  // via the service's key line
  CHECK(fs[1].waiver->reason == "whole service");
  CHECK_FALSE(fs[2].waived());  // T-PRIV on another line
  CHECK(diags.empty());
}

TEST_CASE("waivers file: matching by policy, service and file globs") {
  Diagnostics diags;
  std::vector<Waiver> ws = parse_waivers_text("waivers.yaml",
                                              "- policy: T-PRIV\n"
                                              "  service: ci-*\n"
                                              "  reason: build agents\n"
                                              "  expires: 2026-06-30\n"
                                              "- policy: T-CAP-*\n"
                                              "  file: deploy/*.yaml\n"
                                              "  reason: legacy stack\n",
                                              diags);
  REQUIRE(diags.empty());
  REQUIRE(ws.size() == 2);
  CHECK(ws[0].source == "waivers.yaml");
  CHECK(ws[0].span.line == 1);
  CHECK(ws[1].span.line == 5);
  FileId f = add_source("deploy/app.yaml", "services: {}\n");
  std::vector<Finding> fs = {finding("T-PRIV", "ci-runner", f, 1), finding("T-PRIV", "web", f, 1),
                             finding("T-CAP-001", "web", f, 1)};
  apply_waivers(fs, ws, {}, {"T-PRIV", "T-CAP-001"}, {"T-PRIV", "T-CAP-001"}, Date{2026, 6, 30},
                diags);
  CHECK(fs[0].waived());
  CHECK(fs[0].waiver->expires == "2026-06-30");
  CHECK_FALSE(fs[1].waived());
  CHECK(fs[2].waived());
  CHECK(fs[2].waiver->reason == "legacy stack");
  CHECK(diags.empty());
}

TEST_CASE("expired waivers are errors and do not apply; unused ones are warnings") {
  Diagnostics diags;
  std::vector<Waiver> ws = parse_waivers_text("w3.yaml",
                                              "waivers:\n"
                                              "  - {policy: T-PRIV, reason: old, expires: "
                                              "2025-12-31}\n"
                                              "  - {policy: T-TAG, reason: unused}\n"
                                              "  - {policy: T-PRIB, reason: typo}\n"
                                              "  - {policy: T-SKIPPED, reason: not run}\n",
                                              diags);
  REQUIRE(ws.size() == 4);
  FileId f = add_source("w3-input.yaml", "services: {}\n");
  std::vector<Finding> fs = {finding("T-PRIV", "web", f, 1)};
  apply_waivers(fs, ws, {}, {"T-PRIV", "T-TAG"}, {"T-PRIV", "T-TAG", "T-SKIPPED"}, Date{2026, 1, 1},
                diags);
  CHECK_FALSE(fs[0].waived());
  REQUIRE(diags.all().size() == 3);
  CHECK(diags.error_count() == 1);
  CHECK(diags.all()[0].message == "waiver of T-PRIV expired on 2025-12-31 (old)");
  CHECK(diags.all()[0].span.line == 2);
  CHECK(diags.all()[1].level == DiagLevel::Warning);
  CHECK(diags.all()[1].message == "unused waiver: no finding of T-TAG matches it");
  CHECK(diags.all()[2].message == "waiver names unknown policy `T-PRIB`; did you mean `T-PRIV`?");
}

TEST_CASE("waivers file mistakes are located errors") {
  Diagnostics diags;
  std::vector<Waiver> ws = parse_waivers_text("w4.yaml",
                                              "- policy: T-PRIV\n"
                                              "  reasn: typo\n"
                                              "- service: web\n"
                                              "  reason: no policy\n",
                                              diags);
  CHECK(ws.empty());
  REQUIRE(diags.error_count() == 3);
  CHECK(diags.all()[0].message == "unknown waiver key `reasn`; did you mean `reason`?");
  CHECK(diags.all()[0].span.line == 2);
  CHECK(diags.all()[1].message == "waiver needs a `reason`");
  CHECK(diags.all()[2].message == "waiver needs a `policy`");
  CHECK(diags.all()[2].span.line == 3);
}

TEST_CASE("waiver entries of the wrong shape are errors, not crashes") {
  Diagnostics diags;
  std::vector<Waiver> ws =
      parse_waivers_text("w5.yaml", "- {[x]: 1, policy: A, reason: b}\n- 5\n", diags);
  CHECK(ws.empty());
  // The YAML loader refuses a collection as a key before the waivers are read.
  REQUIRE(diags.error_count() == 1);
  CHECK(diags.all()[0].message == "a mapping key must be a scalar");
  Diagnostics d2;
  CHECK(parse_waivers_text("w6.yaml", "- {policy: A, reason: b}\n- 5\n", d2).size() == 1);
  REQUIRE(d2.error_count() == 1);
  CHECK(d2.all()[0].span.line == 2);
  Diagnostics d3;
  CHECK(parse_waivers_text("w7.yaml", "- policy: \"A\n\n", d3).empty());
  CHECK(d3.all().at(0).message.find("not closed") != std::string::npos);
}

TEST_CASE("utc_date: the date gmtime_r gives, without reading the time zone") {
  std::vector<std::time_t> times = {0,
                                    -1,
                                    -86400,
                                    -86401,
                                    86399,
                                    86400,
                                    951782400 /* 2000-02-29 */,
                                    951868800,
                                    4107542400 /* 2100-03-01 */,
                                    1767225599,
                                    1767225600};
  // Every 12 hours and 17 seconds from 1901 to 2106.
  for (long long t = -2147483648LL; t < 4294967296LL; t += 43217) {
    times.push_back(static_cast<std::time_t>(t));
  }
  for (std::time_t t : times) {
    std::tm utc{};
    REQUIRE(gmtime_r(&t, &utc) != nullptr);
    Date d = utc_date(t);
    INFO("t = " << static_cast<long long>(t));
    REQUIRE(d.year == utc.tm_year + 1900);
    REQUIRE(d.month == utc.tm_mon + 1);
    REQUIRE(d.day == utc.tm_mday);
  }
}
