// bench_authz: what `capguard authz` costs per request, with the embedded standard library in
// force (fail-on high). The requests are the recorded docker CLI 28 bodies
// (tests/unit/runtime/authz/requests/), wrapped as dockerd wraps them (base64 body).
//   BM_DecideCreateHardened   a hardened `docker create`: allowed (every policy runs)
//   BM_RequestModelHardened   the same request up to its model, without the policies
//   BM_DecideCreatePrivileged `docker create --privileged`: refused (the message is built)
//   BM_DecideExecPrivileged   `docker exec --privileged`: two evaluations (change and baseline)
//   BM_DecidePing             `HEAD /_ping`: any request that is not judged
//   BM_ServerRoundTrip        the hardened create through the unix socket server (HTTP, one
//                             keep-alive connection): what dockerd waits for
// Target (issue 17): a decision on a typical create well under a millisecond. The Time and CPU
// columns are per decision (per request for the round trip).

#include <benchmark/benchmark.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/authz/decider.hpp"
#include "cli/authz/server.hpp"
#include "runtime/authz/container_request.hpp"
#include "runtime/authz/plugin_request.hpp"
#include "tests/unit/support/base64.hpp"
#include "tests/unit/support/unix_http.hpp"

namespace capguard::bench {
namespace {

using cli::authz::Decision;
using cli::authz::PolicySet;

using capguard::testing::base64;

std::string recorded(const std::string& name) {
  std::ifstream in(std::string(CAPGUARD_SOURCE_DIR) + "/tests/unit/runtime/authz/requests/" + name +
                   ".json");
  if (!in) {
    std::fprintf(stderr, "bench_authz: cannot read request %s\n", name.c_str());
    std::abort();
  }
  nlohmann::json j = nlohmann::json::parse(in);
  nlohmann::json req = {{"RequestMethod", j["method"]}, {"RequestUri", j["uri"]}};
  if (j.contains("body")) {
    req["RequestBody"] = base64(j["body"].dump() + "\n");
    req["RequestHeaders"] = {{"Content-Type", "application/json"}};
  }
  return req.dump();
}

const PolicySet& policies() {
  static std::shared_ptr<const PolicySet> set = [] {
    cli::CheckOptions flags;
    flags.no_config = true;
    Diagnostics diags;
    auto s = cli::authz::load_policy_set(flags, cli::authz::PluginIdentity{}, diags);
    if (!s) {
      std::fprintf(stderr, "bench_authz: %s\n", render(diags).c_str());
      std::abort();
    }
    return s;
  }();
  return *set;
}

void run(benchmark::State& state, const std::string& name, bool expect_allow) {
  std::string json =
      name == "ping" ? R"({"RequestMethod":"HEAD","RequestUri":"/_ping"})" : recorded(name);
  const PolicySet& set = policies();
  for (auto _ : state) {
    authz::PluginRequest request;
    Decision d = cli::authz::decide(set, json, request);
    if (d.allow != expect_allow) {
      std::fprintf(stderr, "bench_authz: %s: unexpected decision: %s\n", name.c_str(),
                   d.message.c_str());
      std::abort();
    }
    benchmark::DoNotOptimize(d);
  }
  state.counters["request_bytes"] = static_cast<double>(json.size());
}

void BM_DecideCreateHardened(benchmark::State& state) {
  run(state, "cli28-hardened", true);
}
// The request alone (daemon JSON, base64, route, body JSON, folding, normalization), without the
// policies: the share of the decision that is not evaluation.
void BM_RequestModelHardened(benchmark::State& state) {
  std::string json = recorded("cli28-hardened");
  for (auto _ : state) {
    authz::PluginRequest request;
    std::string error;
    authz::RequestModel model;
    if (!authz::parse_plugin_request(json, request, error) ||
        !authz::request_model(authz::route_request(request.method, request.uri), *request.body,
                              model, error)) {
      std::fprintf(stderr, "bench_authz: %s\n", error.c_str());
      std::abort();
    }
    benchmark::DoNotOptimize(model);
  }
}
void BM_DecideCreatePrivileged(benchmark::State& state) {
  run(state, "cli28-privileged", false);
}
void BM_DecideExecPrivileged(benchmark::State& state) {
  run(state, "cli28-exec-privileged", false);
}
void BM_DecidePing(benchmark::State& state) {
  run(state, "ping", true);
}

void BM_ServerRoundTrip(benchmark::State& state) {
  std::string socket = "/tmp/capguard-bench-authz-" + std::to_string(getpid()) + ".sock";
  const PolicySet& set = policies();
  cli::authz::ServerOptions options;
  options.socket_path = socket;
  options.threads = 2;
  cli::authz::AuthzServer server(options, [&set](std::string_view body, bool) {
    authz::PluginRequest request;
    return cli::authz::response_json(cli::authz::decide(set, body, request));
  });
  std::string error;
  if (!server.bind(error)) {
    std::fprintf(stderr, "bench_authz: %s\n", error.c_str());
    std::abort();
  }
  std::thread serving([&] { server.serve(); });
  capguard::testing::UnixHttpClient client(socket);
  std::string json = recorded("cli28-hardened");
  for (auto _ : state) {
    auto res = client.post("/AuthZPlugin.AuthZReq", json);
    if (!res || res->status != 200 || res->body != R"({"Allow":true})") {
      std::fprintf(stderr, "bench_authz: round trip failed\n");
      std::abort();
    }
  }
  client.close();
  server.stop();
  serving.join();
}

BENCHMARK(BM_DecideCreateHardened)->MinTime(0.5);
BENCHMARK(BM_RequestModelHardened)->MinTime(0.5);
BENCHMARK(BM_DecideCreatePrivileged)->MinTime(0.5);
BENCHMARK(BM_DecideExecPrivileged)->MinTime(0.5);
BENCHMARK(BM_DecidePing)->MinTime(0.2);
BENCHMARK(BM_ServerRoundTrip)->MinTime(0.5)->UseRealTime();

}  // namespace
}  // namespace capguard::bench

BENCHMARK_MAIN();
