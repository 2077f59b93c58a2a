// runtime/authz: the daemon's plugin request, the API route, and request bodies recorded from the
// real docker CLI (28 and 20.10; tests/authz/record_requests.sh) into the normalized model.

#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "runtime/authz/container_request.hpp"
#include "runtime/authz/json_value.hpp"
#include "runtime/authz/plugin_request.hpp"
#include "runtime/documents/normalize/document_json.hpp"
#include "runtime/documents/normalize/inspect_container.hpp"
#include "tests/unit/support/base64.hpp"

using namespace capguard;
using namespace capguard::authz;

namespace {

struct Recorded {
  std::string method, uri, body;
};

Recorded recorded(const std::string& name) {
  std::ifstream in(std::string(CAPGUARD_SOURCE_DIR) + "/tests/unit/runtime/authz/requests/" + name +
                   ".json");
  REQUIRE(in);
  nlohmann::json j = nlohmann::json::parse(in);
  Recorded r{j["method"], j["uri"], ""};
  if (j.contains("body")) r.body = j["body"].dump();
  return r;
}

// The workload of a recorded request, as JSON without `raw` (which is the request itself).
nlohmann::ordered_json model_of(const std::string& name, RequestModel* out = nullptr) {
  Recorded r = recorded(name);
  ApiRoute route = route_request(r.method, r.uri);
  RequestModel model;
  std::string error;
  INFO(name << ": " << error);
  REQUIRE(request_model(route, r.body, model, error));
  if (out) *out = model;
  nlohmann::ordered_json j = normalize::to_json(model.document)["services"][0];
  j.erase("raw");
  return j;
}

using capguard::testing::base64;

const char* kCases[] = {
    "privileged", "plain",          "hardened",           "cap-sys-admin",
    "cap-all",    "seccomp-equals", "seccomp-colon",      "seccomp-file",
    "bind-root",  "mount-root",     "mount-docker-sock",  "host-namespaces",
    "device",     "named",          "bind-plugin-socket", "apparmor-unconfined"};

}  // namespace

TEST_CASE("authz: the daemon's request JSON, body in base64") {
  std::string body = R"({"Image":"busybox","HostConfig":{"Privileged":true}})";
  nlohmann::json j = {{"User", "alice"},
                      {"UserAuthNMethod", "TLS"},
                      {"RequestMethod", "POST"},
                      {"RequestUri", "/v1.41/containers/create?name=web"},
                      {"RequestBody", base64(body)},
                      {"RequestHeaders", {{"Content-Type", "application/json"}}}};
  PluginRequest r;
  std::string error;
  REQUIRE(parse_plugin_request(j.dump(), r, error));
  CHECK(r.user == "alice");
  CHECK(r.method == "POST");
  CHECK(r.uri == "/v1.41/containers/create?name=web");
  REQUIRE(r.body);
  CHECK(*r.body == body);
  CHECK(r.content_type == "application/json");

  PluginRequest no_body;
  REQUIRE(parse_plugin_request(R"({"RequestMethod":"GET","RequestUri":"/_ping"})", no_body, error));
  CHECK(!no_body.body);

  for (const char* bad :
       {"[]", "{", R"({"RequestMethod":1,"RequestUri":"/"})", R"({"RequestMethod":"POST"})",
        R"({"RequestMethod":"POST","RequestUri":"/","RequestBody":"a$=="})",
        R"({"RequestMethod":"POST","RequestUri":"/","RequestBody":"abc"})"}) {
    PluginRequest x;
    INFO(bad);
    CHECK_FALSE(parse_plugin_request(bad, x, error));
    CHECK(!error.empty());
  }
}

TEST_CASE("authz: base64 as Go writes []byte") {
  std::string out;
  REQUIRE(base64_decode("", out));
  CHECK(out.empty());
  REQUIRE(base64_decode("YQ==", out));
  CHECK(out == "a");
  REQUIRE(base64_decode("YWI=", out));
  CHECK(out == "ab");
  REQUIRE(base64_decode("YWJj", out));
  CHECK(out == "abc");
  CHECK_FALSE(base64_decode("YQ=", out));
  CHECK_FALSE(base64_decode("Y===", out));
  CHECK_FALSE(base64_decode("YQ==YWJj", out));
  CHECK_FALSE(base64_decode("YW-j", out));
}

TEST_CASE("authz: routes, whatever the version prefix, encoding or path spelling") {
  CHECK(route_request("POST", "/containers/create").call == ApiCall::ContainerCreate);
  CHECK(route_request("POST", "/v1.41/containers/create?name=web").name == "web");
  CHECK(route_request("POST", "/v1.24/containers/create?name=a%2Fb&x=1").name == "a/b");
  CHECK(route_request("POST", "/v1.41/containers/cr%65ate").call == ApiCall::ContainerCreate);
  CHECK(route_request("POST", "/v1.41//containers/./create").call == ApiCall::ContainerCreate);
  CHECK(route_request("POST", "/v1.41/images/../containers/create").call ==
        ApiCall::ContainerCreate);
  CHECK(route_request("post", "/v1.41/containers/create").call == ApiCall::ContainerCreate);
  CHECK(route_request("POST", "http://docker/v1.41/containers/create").call ==
        ApiCall::ContainerCreate);
  CHECK(route_request("GET", "/v1.41/containers/create").call == ApiCall::Other);
  CHECK(route_request("GET", "/v1.41/containers/json").call == ApiCall::Other);

  ApiRoute update = route_request("POST", "/v1.41/containers/web/update");
  CHECK(update.call == ApiCall::ContainerUpdate);
  CHECK(update.target == "web");
  ApiRoute exec = route_request("POST", "/containers/abc123/exec");
  CHECK(exec.call == ApiCall::ContainerExec);
  CHECK(exec.target == "abc123");
  CHECK(route_request("POST", "/v1.41/exec/abc/start").call == ApiCall::Other);

  ApiRoute rm = route_request("DELETE", "/v1.41/plugins/capguard?force=1");
  CHECK(rm.call == ApiCall::PluginRemove);
  CHECK(rm.target == "capguard");
  ApiRoute disable = route_request("POST", "/v1.41/plugins/vieux/sshfs:latest/disable");
  CHECK(disable.call == ApiCall::PluginDisable);
  CHECK(disable.target == "vieux/sshfs:latest");
  CHECK(route_request("POST", "/v1.41/plugins/capguard/set").call == ApiCall::PluginChange);
  ApiRoute pull = route_request("POST", "/v1.41/plugins/pull?remote=x/y&name=capguard");
  CHECK(pull.call == ApiCall::PluginChange);
  CHECK(pull.target == "capguard");
  CHECK(route_request("GET", "/v1.41/plugins").call == ApiCall::Other);
}

TEST_CASE("authz: recorded requests route as the daemon routes them") {
  for (const char* cli : {"cli28", "cli20"}) {
    std::string p = cli;
    CHECK(route_request(recorded(p + "-privileged").method, recorded(p + "-privileged").uri).call ==
          ApiCall::ContainerCreate);
    Recorded named = recorded(p + "-named");
    CHECK(route_request(named.method, named.uri).name == "db");
    Recorded exec = recorded(p + "-exec-privileged");
    CHECK(route_request(exec.method, exec.uri).call == ApiCall::ContainerExec);
    Recorded update = recorded(p + "-update-memory");
    CHECK(route_request(update.method, update.uri).call == ApiCall::ContainerUpdate);
    Recorded disable = recorded(p + "-plugin-disable");
    CHECK(route_request(disable.method, disable.uri).call == ApiCall::PluginDisable);
    Recorded rm = recorded(p + "-plugin-rm");
    ApiRoute rm_route = route_request(rm.method, rm.uri);
    CHECK(rm_route.call == ApiCall::PluginRemove);
    CHECK(rm_route.target == "capguard");
  }
}

TEST_CASE("authz: docker CLI 28 and 20.10 requests give the same model") {
  for (const char* c : kCases) {
    std::string name = c;
    INFO(name);
    CHECK(model_of("cli28-" + name).dump(1) == model_of("cli20-" + name).dump(1));
  }
}

TEST_CASE("authz: every spelling reaches the same model") {
  auto field = [](const std::string& name, const char* key) { return model_of(name)[key]; };
  CHECK(field("cli28-cap-sys-admin", "caps") == field("cli28-cap-sys-admin-lower", "caps"));
  CHECK(field("cli28-cap-sys-admin", "caps")["added"] ==
        nlohmann::ordered_json::array({"SYS_ADMIN"}));
  CHECK(field("cli28-seccomp-equals", "security") == field("cli28-seccomp-colon", "security"));
  CHECK(field("cli28-seccomp-colon", "security")["seccomp"] == "unconfined");
  // The CLI sends a profile file's content; the model says "inline" (spec/document-model.md).
  CHECK(field("cli28-seccomp-file", "security")["seccomp"] == "inline");
  nlohmann::ordered_json bind = field("cli28-bind-root", "mounts");
  nlohmann::ordered_json mount = field("cli28-mount-root", "mounts");
  REQUIRE(bind.size() == 1);
  REQUIRE(mount.size() == 1);
  CHECK(bind[0]["type"] == "bind");
  CHECK(bind[0]["source"] == "/");
  CHECK(bind[0]["target"] == "/host");
  CHECK(bind == mount);
  nlohmann::ordered_json sock = field("cli28-mount-docker-sock", "mounts")[0];
  CHECK(sock["source"] == "/var/run/docker.sock");
  CHECK(sock["read_only"] == true);
}

TEST_CASE("authz: the recorded create requests' models") {
  nlohmann::ordered_json priv = model_of("cli28-privileged");
  CHECK(priv["privileged"] == true);
  CHECK(priv["name"] == "(unnamed)");
  CHECK(priv["image"]["repository"] == "docker.io/local/busybox");

  nlohmann::ordered_json h = model_of("cli28-hardened");
  CHECK(h["name"] == "web");
  CHECK(h["privileged"] == false);
  CHECK(h["read_only"] == true);
  CHECK(h["user"]["uid"] == 1000);
  CHECK(h["caps"]["effective"] == nlohmann::ordered_json::array({"NET_BIND_SERVICE"}));
  CHECK(h["security"]["no_new_privileges"] == true);
  CHECK(h["resources"]["memory_bytes"] == 268435456);
  CHECK(h["resources"]["cpus"] == 0.5);
  CHECK(h["resources"]["pids"] == 100);
  CHECK(h["networks"][0]["name"] == "none");

  nlohmann::ordered_json ns = model_of("cli28-host-namespaces")["namespaces"];
  for (const char* k : {"pid", "network", "ipc", "uts", "userns"}) {
    INFO(k);
    CHECK(ns[k] == "host");
  }
  nlohmann::ordered_json dev = model_of("cli28-device")["devices"];
  REQUIRE(dev.size() == 1);
  CHECK(dev[0]["source"] == "/dev/sda");
  CHECK(dev[0]["target"] == "/dev/xvda");
  CHECK(model_of("cli28-plain")["networks"][0]["name"] == "bridge");
  CHECK(model_of("cli28-named")["environment"]["PASSWORD"] == "x");
}

TEST_CASE("authz: update and exec are changes to an empty container") {
  RequestModel exec;
  nlohmann::ordered_json e = model_of("cli28-exec-privileged", &exec);
  CHECK(e["name"] == "x");
  CHECK(e["privileged"] == true);
  REQUIRE(!exec.baseline.is_null());
  CHECK(normalize::to_json(exec.baseline)["services"][0]["privileged"] == false);
  CHECK(model_of("cli28-exec-plain")["user"]["uid"] == 1000);

  RequestModel update;
  nlohmann::ordered_json u = model_of("cli28-update-memory", &update);
  CHECK(u["resources"]["memory_bytes"] == 536870912);
  CHECK(u["resources"]["pids"] == 50);
  CHECK(normalize::to_json(update.baseline)["services"][0]["resources"]["memory_bytes"].is_null());
}

TEST_CASE("authz: keys match as Go's JSON decoder matches them") {
  auto model = [](const std::string& body) {
    RequestModel m;
    std::string error;
    INFO(body << " " << error);
    REQUIRE(request_model(route_request("POST", "/containers/create"), body, m, error));
    return normalize::to_json(m.document)["services"][0];
  };
  CHECK(model(R"({"Image":"a","hostconfig":{"privileged":true}})")["privileged"] == true);
  CHECK(model(R"({"Image":"a","HOSTCONFIG":{"PRIVILEGED":true}})")["privileged"] == true);
  // U+017F (long s) folds to s, as in Go: "ſecurityOpt" is SecurityOpt.
  CHECK(model("{\"HostConfig\":{\"\xC5\xBF"
              "ecurityOpt\":[\"seccomp=unconfined\"]}}")["security"]["seccomp"] == "unconfined");
  // U+212A (Kelvin sign) folds to k.
  CHECK(model("{\"HostConfig\":{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/\",\"Target\":\"/h\","
              "\"ReadOnly\":false}],\"Binds\":[],\"CapAdd\":[\"ALL\"]},\"Labels\":{\"a\":\"b\"}}")
            ["mounts"][0]["source"] == "/");
  CHECK(model("{\"HostConfig\":{\"NetworkMode\":\"host\",\"BindOptions\":null}}")["namespaces"]
                                                                                 ["network"] ==
        "host");
  // Map keys keep their case: a label named "privileged" is not the field.
  CHECK(model(R"({"Labels":{"privileged":"true"},"HostConfig":{}})")["privileged"] == false);
  // Binds and Mounts both count.
  CHECK(
      model(
          R"({"HostConfig":{"Binds":["/etc:/e"],"Mounts":[{"Type":"bind","Source":"/","Target":"/h"}]}})")
          ["mounts"]
              .size() == 2);
}

TEST_CASE("authz: a field given twice is refused, in any spelling") {
  RequestModel m;
  std::string error;
  ApiRoute create = route_request("POST", "/containers/create");
  // Go would keep true for the first two (a null is ignored for a bool) and take the last value
  // for the third: refused rather than guessed.
  CHECK_FALSE(
      request_model(create, R"({"HostConfig":{"Privileged":true,"privileged":null}})", m, error));
  CHECK(error ==
        "the request body gives the field Privileged twice (as \"Privileged\" and \"privileged\")");
  CHECK_FALSE(
      request_model(create, R"({"HostConfig":{"Privileged":true,"Privileged":null}})", m, error));
  CHECK(error == "the request body is an object repeating the key \"Privileged\"");
  CHECK_FALSE(
      request_model(create, R"({"HostConfig":{"privileged":false,"PRIVILEGED":true}})", m, error));
  CHECK_FALSE(request_model(create,
                            "{\"HostConfig\":{\"SecurityOpt\":[],\"\xC5\xBF"
                            "ecurityOpt\":[]}}",
                            m, error));
  // Map keys are data: two labels that differ in case are two labels.
  CHECK(request_model(create, R"({"Labels":{"a":"1","A":"2"}})", m, error));
}

TEST_CASE("authz: malformed bodies are refused, not guessed") {
  RequestModel m;
  std::string error;
  ApiRoute create = route_request("POST", "/containers/create");
  CHECK_FALSE(request_model(create, "{", m, error));
  CHECK(error == "the request body is not valid JSON");
  CHECK_FALSE(request_model(create, "[]", m, error));
  CHECK_FALSE(request_model(create, R"({"HostConfig":[]})", m, error));
  CHECK_FALSE(request_model(create, R"({"HostConfig":{"Privileged":"yes"}})", m, error));
  CHECK(error.find("Privileged") != std::string::npos);
  CHECK_FALSE(request_model(create, std::string(200, '[') + std::string(200, ']'), m, error));
  CHECK_FALSE(request_model(create, "{\"Image\":\"\xff\"}", m, error));
}

TEST_CASE("authz: a create request and the container it creates give the same model") {
  // inspect-<case>.json: `docker inspect` of the container a real dockerd created from the same
  // CLI arguments (tests/authz/record_inspect.sh).
  for (const char* c :
       {"privileged", "hardened", "cap-sys-admin", "cap-all", "seccomp-equals", "seccomp-colon",
        "seccomp-file", "apparmor-unconfined", "bind-root", "mount-root", "host-namespaces"}) {
    std::string name = c;
    INFO(name);
    std::ifstream in(std::string(CAPGUARD_SOURCE_DIR) +
                     "/tests/unit/runtime/authz/requests/inspect-" + name + ".json");
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    Value parsed;
    std::string error;
    REQUIRE(parse_json_value(text.str(), parsed, error));
    Diagnostics diags;
    List containers = normalize::inspect_containers(parsed, "inspect.json", diags);
    REQUIRE(containers.size() == 1);
    nlohmann::ordered_json inspected = normalize::to_json(containers[0]);
    nlohmann::ordered_json requested = model_of("cli28-" + name);
    // What only the daemon knows: the generated name, the propagation it chose where the request
    // left the default.
    for (const char* key : {"name", "source", "raw"}) {
      inspected.erase(key);
      requested.erase(key);
    }
    // Defaults the daemon fills in where the request left them: its default runtime and cgroup
    // namespace mode, and label=disable for a privileged container or one sharing the host's
    // PID or IPC namespace.
    if (requested["runtime"].is_null()) inspected["runtime"] = nullptr;
    if (requested["namespaces"]["cgroup"] == "default") {
      inspected["namespaces"]["cgroup"] = "default";
    }
    if (requested["security"]["selinux"].is_null() &&
        (requested["privileged"] == true || requested["namespaces"]["pid"] == "host")) {
      CHECK(inspected["security"]["selinux"] == nlohmann::ordered_json::array({"disable"}));
      inspected["security"]["selinux"] = nullptr;
    }
    for (size_t i = 0; i < requested["mounts"].size() && i < inspected["mounts"].size(); ++i) {
      if (requested["mounts"][i]["propagation"].is_null()) {
        inspected["mounts"][i]["propagation"] = nullptr;
      }
    }
    INFO("patch from request to inspect: " << nlohmann::ordered_json::diff(requested, inspected));
    CHECK(requested == inspected);
  }
}
