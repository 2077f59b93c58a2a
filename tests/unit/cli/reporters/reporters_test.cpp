#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli/reporters/reporters.hpp"
#include "report_fixture.hpp"

using namespace capguard;
using namespace capguard::cli;
using nlohmann::json;

TEST_CASE("summary counts unwaived findings and the exit status follows fail-on") {
  Report r = testing::sample_report();
  Summary s = summarize(r);
  CHECK(s.total == 2);
  CHECK(s.waived == 1);
  CHECK(s.by_severity[static_cast<int>(Severity::High)] == 1);
  CHECK(s.by_severity[static_cast<int>(Severity::Low)] == 1);
  CHECK(s.failing == 1);
  CHECK(exit_status(r) == 1);
  r.fail_on = Severity::Critical;
  CHECK(exit_status(r) == 0);
  r.errors.push_back(ReportMessage{"x.yaml", 1, 1, "bad", "", {}, "", 0});
  CHECK(exit_status(r) == 2);
}

TEST_CASE("text report groups by file and service, with caret and remediation") {
  Report r = testing::sample_report();
  std::string out = render_text(r, RenderOptions{});
  CHECK(out ==
        "compose.yaml\n"
        "  service web\n"
        "    high T-PRIV: Privileged container\n"
        "      web runs privileged, with 50% more power\n"
        "      compose.yaml:4:17\n"
        "      4 |     privileged: true\n"
        "        |                 ^~~~\n"
        "      remediation: Remove `privileged: true`.\n"
        "  service db\n"
        "    low T-TAG: Image without a tag\n"
        "      db uses postgres without a tag\n"
        "      compose.yaml:6:12\n"
        "      6 |     image: postgres\n"
        "        |            ^~~~~~~~\n"
        "      remediation:\n"
        "        Pin the image:\n"
        "          image: postgres:16\n"
        "    high T-PRIV: Privileged container\n"
        "      db runs privileged\n"
        "      compose.yaml:7:5\n"
        "      7 |     cap_add: [NET_ADMIN]\n"
        "        |     ^~~~~~~\n"
        "      waived: needed for VPN (expires 2026-12-31) [inline]\n"
        "\n"
        "summary: 2 findings (1 high, 1 low), 1 waived, 0 errors, 0 warnings; 1 input, 2 "
        "policies\n");
  std::string quiet = render_text(r, RenderOptions{false, true});
  CHECK(quiet.find("summary") == std::string::npos);
  CHECK(quiet.find("waived") == std::string::npos);
  std::string colored = render_text(r, RenderOptions{true, false});
  CHECK(colored.find("\033[") != std::string::npos);
}

TEST_CASE("json report has findings, errors and summary with stable keys") {
  Report r = testing::sample_report();
  r.errors.push_back(ReportMessage{"bad.yaml", 3, 5, "invalid YAML", "", {}, "", 0});
  json j = json::parse(render_json(r));
  REQUIRE(j["findings"].size() == 3);
  const json& f = j["findings"][0];
  CHECK(f["policy"] == "T-PRIV");
  CHECK(f["severity"] == "high");
  CHECK(f["title"] == "Privileged container");
  CHECK(f["service"] == "web");
  CHECK(f["file"] == "compose.yaml");
  CHECK(f["line"] == 4);
  CHECK(f["column"] == 17);
  CHECK(f["waived"] == false);
  CHECK(f["waiver_reason"].is_null());
  CHECK(j["findings"][2]["waived"] == true);
  CHECK(j["findings"][2]["waiver_reason"] == "needed for VPN");
  CHECK(j["findings"][2]["waiver_expires"] == "2026-12-31");
  REQUIRE(j["errors"].size() == 1);
  CHECK(j["errors"][0]["file"] == "bad.yaml");
  CHECK(j["errors"][0]["line"] == 3);
  CHECK(j["errors"][0]["column"] == 5);
  CHECK(j["errors"][0]["message"] == "invalid YAML");
  CHECK(j["summary"]["findings"] == 2);
  CHECK(j["summary"]["waived"] == 1);
  CHECK(j["summary"]["by_severity"]["high"] == 1);
  CHECK(j["summary"]["exit"] == 2);
}

TEST_CASE("github commands escape data and properties as the toolkit does") {
  CHECK(github_escape_data("50% a\r\nb") == "50%25 a%0D%0Ab");
  CHECK(github_escape_property("a:b,c%") == "a%3Ab%2Cc%25");
  Report r = testing::sample_report();
  std::string out = render_github(r);
  CHECK(out.find("::error file=compose.yaml,line=4,col=17,title=T-PRIV Privileged container "
                 "(high)::service web: web runs privileged, with 50%25 more power\n") !=
        std::string::npos);
  CHECK(out.find("::notice file=compose.yaml,line=6,col=12,title=T-TAG") != std::string::npos);
  // Waived: a notice whose message carries the reason.
  CHECK(out.find("[waived]::service db: db runs privileged%0Awaived: needed for VPN (expires "
                 "2026-12-31)\n") != std::string::npos);
}

TEST_CASE("junit has one testcase per service and policy, failures at fail-on") {
  Report r = testing::sample_report();
  std::string out = render_junit(r);
  CHECK(out.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0) == 0);
  CHECK(out.find("<testsuites name=\"capguard\" tests=\"4\" failures=\"1\" errors=\"0\" "
                 "skipped=\"1\">") != std::string::npos);
  CHECK(out.find("<testcase classname=\"compose.yaml.web\" name=\"T-PRIV: Privileged "
                 "container\">") != std::string::npos);
  CHECK(out.find("<failure type=\"high\" message=\"web runs privileged, with 50% more power\">") !=
        std::string::npos);
  // Below fail-on (low < medium): reported in system-out, not a failure.
  CHECK(out.find("<system-out>compose.yaml:6:12: low T-TAG") != std::string::npos);
  CHECK(out.find("<skipped message=\"waived: needed for VPN\"/>") != std::string::npos);
  CHECK(xml_escape("a<b & \"c\"") == "a&lt;b &amp; &quot;c&quot;");
}

TEST_CASE("format names round-trip") {
  for (const std::string& name : format_names()) {
    REQUIRE(parse_format(name));
    CHECK(format_name(*parse_format(name)) == name);
  }
  CHECK_FALSE(parse_format("xml"));
}

TEST_CASE("text report starts a new group for each input, even for the same file") {
  Report r = testing::sample_report();
  Finding again = r.findings[0];
  again.input = "./compose.yaml";  // the same file named a second way
  r.findings.push_back(again);
  r.inputs.push_back(InputSummary{"./compose.yaml", {"web"}, true});
  std::string out = render_text(r, RenderOptions{});
  size_t first = out.find("compose.yaml\n  service web\n");
  REQUIRE(first != std::string::npos);
  CHECK(out.find("\ncompose.yaml\n  service web\n", first + 1) != std::string::npos);
  CHECK(out.find("2 inputs") != std::string::npos);
}

TEST_CASE("junit puts errors that are not about an input in a capguard suite") {
  Report r = testing::sample_report();
  Diagnostic d;
  d.file_name = ".capguard.yaml";
  d.message = "unknown setting `fail-on`";
  r.errors.push_back(to_report_message(d));
  std::string out = render_junit(r);
  CHECK(out.find("<testsuite name=\"capguard\" tests=\"1\" failures=\"0\" errors=\"1\" "
                 "skipped=\"0\">") != std::string::npos);
  CHECK(out.find("<error message=\"unknown setting `fail-on`\">") != std::string::npos);
  CHECK(out.find("errors=\"1\"") != std::string::npos);
}

TEST_CASE("report order: by file of the offending value, then line") {
  FileId base = add_source("order-base.yaml", "a\nb\nc\n");
  FileId over = add_source("order-override.yaml", "a\nb\nc\n");
  Finding early_override;
  early_override.span = Span{over, 1, 1, 1};
  Finding late_base;
  late_base.span = Span{base, 3, 1, 1};
  Finding early_base = late_base;
  early_base.span.line = 2;
  CHECK(report_before(late_base, early_override));
  CHECK_FALSE(report_before(early_override, late_base));
  CHECK(report_before(early_base, late_base));
}

TEST_CASE("junit never drops a finding whose service the input summary does not list") {
  Report r = testing::sample_report();
  r.inputs[0].services = {"web"};  // db is missing from the summary
  r.fail_on = Severity::Info;
  std::string out = render_junit(r);
  CHECK(out.find("classname=\"compose.yaml.db\" name=\"T-TAG: Image without a tag\">") !=
        std::string::npos);
  CHECK(out.find("<failure type=\"low\"") != std::string::npos);
}
