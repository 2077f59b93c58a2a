// The Engine API's messages, parsed from responses recorded from a real dockerd 20.10
// (fixtures/, recorded by tests/engine-live/record-fixtures.sh), and the client's own
// requests (list query, version negotiation).

#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "runtime/engine/api.hpp"

using namespace capguard::engine;

namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(CAPGUARD_SOURCE_DIR) + "/tests/unit/runtime/engine/fixtures/" +
                   name);
  REQUIRE(in.good());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("the API version is read from /_ping's headers", "[engine]") {
  std::string headers = fixture("ping.headers");
  CHECK(header_value(headers, "Api-Version") == std::optional<std::string>("1.41"));
  CHECK(header_value(headers, "api-version") == std::optional<std::string>("1.41"));
  CHECK(header_value(headers, "Ostype") == std::optional<std::string>("linux"));
  CHECK_FALSE(header_value(headers, "Docker-Missing"));
  // A header of an earlier response block (a redirect) does not count.
  CHECK_FALSE(header_value("HTTP/1.1 301 Moved\r\nApi-Version: 1.40\r\n\r\nHTTP/1.1 200 OK\r\n",
                           "Api-Version"));
}

TEST_CASE("/version", "[engine]") {
  std::string error;
  auto v = parse_version(fixture("version.json"), error);
  REQUIRE(v);
  CHECK(v->version == "20.10.24+dfsg1");
  CHECK(v->api_version == "1.41");
  CHECK(v->min_api_version == "1.12");
  CHECK(v->os == "linux");
  CHECK_FALSE(parse_version("[]", error));
  CHECK(error.find("not a JSON object") != std::string::npos);
  CHECK_FALSE(parse_version("{\"Version\": \"1\"}", error));
  CHECK(error == "GET /version: the answer has no ApiVersion");
}

TEST_CASE("version negotiation", "[engine]") {
  std::string error;
  auto recorded = parse_api_version("1.41");
  REQUIRE(recorded);
  CHECK(negotiate(*recorded, std::nullopt, error)->text() == "1.41");
  // A newer daemon is spoken to in the newest version capguard knows.
  CHECK(negotiate(ApiVersion{1, 50}, std::nullopt, error)->text() == kMaxApiVersion.text());
  // The recorded daemon's minimum, 1.12, as its newest: too old.
  auto old = parse_api_version(parse_version(fixture("version.json"), error)->min_api_version);
  REQUIRE(old);
  CHECK_FALSE(negotiate(*old, std::nullopt, error));
  CHECK(error.find("API 1.12, older than 1.24") != std::string::npos);
  // DOCKER_API_VERSION pins the version, and is refused when too old.
  CHECK(negotiate(*recorded, ApiVersion{1, 30}, error)->text() == "1.30");
  CHECK_FALSE(negotiate(*recorded, ApiVersion{1, 20}, error));
  CHECK(error.find("DOCKER_API_VERSION=1.20") != std::string::npos);
  CHECK_FALSE(parse_api_version("1"));
  CHECK_FALSE(parse_api_version("v1.41"));
  CHECK_FALSE(parse_api_version("1.4x"));
  CHECK_FALSE(parse_api_version("1."));
}

TEST_CASE("the container list", "[engine]") {
  std::string error;
  auto all = parse_container_list(fixture("containers_all.json"), error);
  REQUIRE(all);
  std::set<std::string> names;
  for (const ContainerSummary& c : *all) names.insert(c.name);
  CHECK(names == std::set<std::string>{"demo_web_1", "demo_db_1", "demo_app_1", "plain"});
  for (const ContainerSummary& c : *all) {
    CHECK(c.id.size() == 64);
    CHECK(c.image == "local/busybox:1");
    if (c.name == "demo_db_1") {
      CHECK(c.state == "created");
      CHECK(c.labels.at("com.docker.compose.project") == "demo");
      CHECK(c.labels.at("com.docker.compose.service") == "db");
    }
    if (c.name == "plain") CHECK(c.labels.empty());
  }
  auto running = parse_container_list(fixture("containers_running.json"), error);
  REQUIRE(running);
  REQUIRE(running->size() == 1);
  CHECK(running->front().name == "demo_web_1");
  CHECK(running->front().state == "running");
  auto project = parse_container_list(fixture("containers_project_demo.json"), error);
  REQUIRE(project);
  CHECK(project->size() == 3);
  CHECK_FALSE(parse_container_list(fixture("error_bad_filter.json"), error));
  CHECK(error.find("not a JSON array") != std::string::npos);
}

TEST_CASE("error bodies", "[engine]") {
  CHECK(error_message(fixture("error_no_such_container.json")) ==
        "No such container: no-such-container");
  CHECK(error_message(fixture("error_bad_filter.json")) == "Invalid filter 'colour'");
  CHECK(error_message("page not found\n") == "page not found");
}

TEST_CASE("events", "[engine]") {
  std::istringstream lines(fixture("events.jsonl"));
  std::string line, error;
  std::multiset<std::string> seen;
  while (std::getline(lines, line)) {
    auto e = parse_event(line, error);
    REQUIRE(e);
    CHECK(e->type == "container");
    CHECK(e->id.size() == 64);
    CHECK(e->time > 0);
    CHECK(e->time_nano / 1000000000 == e->time);
    seen.insert(e->action + " " + e->name);
  }
  CHECK(seen == std::multiset<std::string>{"create demo_web_1", "create demo_db_1",
                                           "create demo_app_1", "start demo_web_1",
                                           "create plain"});
  CHECK_FALSE(parse_event("{\"status\": \"x\"}", error));
  CHECK_FALSE(parse_event("not json", error));
}

TEST_CASE("the list query follows docker ps selection", "[engine]") {
  CHECK(list_path(Selection{}) == "/containers/json");
  Selection s;
  s.all = true;
  CHECK(list_path(s) == "/containers/json?all=1");
  s.filters = {{"label", "tier=web"}, {"name", "demo"}, {"label", "x"}};
  s.project = "demo";
  // {"label":["tier=web","x","com.docker.compose.project=demo"],"name":["demo"]}, encoded.
  CHECK(list_path(s) ==
        "/containers/json?all=1&filters=%7B%22label%22%3A%5B%22tier%3Dweb%22%2C%22x%22%2C%22com."
        "docker.compose.project%3Ddemo%22%5D%2C%22name%22%3A%5B%22demo%22%5D%7D");
  CHECK(url_encode("a b/c~") == "a%20b%2Fc~");
  CHECK(events_path() ==
        "/events?filters=%7B%22event%22%3A%5B%22create%22%2C%22start%22%5D%2C%22type%22%3A%5B%"
        "22container%22%5D%7D");
  CHECK(
      events_path(1700000000000000000).rfind("/events?since=1700000000.000000000&filters=%7B", 0) ==
      0);
  CHECK(
      events_path(1700000000012345678).rfind("/events?since=1700000000.012345678&filters=%7B", 0) ==
      0);
}
