// Ports and mounts: short and long syntax, ranges, IPv6, tmpfs, the API socket.

#include <catch2/catch.hpp>

#include "normalize_test_support.hpp"

using namespace capguard;
using capguard::testing::at;
using capguard::testing::normalize_text;

namespace {

Value port(const char* ip, std::optional<int64_t> published, int64_t target, const char* proto) {
  return Value::map({{"host_ip", Value::string(ip)},
                     {"published", published ? Value::integer(*published) : Value::null()},
                     {"target", Value::integer(target)},
                     {"protocol", Value::string(proto)}});
}

// tests/golden/normalize/volumes/compose.yaml loaded with the project folder /project: through a
// real file so that the project folder applies.
LoadedInput load_volumes_project() {
  Diagnostics diags;
  InputOptions options;
  options.project_dir = "/project";
  std::string dir = std::string(CAPGUARD_SOURCE_DIR) + "/tests/golden/normalize/volumes";
  LoadedInput in = load_input(dir + "/compose.yaml", options, diags);
  INFO(render(diags));
  REQUIRE(in.ok);
  return in;
}

}  // namespace

TEST_CASE("ports: every short form and the long syntax") {
  auto n = normalize_text(R"(services:
  a:
    image: x
    ports:
      - 80
      - "8080:80"
      - "127.0.0.1:8443:443/udp"
      - "127.0.0.1::53"
      - "[::1]:9000:9000"
      - "7000-7001:7000-7001"
      - "6000-6010:6000"
      - "5000-5001"
      - {target: 3000, published: "3001", host_ip: 10.0.0.1, protocol: sctp}
      - {target: 4000}
)");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  ListView ports = at(n.service("a"), "ports").as_list();
  REQUIRE(ports.size() == 12);
  CHECK(ports[0] == port("0.0.0.0", std::nullopt, 80, "tcp"));
  CHECK(ports[1] == port("0.0.0.0", 8080, 80, "tcp"));
  CHECK(ports[2] == port("127.0.0.1", 8443, 443, "udp"));
  CHECK(ports[3] == port("127.0.0.1", std::nullopt, 53, "tcp"));
  CHECK(ports[4] == port("::1", 9000, 9000, "tcp"));
  CHECK(ports[5] == port("0.0.0.0", 7000, 7000, "tcp"));
  CHECK(ports[6] == port("0.0.0.0", 7001, 7001, "tcp"));
  CHECK(ports[7] == port("0.0.0.0", 6000, 6000, "tcp"));
  CHECK(ports[8] == port("0.0.0.0", std::nullopt, 5000, "tcp"));
  CHECK(ports[9] == port("0.0.0.0", std::nullopt, 5001, "tcp"));
  CHECK(ports[10] == port("10.0.0.1", 3001, 3000, "sctp"));
  CHECK(ports[11] == port("0.0.0.0", std::nullopt, 4000, "tcp"));
  CHECK(ports[2].span().line == 7);
}

TEST_CASE("ports: malformed entries are errors at their line") {
  auto n = normalize_text(R"(services:
  a:
    image: x
    ports: ["80:70000", "1-3:4-5", "80/icmp", "1:2:80:80", [1]]
)");
  CHECK_FALSE(n.input.ok);
  CHECK(n.diags.error_count() == 5);
  CHECK(n.rendered.find("test.yaml:4:13: error: ports: invalid port \"80:70000\"") !=
        std::string::npos);
  CHECK(n.rendered.find("ranges differ in length") != std::string::npos);
  CHECK(n.rendered.find("protocol must be tcp, udp or sctp") != std::string::npos);
  CHECK(n.rendered.find("invalid IP address \"1:2\"") != std::string::npos);
}

TEST_CASE("volumes: binds, named, anonymous, options, long syntax, relative sources") {
  auto n = normalize_text(R"(services:
  a:
    image: x
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro
      - data:/data
      - /cache
      - /srv:/srv:rw,Z,rshared
      - type: bind
        source: /proc
        target: /host/proc
        read_only: "true"
        bind: {propagation: rslave}
      - {type: tmpfs, target: /scratch, tmpfs: {size: 64m}}
      - {type: volume, source: logs, target: /logs}
    tmpfs: ["/run", "/tmp:size=10M,mode=1770"]
    use_api_socket: true
)");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  ListView m = at(n.service("a"), "mounts").as_list();
  REQUIRE(m.size() == 10);
  CHECK(at(m[0], "type") == Value::string("bind"));
  CHECK(at(m[0], "source") == Value::string("/var/run/docker.sock"));
  CHECK(at(m[0], "read_only") == Value::boolean(true));
  CHECK(at(m[1], "type") == Value::string("volume"));
  CHECK(at(m[1], "source") == Value::string("data"));
  CHECK(at(m[2], "type") == Value::string("volume"));
  CHECK(at(m[2], "source").is_null());
  CHECK(at(m[2], "target") == Value::string("/cache"));
  CHECK(at(m[3], "read_only") == Value::boolean(false));
  CHECK(at(m[3], "selinux") == Value::string("Z"));
  CHECK(at(m[3], "propagation") == Value::string("rshared"));
  CHECK(at(m[4], "source") == Value::string("/proc"));
  CHECK(at(m[4], "read_only") == Value::boolean(true));
  CHECK(at(m[4], "propagation") == Value::string("rslave"));
  CHECK(at(m[5], "type") == Value::string("tmpfs"));
  CHECK(at(m[5], "size") == Value::size(64LL << 20));
  CHECK(at(m[6], "source") == Value::string("logs"));
  CHECK(at(m[7], "target") == Value::string("/run"));
  CHECK(at(m[7], "size").is_null());
  CHECK(at(m[8], "size") == Value::size(10LL << 20));
  CHECK(at(m[9], "source") == Value::string("/var/run/docker.sock"));
  CHECK(at(m[9], "read_only") == Value::boolean(false));
  CHECK(m[0].span().line == 5);
}

TEST_CASE("volumes: relative bind sources resolve against the project folder") {
  LoadedInput in = load_volumes_project();
  const Value& s = in.document.get("services")->as_list().at(0);
  bool found = false;
  for (const Value& m : at(s, "mounts").as_list()) {
    if (at(m, "target") == Value::string("/app/data")) {
      CHECK(at(m, "source") == Value::string("/project/data"));
      found = true;
    }
  }
  CHECK(found);
}

TEST_CASE("volumes: malformed entries are errors") {
  auto n = normalize_text(R"(services:
  a:
    image: x
    volumes: ["/a:relative", "/a:/b:bogus", {type: nfs, target: /x}, {source: /a}, ":/x"]
)");
  CHECK_FALSE(n.input.ok);
  CHECK(n.diags.error_count() == 5);
  CHECK(n.rendered.find("invalid volume \":/x\": empty source") != std::string::npos);
  CHECK(n.rendered.find("the target must be an absolute path") != std::string::npos);
  CHECK(n.rendered.find("invalid mode \"bogus\"") != std::string::npos);
  CHECK(n.rendered.find("unknown mount type \"nfs\"") != std::string::npos);
  CHECK(n.rendered.find("long syntax needs `type` and `target`") != std::string::npos);
}

TEST_CASE("ports: range expansion is bounded") {
  std::string text = "services:\n  a:\n    image: x\n    ports:\n";
  for (int i = 0; i < 6; ++i) text += "      - \"1-65535\"\n";
  auto n = normalize_text(text);
  CHECK_FALSE(n.input.ok);
  CHECK(n.rendered.find("more than 262144 ports in one service") != std::string::npos);
}

TEST_CASE("volumes: relative and in_project say how a bind source was written") {
  LoadedInput in = load_volumes_project();
  auto flags = [&](const std::string& target) {
    for (const Value& s : in.document.get("services")->as_list()) {
      for (const Value& m : at(s, "mounts").as_list()) {
        if (at(m, "target") == Value::string(target)) {
          return std::make_pair(at(m, "relative").as_bool(), at(m, "in_project").as_bool());
        }
      }
    }
    FAIL("no mount at " << target);
    return std::make_pair(false, false);
  };
  CHECK(flags("/app/data") == std::make_pair(true, true));               // ./data
  CHECK(flags("/etc/app") == std::make_pair(true, false));               // ../shared/config
  CHECK(flags("/var/log/app") == std::make_pair(true, true));            // long syntax ./logs
  CHECK(flags("/var/run/docker.sock") == std::make_pair(false, false));  // absolute
  CHECK(flags("/cache") == std::make_pair(false, false));                // named volume
  CHECK(flags("/scratch") == std::make_pair(false, false));              // tmpfs
}

TEST_CASE("volumes: `~`, bare long-syntax and climbing relative sources") {
  auto n = normalize_text(R"(services:
  a:
    image: a:1
    volumes:
      - ~/.ssh:/keys:ro
      - ./x/../../up:/up
      - ./x/../in:/in
      - type: bind
        source: data
        target: /data
)");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  ListView mounts = at(n.service("a"), "mounts").as_list();
  REQUIRE(mounts.size() == 4);
  CHECK(at(mounts[0], "source") == Value::string("~/.ssh"));
  CHECK(at(mounts[0], "relative") == Value::boolean(false));
  CHECK(at(mounts[1], "relative") == Value::boolean(true));
  CHECK(at(mounts[1], "in_project") == Value::boolean(false));
  CHECK(at(mounts[2], "in_project") == Value::boolean(true));
  CHECK(at(mounts[3], "relative") == Value::boolean(true));
  CHECK(at(mounts[3], "in_project") == Value::boolean(true));
  std::string data = at(mounts[3], "source").as_string();
  CHECK(data.front() == '/');
  CHECK(data.size() > 5);
  CHECK(data.substr(data.size() - 5) == "/data");
}
