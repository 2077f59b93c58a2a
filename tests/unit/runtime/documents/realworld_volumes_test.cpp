// Volume specs seen in real compose files that the normalizer must read as Compose does.

#include <catch2/catch.hpp>

#include "normalize_test_support.hpp"

using namespace capguard;
using capguard::testing::at;
using capguard::testing::normalize_text;

TEST_CASE("volumes: Windows drive-letter sources are bind mounts kept as written") {
  // compose-go's ParseVolume reads a one-letter field followed by ':' as a drive letter, so
  // "C:/Users/me/data:/data" is SOURCE "C:/Users/me/data", TARGET "/data"; Docker Desktop
  // files written on Windows use it (also with backslashes).
  auto n = normalize_text(R"(services:
  a:
    image: x
    volumes:
      - C:/Users/me/data:/data
      - 'D:\projects\app:/app:ro'
      - c:/x:/y:rw,Z
      - data:/d
)");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  ListView mounts = at(n.service("a"), "mounts").as_list();
  REQUIRE(mounts.size() == 4);
  CHECK(at(mounts[0], "type").as_string() == "bind");
  CHECK(at(mounts[0], "source").as_string() == "C:/Users/me/data");
  CHECK(at(mounts[0], "target").as_string() == "/data");
  CHECK(at(mounts[0], "read_only").as_bool() == false);
  CHECK(at(mounts[1], "type").as_string() == "bind");
  CHECK(at(mounts[1], "source").as_string() == "D:\\projects\\app");
  CHECK(at(mounts[1], "target").as_string() == "/app");
  CHECK(at(mounts[1], "read_only").as_bool() == true);
  CHECK(at(mounts[2], "source").as_string() == "c:/x");
  CHECK(at(mounts[2], "target").as_string() == "/y");
  CHECK(at(mounts[2], "selinux").as_string() == "Z");
  CHECK(at(mounts[3], "type").as_string() == "volume");
  CHECK(at(mounts[3], "source").as_string() == "data");
}

TEST_CASE("volumes: a Windows long-syntax bind source is not joined to the project folder") {
  auto n = normalize_text(R"(services:
  a:
    image: x
    volumes:
      - {type: bind, source: 'C:\data', target: /data}
)");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  ListView mounts = at(n.service("a"), "mounts").as_list();
  REQUIRE(mounts.size() == 1);
  CHECK(at(mounts[0], "source").as_string() == "C:\\data");
}

TEST_CASE("volumes_from: the named service's bind and volume mounts join, at the entry") {
  // Docker copies the other container's mounts; a socket brought in this way is still the socket.
  auto n = normalize_text(R"(services:
  agent:
    image: x
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock
      - data:/data
    tmpfs: /tmp
  sidecar:
    image: y
    volumes_from:
      - agent:ro
  other:
    image: z
    volumes_from: [service:agent, container:outside, missing]
)");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  ListView side = at(n.service("sidecar"), "mounts").as_list();
  REQUIRE(side.size() == 2);  // not the tmpfs
  CHECK(at(side[0], "source").as_string() == "/var/run/docker.sock");
  CHECK(at(side[0], "read_only").as_bool() == true);
  CHECK(at(side[0], "source").span().line == 11);  // the volumes_from entry
  CHECK(at(side[1], "source").as_string() == "data");
  ListView other = at(n.service("other"), "mounts").as_list();
  REQUIRE(other.size() == 2);
  CHECK(at(other[0], "read_only").as_bool() == false);  // the agent's own mode
  CHECK(at(n.service("agent"), "mounts").as_list().size() == 3);
}

TEST_CASE("ports: an unbracketed IPv6 address before HOST:CONTAINER is read as Docker reads it") {
  // go-connections nat.ParsePortSpec joins every part before the last two as the address.
  auto n = normalize_text(R"(services:
  a:
    image: x
    ports: ["::1:8080:80", "[::]:81:81", "fe80::1:82:82/udp"]
)");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  ListView ports = at(n.service("a"), "ports").as_list();
  REQUIRE(ports.size() == 3);
  CHECK(at(ports[0], "host_ip").as_string() == "::1");
  CHECK(at(ports[0], "published").as_int() == 8080);
  CHECK(at(ports[0], "target").as_int() == 80);
  CHECK(at(ports[1], "host_ip").as_string() == "::");
  CHECK(at(ports[2], "host_ip").as_string() == "fe80::1");
  CHECK(at(ports[2], "protocol").as_string() == "udp");
}
