// The SARIF output against the requirements of the SARIF 2.1.0 schema and of GitHub code
// scanning (checked here without the schema file, so the test runs anywhere).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli/reporters/reporters.hpp"
#include "report_fixture.hpp"

using namespace capguard;
using namespace capguard::cli;
using nlohmann::json;

TEST_CASE("sarif has the required structure") {
  Report r = testing::sample_report();
  json j = json::parse(render_sarif(r));
  CHECK(j["version"] == "2.1.0");
  CHECK(j["$schema"].get<std::string>().find("sarif") != std::string::npos);
  REQUIRE(j["runs"].size() == 1);
  const json& run = j["runs"][0];
  const json& driver = run["tool"]["driver"];
  CHECK(driver["name"] == "capguard");
  REQUIRE(driver["rules"].size() == 2);
  const json& rule = driver["rules"][0];
  CHECK(rule["id"] == "T-PRIV");
  CHECK(rule["name"] == "PrivilegedContainer");
  CHECK(rule["shortDescription"]["text"] == "Privileged container");
  CHECK(rule["fullDescription"]["text"] == "Privileged containers get every capability.");
  CHECK(rule["help"]["text"].get<std::string>().find("Remove `privileged: true`.") !=
        std::string::npos);
  CHECK(rule["help"]["markdown"].get<std::string>().find("**Remediation:**") != std::string::npos);
  CHECK(rule["helpUri"] == "https://docs.docker.com/engine/security/");
  CHECK(rule["defaultConfiguration"]["level"] == "error");
  CHECK(rule["properties"]["tags"] == json({"security", "baseline", "privileges"}));
  CHECK(rule["properties"]["security-severity"] == "8.0");
  CHECK(driver["rules"][1]["defaultConfiguration"]["level"] == "note");

  REQUIRE(run["invocations"].size() == 1);
  CHECK(run["invocations"][0]["executionSuccessful"] == true);

  REQUIRE(run["results"].size() == 3);
  for (const json& result : run["results"]) {
    // Required by the schema: message with text; by GitHub: ruleId and a location.
    CHECK(result["message"]["text"].is_string());
    CHECK(result["ruleId"].is_string());
    int index = result["ruleIndex"];
    CHECK(driver["rules"][index]["id"] == result["ruleId"]);
    const json& loc = result["locations"][0]["physicalLocation"];
    CHECK(loc["artifactLocation"]["uri"] == "compose.yaml");
    CHECK(loc["region"]["startLine"].get<int>() >= 1);
    CHECK(loc["region"]["startColumn"].get<int>() >= 1);
  }
  CHECK(run["results"][0]["level"] == "error");
  CHECK(run["results"][1]["level"] == "note");
  CHECK_FALSE(run["results"][0].contains("suppressions"));
  const json& suppression = run["results"][2]["suppressions"][0];
  CHECK(suppression["kind"] == "inSource");
  CHECK(suppression["status"] == "accepted");
  CHECK(suppression["justification"] == "needed for VPN (expires 2026-12-31)");
}

TEST_CASE("sarif reports errors as failed execution notifications") {
  Report r = testing::sample_report();
  r.errors.push_back(ReportMessage{"bad.yaml", 2, 3, "invalid YAML", "", {}, "", 0});
  json j = json::parse(render_sarif(r));
  const json& inv = j["runs"][0]["invocations"][0];
  CHECK(inv["executionSuccessful"] == false);
  REQUIRE(inv["toolExecutionNotifications"].size() == 1);
  CHECK(inv["toolExecutionNotifications"][0]["level"] == "error");
  CHECK(inv["toolExecutionNotifications"][0]["message"]["text"] == "invalid YAML");
}

TEST_CASE("sarif URIs are relative and percent-encoded") {
  CHECK(sarif_uri("./deploy/compose.yaml") == "deploy/compose.yaml");
  CHECK(sarif_uri("my app/compose.yaml") == "my%20app/compose.yaml");
  CHECK(sarif_uri("-") == "stdin");
  CHECK(sarif_uri("/nonexistent-root-dir/x.yaml").rfind("file:///", 0) == 0);
}

TEST_CASE("sarif columns count UTF-16 code units") {
  Report r = testing::sample_report();
  // "é" is 2 bytes and 1 UTF-16 unit; "😀" is 4 bytes and 2 units.
  FileId f = add_source("u.yaml", "services:\n  x: {label: \"é😀\", privileged: true}\n");
  r.findings.resize(1);
  r.findings[0].span = Span{f, 2, 36, 4};  // byte column of `true`
  json j = json::parse(render_sarif(r));
  const json& region = j["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
  CHECK(region["startColumn"] == 33);
}

TEST_CASE("utf16_column: UTF-16 units before a byte column, asked in any order") {
  // "é" is 2 bytes and 1 unit, "😀" 4 bytes and 2 units (a surrogate pair).
  std::string line =
      "a\xC3\xA9"
      "b\xF0\x9F\x98\x80"
      "c d";
  FileId file = add_source("utf16.json", line + "\n" + line + "\n");
  auto column = [&](uint32_t line_number, uint32_t byte_column) {
    Span s;
    s.file = file;
    s.line = line_number;
    s.column = byte_column;
    return utf16_column(s);
  };
  // Byte columns 1 (a), 2 (é), 4 (b), 5 (😀), 9 (c), 11 (d): forward, then back, then forward
  // again on the other line, as a report that continues from its last count asks them.
  CHECK(column(1, 1) == 1);
  CHECK(column(1, 2) == 2);
  CHECK(column(1, 4) == 3);
  CHECK(column(1, 5) == 4);
  CHECK(column(1, 9) == 6);
  CHECK(column(1, 11) == 8);
  CHECK(column(1, 4) == 3);
  CHECK(column(2, 11) == 8);
  CHECK(column(2, 9) == 6);
  CHECK(column(1, 9) == 6);
  CHECK(column(1, 40) == 9);  // past the end of the line: its length in units, plus one
  Span unknown;
  CHECK(utf16_column(unknown) == 0);
}
