// docker inspect output as tools and people hand it over.

#include <catch2/catch.hpp>

#include "normalize_test_support.hpp"

using namespace capguard;
using capguard::testing::at;
using capguard::testing::normalize_text;

TEST_CASE("inspect: an empty Mounts list does not hide HostConfig.Binds") {
  auto n = normalize_text(R"([{"Id": "abc", "Name": "/agent",
  "Config": {"Image": "x:1"},
  "HostConfig": {"Binds": ["/:/host:ro,rslave", "/var/run/docker.sock:/var/run/docker.sock"]},
  "Mounts": []}])",
                          InputFormat::Inspect, "inspect.json");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  ListView mounts = at(n.service("agent"), "mounts").as_list();
  REQUIRE(mounts.size() == 2);
  CHECK(at(mounts[0], "source").as_string() == "/");
  CHECK(at(mounts[0], "target").as_string() == "/host");
  CHECK(at(mounts[0], "read_only").as_bool() == true);
  CHECK(at(mounts[0], "propagation").as_string() == "rslave");
  CHECK(at(mounts[1], "source").as_string() == "/var/run/docker.sock");
  CHECK(at(mounts[1], "read_only").as_bool() == false);
}

TEST_CASE("inspect: a listed Mounts wins over Binds") {
  auto n = normalize_text(R"([{"Id": "abc", "Name": "/web", "Config": {"Image": "x:1"},
  "HostConfig": {"Binds": ["/etc:/etc"]},
  "Mounts": [{"Type": "volume", "Name": "data", "Destination": "/data", "RW": true}]}])",
                          InputFormat::Inspect, "inspect.json");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  ListView mounts = at(n.service("web"), "mounts").as_list();
  REQUIRE(mounts.size() == 1);
  CHECK(at(mounts[0], "source").as_string() == "data");
}

TEST_CASE("inspect: image and network objects are errors, not containers") {
  // `docker inspect nginx:1.27` prints the image; reading it as a container would report a
  // container that does not exist.
  auto image = normalize_text(
      R"([{"Id": "sha256:abc", "RepoTags": ["nginx:1.27"], "RootFS": {"Type": "layers"},
  "Config": {"User": "", "Env": ["A=1"]}}])",
      InputFormat::Inspect, "image.json");
  CHECK_FALSE(image.input.ok);
  CHECK(image.rendered.find("image.json:1:2: error: docker inspect: this object is an image") !=
        std::string::npos);
  auto network = normalize_text(R"([{"Name": "bridge", "Id": "f2de39", "Driver": "bridge"}])",
                                InputFormat::Inspect, "net.json");
  CHECK_FALSE(network.input.ok);
  CHECK(network.rendered.find("is not a container") != std::string::npos);
  // A container next to them is still read.
  auto mixed = normalize_text(
      R"([{"Id": "c1", "Name": "/web", "Config": {"Image": "x:1"}, "HostConfig": {}},
  {"Id": "sha256:abc", "RepoTags": ["x:1"], "Config": {}}])",
      InputFormat::Inspect, "mixed.json");
  CHECK(mixed.service("web").is_map());
}
