// cli/authz: decisions on requests recorded from the docker CLI, with the standard library and
// with site policies, waivers, fail-on, self-protection and fail-closed.

#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli/authz/decider.hpp"
#include "tests/unit/support/base64.hpp"
#include "tests/unit/support/temp_project.hpp"

using namespace capguard;
using namespace capguard::cli;
using namespace capguard::cli::authz;

namespace {

using capguard::testing::base64;

std::string request(const std::string& method, const std::string& uri, const std::string& body) {
  nlohmann::json j = {{"RequestMethod", method}, {"RequestUri", uri}};
  if (!body.empty()) {
    j["RequestBody"] = base64(body);
    j["RequestHeaders"] = {{"Content-Type", "application/json"}};
  }
  return j.dump();
}

// The AuthZReq the daemon would send for a request recorded from the docker CLI.
std::string recorded(const std::string& name) {
  std::ifstream in(std::string(CAPGUARD_SOURCE_DIR) + "/tests/unit/runtime/authz/requests/" + name +
                   ".json");
  REQUIRE(in);
  nlohmann::json j = nlohmann::json::parse(in);
  return request(j["method"], j["uri"], j.contains("body") ? j["body"].dump() : "");
}

std::shared_ptr<const PolicySet> policies(CheckOptions flags = {}, PluginIdentity id = {}) {
  flags.no_config = true;
  Diagnostics diags;
  auto set = load_policy_set(flags, id, diags);
  INFO(render(diags));
  REQUIRE(set);
  return set;
}

Decision decide_on(const PolicySet& set, const std::string& json) {
  capguard::authz::PluginRequest r;
  return decide(set, json, r);
}

}  // namespace

TEST_CASE("authz decision: the standard library on recorded docker CLI requests") {
  auto set = policies();
  CHECK(set->fail_on == Severity::High);
  for (const char* cli : {"cli28", "cli20"}) {
    std::string p = cli;
    Decision priv = decide_on(*set, recorded(p + "-privileged"));
    CHECK_FALSE(priv.allow);
    CHECK(priv.reason == "policy");
    CHECK(priv.policies == std::vector<std::string>{"CG-PRIV-001", "CG-MAC-002"});
    CHECK(priv.message.find("[CG-PRIV-001] Privileged container (critical)") != std::string::npos);
    CHECK(priv.message.find("fix: ") != std::string::npos);
    CHECK(priv.call == "container_create");

    CHECK(decide_on(*set, recorded(p + "-hardened")).allow);
    for (const char* c : {"cap-sys-admin", "cap-sys-admin-lower"}) {
      Decision d = decide_on(*set, recorded(p + "-" + c));
      CHECK_FALSE(d.allow);
      CHECK(d.policies[0] == "CG-CAP-003");
    }
    for (const char* c : {"seccomp-equals", "seccomp-colon"}) {
      Decision d = decide_on(*set, recorded(p + "-" + c));
      CHECK(std::count(d.policies.begin(), d.policies.end(), "CG-MAC-003") == 1);
    }
    for (const char* c : {"bind-root", "mount-root"}) {
      Decision d = decide_on(*set, recorded(p + "-" + c));
      CHECK(std::count(d.policies.begin(), d.policies.end(), "CG-AUTHZ-002") == 1);
      CHECK(d.reason == "self-protection");
    }
    Decision exec = decide_on(*set, recorded(p + "-exec-privileged"));
    CHECK_FALSE(exec.allow);
    CHECK(exec.policies == std::vector<std::string>{"CG-PRIV-001", "CG-MAC-002"});
    CHECK(exec.container == "x");
    // exec -u 1000 and update --memory add nothing the empty container does not have.
    CHECK(decide_on(*set, recorded(p + "-exec-plain")).allow);
    CHECK(decide_on(*set, recorded(p + "-update-memory")).allow);
    for (const char* c : {"plugin-disable", "plugin-rm"}) {
      Decision d = decide_on(*set, recorded(p + "-" + c));
      CHECK_FALSE(d.allow);
      CHECK(d.policies == std::vector<std::string>{"CG-AUTHZ-003"});
    }
  }
  // API before 1.24 applies a HostConfig given at start: judged as a create's.
  Decision start = decide_on(*set, request("POST", "/v1.23/containers/web/start",
                                           R"({"Privileged":true,"CapDrop":["ALL"]})"));
  CHECK_FALSE(start.allow);
  CHECK(start.call == "container_start");
  CHECK(start.policies == std::vector<std::string>{"CG-PRIV-001", "CG-MAC-002"});
  CHECK(decide_on(*set, request("POST", "/v1.41/containers/web/start", "")).allow);
  nlohmann::json unseen = {{"RequestMethod", "POST"},
                           {"RequestUri", "/v1.23/containers/web/start"},
                           {"RequestHeaders", {{"Content-Length", "2000000"}}}};
  CHECK_FALSE(decide_on(*set, unseen.dump()).allow);
  CHECK(decide_on(*set, request("GET", "/v1.41/containers/json", "")).allow);
  CHECK(decide_on(*set, request("DELETE", "/v1.41/plugins/other:latest", "")).allow);
  CHECK_FALSE(decide_on(*set, request("DELETE", "/v1.41/plugins/capguard:latest", "")).allow);
}

TEST_CASE("authz decision: fail-on, presets and waivers apply as in check") {
  CheckOptions critical;
  critical.fail_on = Severity::Critical;
  auto set = policies(critical);
  // CG-CAP-001 (high) refuses a plain create at the default; not at critical.
  CHECK(decide_on(*set, recorded("cli28-plain")).allow);
  CHECK_FALSE(decide_on(*policies(), recorded("cli28-plain")).allow);
  CHECK_FALSE(decide_on(*set, recorded("cli28-privileged")).allow);

  CheckOptions baseline;
  baseline.preset = "baseline";
  CHECK(decide_on(*policies(baseline), recorded("cli28-plain")).allow);

  capguard::testing::TempProject dir("authz-waivers");
  std::string waivers = dir.write("waivers.yaml", R"(- policy: CG-PRIV-001
  service: ci-*
  reason: the build agent needs it
- policy: CG-MAC-002
  service: ci-*
  reason: privileged implies label=disable
- policy: CG-AUTHZ-003
  reason: upgrades go through the plugin API here
)");
  CheckOptions waived;
  waived.waiver_files = {waivers};
  auto w = policies(waived);
  std::string body = R"({"Image":"busybox","HostConfig":{"Privileged":true,"CapDrop":["ALL"]}})";
  Decision agent = decide_on(*w, request("POST", "/v1.41/containers/create?name=ci-agent", body));
  CHECK(agent.allow);
  CHECK(agent.waived == std::vector<std::string>{"CG-MAC-002", "CG-PRIV-001"});
  CHECK_FALSE(decide_on(*w, request("POST", "/v1.41/containers/create?name=web", body)).allow);
  CHECK(decide_on(*w, recorded("cli28-plugin-disable")).allow);
}

TEST_CASE("authz decision: site policies, and a policy error refuses") {
  capguard::testing::TempProject dir("authz-site");
  dir.write("policies/site.policy", R"(package site

policy "SITE-001" {
  title       "Images from the registry"
  severity    high
  remediation "Use registry.example.com."

  for s in services
  deny when s.image.registry != "registry.example.com" at s.image
    message "{s.name} uses {s.image.registry}"
}

policy "SITE-002" {
  title    "Labels indexed without care"
  severity low

  for s in services
  warn when s.raw.Config.Labels?["probe"] != null and s.raw.Config.Missing["x"] == 1 at s.name
    message "never"
}
)");
  CheckOptions flags;
  flags.policy_paths = {dir.dir() + "/policies"};
  flags.no_stdlib = true;
  auto set = policies(flags);
  Decision d = decide_on(*set, request("POST", "/containers/create?name=a",
                                       R"({"Image":"busybox","Labels":{"team":"y"}})"));
  CHECK_FALSE(d.allow);
  CHECK(d.policies == std::vector<std::string>{"SITE-001"});
  CHECK(d.message.find("fix: Use registry.example.com.") != std::string::npos);
  CHECK(decide_on(*set, request("POST", "/containers/create",
                                R"({"Image":"registry.example.com/a","Labels":{"t":"y"}})"))
            .allow);
  Decision err =
      decide_on(*set, request("POST", "/containers/create",
                              R"({"Image":"registry.example.com/a","Labels":{"probe":"1"}})"));
  CHECK_FALSE(err.allow);
  CHECK(err.reason == "error");
  CHECK(err.message.find("SITE-002") != std::string::npos);
}

TEST_CASE("authz decision: fail closed, and --fail-open") {
  auto set = policies();
  for (const std::string& bad :
       {std::string("not json"), std::string(R"({"RequestUri":"/"})"),
        request("POST", "/v1.41/containers/create", ""),  // the daemon passed no body
        request("POST", "/v1.41/containers/create", "{"),
        request("POST", "/v1.41/containers/x/exec", R"({"Privileged":"yes"})"),
        request("POST", "/v1.41/containers/x/update", "[]")}) {
    INFO(bad);
    Decision d = decide_on(*set, bad);
    CHECK_FALSE(d.allow);
    CHECK(d.reason == "malformed");
    CHECK(d.message.rfind("capguard: ", 0) == 0);
  }
  Decision no_body = decide_on(*set, request("POST", "/v1.41/containers/create", ""));
  CHECK(no_body.message.find("without a body") != std::string::npos);

  PluginIdentity open;
  open.fail_open = true;
  auto lenient = policies({}, open);
  Decision d = decide_on(*lenient, request("POST", "/v1.41/containers/create", "{"));
  CHECK(d.allow);
  CHECK(d.reason == "fail-open");
  // A policy's refusal is never let through by --fail-open.
  CHECK_FALSE(decide_on(*lenient, recorded("cli28-privileged")).allow);
}

TEST_CASE("authz decision: binds that expose the plugin") {
  capguard::testing::TempProject dir("authz-self");
  std::string policy = dir.write("policies/a.policy", "package a\n");
  PluginIdentity id;
  id.protected_paths = {canonical_path(dir.dir() + "/plugin.sock")};
  CheckOptions flags;
  flags.policy_paths = {dir.dir() + "/policies"};
  auto set = policies(flags, id);
  auto create = [&](const std::string& source) {
    return decide_on(*set, request("POST", "/containers/create?name=c",
                                   R"({"Image":"a","HostConfig":{"CapDrop":["ALL"],"Binds":[")" +
                                       source + R"(:/x:ro"]}})"));
  };
  for (const std::string& s :
       {dir.dir(), dir.dir() + "/plugin.sock", dir.dir() + "/policies", policy,
        dir.dir() + "/./policies/../policies", std::string("/tmp")}) {
    INFO(s);
    Decision d = create(s);
    CHECK_FALSE(d.allow);
    CHECK(std::count(d.policies.begin(), d.policies.end(), "CG-AUTHZ-001") == 1);
  }
  Decision other = create(dir.dir() + "-elsewhere");
  CHECK(std::count(other.policies.begin(), other.policies.end(), "CG-AUTHZ-001") == 0);

  CHECK(path_overlaps("/run", "/run/docker/plugins/capguard.sock"));
  CHECK(path_overlaps("/etc/capguard/policies/a.policy", "/etc/capguard/policies"));
  CHECK_FALSE(path_overlaps("/run/docker/plugins2", "/run/docker/plugins"));
  CHECK_FALSE(path_overlaps("/etc/cap", "/etc/capguard"));
}

TEST_CASE("authz decision: the response and the log line") {
  Decision d;
  CHECK(response_json(d) == R"({"Allow":true})");
  d.allow = false;
  d.message = "capguard: no";
  CHECK(response_json(d) == R"({"Allow":false,"Msg":"capguard: no"})");
  capguard::authz::PluginRequest r;
  r.user = "alice";
  r.method = "POST";
  r.uri = "/v1.41/containers/create";
  d.policies = {"CG-PRIV-001"};
  nlohmann::json line = nlohmann::json::parse(decision_log_line(d, r, 42));
  CHECK(line["user"] == "alice");
  CHECK(line["decision"] == "deny");
  CHECK(line["policies"] == nlohmann::json::array({"CG-PRIV-001"}));
  CHECK(line["duration_us"] == 42);
  std::string time = line["time"];
  CHECK(time.size() == 27);
  CHECK(time.back() == 'Z');
}
