// Compose service fields: each spelling of caps, user, security_opt, booleans, namespaces,
// resources, healthcheck, restart and the collections.

#include <catch2/catch.hpp>

#include "lang/core/caps.hpp"
#include "normalize_test_support.hpp"

using namespace capguard;
using capguard::testing::at;
using capguard::testing::normalize_text;

namespace {

caps::Mask mask_of(std::initializer_list<const char*> names) {
  caps::Mask m = 0;
  for (const char* n : names) m |= caps::bit(*caps::parse(n));
  return m;
}

}  // namespace

TEST_CASE("caps: spellings, ALL, unknown names and Docker's effective set") {
  auto n = normalize_text(R"(services:
  a:
    image: x
    cap_add: [net_admin, CAP_SYS_TIME, "Cap_Chown", NET_ADMN]
    cap_drop: [ALL]
  b:
    image: x
  c:
    image: x
    cap_drop: [NET_RAW, cap_mknod]
  d:
    image: x
    privileged: true
    cap_drop: [ALL]
  e:
    image: x
    cap_add: [ALL]
    cap_drop: [SYS_ADMIN]
)");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  Value a = n.service("a");
  CHECK(at(a, "caps.added").as_caps() == mask_of({"NET_ADMIN", "SYS_TIME", "CHOWN"}));
  CHECK(at(a, "caps.dropped").as_caps() == caps::kAll);
  CHECK(at(a, "caps.effective").as_caps() == mask_of({"NET_ADMIN", "SYS_TIME", "CHOWN"}));
  REQUIRE(at(a, "caps.unknown").as_list().size() == 1);
  CHECK(at(a, "caps.unknown").as_list()[0].as_string() == "NET_ADMN");
  // spans: added at the cap_add value's line
  CHECK(at(a, "caps.added").span().line == 4);
  CHECK(at(a, "caps.dropped").span().line == 5);
  CHECK(at(n.service("b"), "caps.effective").as_caps() == caps::docker_defaults());
  CHECK(at(n.service("b"), "caps.added").span().line == 6);  // the service's key
  CHECK(at(n.service("c"), "caps.effective").as_caps() ==
        (caps::docker_defaults() & ~mask_of({"NET_RAW", "MKNOD"})));
  CHECK(at(n.service("d"), "caps.effective").as_caps() == caps::kAll);
  CHECK(at(n.service("e"), "caps.effective").as_caps() == (caps::kAll & ~mask_of({"SYS_ADMIN"})));
}

TEST_CASE("user: root spellings, numbers, names and unset") {
  auto n = normalize_text(R"(services:
  r1: {image: x, user: "0"}
  r2: {image: x, user: root}
  r3: {image: x, user: "0:0"}
  r4: {image: x, user: "root:root"}
  u1: {image: x, user: 1000}
  u2: {image: x, user: "nginx:www"}
  u3: {image: x, user: "1000:0"}
  none: {image: x}
  empty: {image: x, user: ""}
)");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  for (const char* s : {"r1", "r2", "r3", "r4"}) {
    INFO(s);
    CHECK(at(n.service(s), "user.is_root") == Value::boolean(true));
    CHECK(at(n.service(s), "user.uid") == Value::integer(0));
  }
  CHECK(at(n.service("u1"), "user.is_root") == Value::boolean(false));
  CHECK(at(n.service("u1"), "user.uid") == Value::integer(1000));
  CHECK(at(n.service("u1"), "user.raw") == Value::string("1000"));
  CHECK(at(n.service("u2"), "user.is_root") == Value::boolean(false));
  CHECK(at(n.service("u2"), "user.uid").is_null());
  CHECK(at(n.service("u2"), "user.group") == Value::string("www"));
  CHECK(at(n.service("u3"), "user.is_root") == Value::boolean(false));
  CHECK(at(n.service("u3"), "user.gid") == Value::integer(0));
  CHECK(at(n.service("none"), "user.is_root").is_null());
  CHECK(at(n.service("none"), "user.raw").is_null());
  CHECK(at(n.service("empty"), "user.is_root").is_null());
}

TEST_CASE("security_opt: = and : forms, Go booleans, labels, profiles") {
  auto n = normalize_text(R"(services:
  a:
    image: x
    security_opt:
      - no-new-privileges
      - seccomp:unconfined
      - apparmor=my-profile
      - label=type:container_t
      - label:level:s0:c100,c200
  b:
    image: x
    security_opt: ["no-new-privileges:true", "no-new-privileges=F", "seccomp=/etc/p.json"]
  c:
    image: x
    security_opt: ["label:disable", "apparmor:unconfined", "systempaths=unconfined",
                   "no-new-privileges=1"]
  d:
    image: x
)");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  Value a = n.service("a");
  CHECK(at(a, "security.no_new_privileges") == Value::boolean(true));
  CHECK(at(a, "security.seccomp") == Value::string("unconfined"));
  CHECK(at(a, "security.apparmor") == Value::string("my-profile"));
  CHECK(at(a, "security.selinux") ==
        Value::list({Value::string("type:container_t"), Value::string("level:s0:c100,c200")}));
  CHECK(at(a, "security.seccomp").span().line == 6);
  Value b = n.service("b");
  CHECK(at(b, "security.no_new_privileges") == Value::boolean(false));  // later wins
  CHECK(at(b, "security.seccomp") == Value::string("/etc/p.json"));
  Value c = n.service("c");
  CHECK(at(c, "security.selinux") == Value::list({Value::string("disable")}));
  CHECK(at(c, "security.apparmor") == Value::string("unconfined"));
  CHECK(at(c, "security.systempaths") == Value::string("unconfined"));
  CHECK(at(c, "security.no_new_privileges") == Value::boolean(true));
  Value d = n.service("d");
  CHECK(at(d, "security.seccomp").is_null());
  CHECK(at(d, "security.apparmor").is_null());
  CHECK(at(d, "security.selinux").is_null());
}

TEST_CASE("security_opt errors: not Go booleans, unknown keys, bad labels") {
  auto n = normalize_text(R"(services:
  a:
    image: x
    security_opt: ["no-new-privileges=yes"]
  b:
    image: x
    security_opt: ["seccomp"]
  c:
    image: x
    security_opt: ["label=bogus"]
  d:
    image: x
    security_opt: ["selinux=on"]
  ok:
    image: x
)");
  CHECK_FALSE(n.input.ok);
  CHECK(n.diags.error_count() == 4);
  CHECK(n.rendered.find("test.yaml:4:20: error: security_opt: invalid boolean \"yes\"") !=
        std::string::npos);
  CHECK(n.rendered.find("test.yaml:7:20: error: security_opt: invalid option \"seccomp\"") !=
        std::string::npos);
  CHECK(n.rendered.find("invalid label option \"bogus\"") != std::string::npos);
  CHECK(n.rendered.find("unknown option \"selinux\"") != std::string::npos);
  // The services with errors are kept, their security unknown (with the default profiles).
  REQUIRE(n.service("a").is_map());
  CHECK(to_json_text(at(n.service("a"), "unknown")) == R"(["security"])");
  CHECK(at(n.service("a"), "security.no_new_privileges") == Value::boolean(false));
  CHECK(to_json_text(at(n.service("ok"), "unknown")) == "[]");
  CHECK(n.rendered.find("(service a: security not checked)") != std::string::npos);
}

TEST_CASE("booleans as compose reads them, and wrong types at FILE:LINE:COL") {
  auto n = normalize_text(R"(services:
  a: {image: x, privileged: "yes", read_only: "TRUE", oom_kill_disable: "off"}
  b: {image: x, privileged: "on", read_only: false}
)");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  CHECK(at(n.service("a"), "privileged") == Value::boolean(true));
  CHECK(at(n.service("a"), "read_only") == Value::boolean(true));
  CHECK(at(n.service("a"), "oom_kill_disable") == Value::boolean(false));
  CHECK(at(n.service("b"), "privileged") == Value::boolean(true));
  CHECK(at(n.service("a"), "privileged").span().column == 29);

  auto bad = normalize_text(R"(services:
  a:
    image: x
    privileged: maybe
  b:
    image: x
    ports: 12
)");
  CHECK_FALSE(bad.input.ok);
  CHECK(bad.rendered.find("test.yaml:4:17: error: privileged: expected a boolean, got string "
                          "\"maybe\"") != std::string::npos);
  CHECK(bad.rendered.find("test.yaml:7:12: error: ports: expected a list, got int 12") !=
        std::string::npos);
}

TEST_CASE("namespaces: defaults, host, service: and container: modes") {
  auto n = normalize_text(R"(services:
  a: {image: x, network_mode: host, pid: host, ipc: host, uts: host, userns_mode: host, cgroup: host}
  b: {image: x, network_mode: "service:a", pid: "container:abc", ipc: shareable}
  c: {image: x}
)");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  for (const char* f : {"network", "pid", "ipc", "uts", "userns", "cgroup"}) {
    CHECK(at(n.service("a"), std::string("namespaces.") + f) == Value::string("host"));
  }
  CHECK(at(n.service("b"), "namespaces.network") == Value::string("service:a"));
  CHECK(at(n.service("b"), "namespaces.pid") == Value::string("container:abc"));
  CHECK(at(n.service("b"), "networks") == Value::list({}));
  CHECK(at(n.service("c"), "namespaces.network") == Value::string("bridge"));
  CHECK(at(n.service("c"), "namespaces.pid") == Value::string("private"));
  REQUIRE(at(n.service("c"), "networks").as_list().size() == 1);
  CHECK(at(n.service("c"), "networks").as_list()[0].get("name")->as_string() == "default");
}

TEST_CASE("resources from deploy limits or service fields; unlimited is null") {
  auto n = normalize_text(R"(services:
  a:
    image: x
    deploy: {resources: {limits: {memory: 512M, cpus: "1.5", pids: 200}}}
    mem_limit: 1g
  b: {image: x, mem_limit: 268435456, cpus: 2, pids_limit: -1}
  c: {image: x}
)");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  CHECK(at(n.service("a"), "resources.memory_bytes") == Value::size(512LL << 20));
  CHECK(at(n.service("a"), "resources.cpus") == Value::number(1.5));
  CHECK(at(n.service("a"), "resources.pids") == Value::integer(200));
  CHECK(at(n.service("b"), "resources.memory_bytes") == Value::size(256LL << 20));
  CHECK(at(n.service("b"), "resources.cpus") == Value::number(2));
  CHECK(at(n.service("b"), "resources.pids").is_null());
  CHECK(at(n.service("c"), "resources.memory_bytes").is_null());
}

TEST_CASE("healthcheck, restart and collections") {
  auto n = normalize_text(R"(services:
  a:
    image: x
    healthcheck: {test: "curl -f localhost", interval: 1m30s, timeout: 5s, retries: 3}
    restart: "on-failure:5"
    environment: [A=1, B=, C]
    sysctls: [net.ipv4.ip_forward=1]
    secrets: [db_pass, {source: api, target: api.key}, {source: tls, target: /etc/tls.pem}]
    ulimits: {nproc: 512, nofile: {soft: 1024, hard: 4096}}
    networks: {front: {}, back: null}
    devices: ["/dev/fuse", "/dev/sda:/dev/xvda:r", {source: /dev/kvm, target: /dev/kvm}]
  b:
    image: x
    healthcheck: {test: ["NONE"]}
    deploy: {restart_policy: {condition: any, max_attempts: 3}}
    environment: {X: 1, Y: null}
  c:
    image: x
    healthcheck: {disable: true}
)");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  Value a = n.service("a");
  CHECK(at(a, "healthcheck.test") ==
        Value::list({Value::string("CMD-SHELL"), Value::string("curl -f localhost")}));
  CHECK(at(a, "healthcheck.interval") == Value::duration(90'000'000'000LL));
  CHECK(at(a, "healthcheck.retries") == Value::integer(3));
  CHECK(at(a, "healthcheck.disabled") == Value::boolean(false));
  CHECK(at(a, "restart.policy") == Value::string("on-failure"));
  CHECK(at(a, "restart.max_retries") == Value::integer(5));
  // A bare C is set nowhere (inline text has no variables): Docker leaves it unset.
  CHECK(at(a, "environment") == Value::map({{"A", Value::string("1")}, {"B", Value::string("")}}));
  CHECK(at(a, "sysctls") == Value::map({{"net.ipv4.ip_forward", Value::string("1")}}));
  ListView secrets = at(a, "secrets").as_list();
  REQUIRE(secrets.size() == 3);
  CHECK(at(secrets[0], "target") == Value::string("/run/secrets/db_pass"));
  CHECK(at(secrets[1], "target") == Value::string("/run/secrets/api.key"));
  CHECK(at(secrets[2], "target") == Value::string("/etc/tls.pem"));
  CHECK(at(a, "ulimits.nproc.soft") == Value::integer(512));
  CHECK(at(a, "ulimits.nofile.hard") == Value::integer(4096));
  ListView networks = at(a, "networks").as_list();
  REQUIRE(networks.size() == 2);
  CHECK(at(networks[0], "name") == Value::string("front"));
  CHECK(at(networks[1], "name") == Value::string("back"));
  ListView devices = at(a, "devices").as_list();
  REQUIRE(devices.size() == 3);
  CHECK(at(devices[0], "target") == Value::string("/dev/fuse"));
  CHECK(at(devices[0], "permissions") == Value::string("rwm"));
  CHECK(at(devices[1], "target") == Value::string("/dev/xvda"));
  CHECK(at(devices[1], "permissions") == Value::string("r"));
  CHECK(at(devices[2], "source") == Value::string("/dev/kvm"));
  Value b = n.service("b");
  CHECK(at(b, "healthcheck.disabled") == Value::boolean(true));
  CHECK(at(b, "restart.policy") == Value::string("always"));
  CHECK(at(b, "restart.max_retries") == Value::integer(3));
  CHECK(at(b, "environment") == Value::map({{"X", Value::string("1")}}));
  CHECK(at(n.service("c"), "healthcheck.disabled") == Value::boolean(true));
  CHECK(at(n.service("c"), "healthcheck.test").is_null());
}

TEST_CASE("a missing value carries the span of the service's key") {
  auto n = normalize_text("services:\n  web:\n    image: x\n  \"db\": {image: y}\n");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  Value web = n.service("web");
  CHECK(web.span().line == 2);
  CHECK(web.span().column == 3);
  CHECK(at(web, "privileged").span().line == 2);
  CHECK(at(web, "source.line") == Value::integer(2));
  CHECK(at(n.service("db"), "source.line") == Value::integer(4));
  CHECK(at(n.service("db"), "privileged").span().column == 3);
}

TEST_CASE("deploy sections of the wrong type are errors") {
  auto n = normalize_text(R"(services:
  a: {image: x, deploy: 5}
  b: {image: x, deploy: {resources: {limits: [1]}}}
  c: {image: x, deploy: {restart_policy: always}}
)");
  CHECK_FALSE(n.input.ok);
  CHECK(n.diags.error_count() == 3);
  CHECK(n.rendered.find("test.yaml:2:25: error: deploy: expected a mapping, got int 5") !=
        std::string::npos);
  CHECK(n.rendered.find("deploy.resources.limits: expected a mapping, got a list") !=
        std::string::npos);
  CHECK(n.rendered.find("deploy.restart_policy: expected a mapping") != std::string::npos);
}

TEST_CASE("floats too large for an integer are type errors, not overflows") {
  auto n = normalize_text(R"(services:
  a: {image: x, ulimits: {nofile: .inf, nproc: 1e300}}
)");
  CHECK_FALSE(n.input.ok);
  CHECK(n.diags.error_count() == 2);
  CHECK(n.rendered.find("an integer") != std::string::npos);
}

TEST_CASE("service key spans in flow-style services mappings") {
  auto n = normalize_text("services: {web: {image: x}, 'db': {image: y}}\n");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  CHECK(n.service("web").span().column == 12);
  CHECK(n.service("db").span().column == 29);
  CHECK(n.service("db").span().length == 4);  // the quoted key
}

TEST_CASE("networks: each entry resolved against the top-level definitions") {
  auto n = normalize_text(R"(services:
  a:
    image: x
    networks: [back, shared, legacy, front, default, nowhere]
  b: {image: x}
  c: {image: x, network_mode: host}
networks:
  back: {internal: true, driver: overlay, name: app-back}
  shared: {external: true, internal: true}
  legacy: {external: {name: old-net}}
  front:
  default: {internal: "yes"}
)");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  ListView a = at(n.service("a"), "networks").as_list();
  REQUIRE(a.size() == 6);
  auto fields = [](const Value& net) {
    return Value::list({at(net, "name"), at(net, "internal"), at(net, "external"),
                        at(net, "driver"), at(net, "docker_name")});
  };
  const Value null;
  CHECK(fields(a[0]) ==
        Value::list({Value::string("back"), Value::boolean(true), Value::boolean(false),
                     Value::string("overlay"), Value::string("app-back")}));
  // External: created elsewhere, its `internal` is not compose's to know.
  CHECK(fields(a[1]) == Value::list({Value::string("shared"), null, Value::boolean(true), null,
                                     Value::string("shared")}));
  CHECK(fields(a[2]) == Value::list({Value::string("legacy"), null, Value::boolean(true), null,
                                     Value::string("old-net")}));
  CHECK(fields(a[3]) == Value::list({Value::string("front"), Value::boolean(false),
                                     Value::boolean(false), null, null}));
  CHECK(fields(a[4]) == Value::list({Value::string("default"), Value::boolean(true),
                                     Value::boolean(false), null, null}));
  CHECK(fields(a[5]) == Value::list({Value::string("nowhere"), null, null, null, null}));
  // The implicit default network of a service without `networks` uses the declared default.
  ListView b = at(n.service("b"), "networks").as_list();
  REQUIRE(b.size() == 1);
  CHECK(at(b[0], "internal") == Value::boolean(true));
  CHECK(at(n.service("c"), "networks") == Value::list({}));
}

TEST_CASE("networks: an undeclared default is compose's plain bridge network") {
  auto n = normalize_text("services:\n  a: {image: x}\n");
  REQUIRE(n.input.ok);
  ListView a = at(n.service("a"), "networks").as_list();
  REQUIRE(a.size() == 1);
  CHECK(at(a[0], "internal") == Value::boolean(false));
  CHECK(at(a[0], "external") == Value::boolean(false));
}

TEST_CASE("networks: a wrong type in a top-level definition is an error at its line") {
  auto n = normalize_text(R"(services:
  a: {image: x, networks: [back]}
networks:
  back: {internal: maybe}
)");
  CHECK_FALSE(n.input.ok);
  CHECK(n.rendered.find("test.yaml:4:") != std::string::npos);
  CHECK(n.rendered.find("networks.back.internal") != std::string::npos);
}

TEST_CASE("caps: each known entry as its own set, at its own line") {
  auto n = normalize_text(R"(services:
  a:
    image: x
    cap_add:
      - NET_BIND_SERVICE
      - cap_sys_admin
      - NOT_A_CAP
      - ALL
    cap_drop: [CHOWN]
  b: {image: x}
)");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  ListView added = at(n.service("a"), "caps.added_entries").as_list();
  REQUIRE(added.size() == 3);  // NOT_A_CAP is in `unknown`
  CHECK(added[0].as_caps() == mask_of({"NET_BIND_SERVICE"}));
  CHECK(added[1].as_caps() == mask_of({"SYS_ADMIN"}));
  CHECK(added[2].as_caps() == caps::kAll);
  CHECK(added[0].span().line == 5);
  CHECK(added[1].span().line == 6);
  CHECK(added[2].span().line == 8);
  ListView dropped = at(n.service("a"), "caps.dropped_entries").as_list();
  REQUIRE(dropped.size() == 1);
  CHECK(dropped[0].as_caps() == mask_of({"CHOWN"}));
  CHECK(dropped[0].span().line == 9);
  CHECK(at(n.service("b"), "caps.added_entries") == Value::list({}));
  CHECK(at(n.service("b"), "caps.dropped_entries") == Value::list({}));
}

TEST_CASE("effective values: the engine's rules on the compose side (issue 13)") {
  auto n = normalize_text(R"(services:
  all-all:
    image: x
    cap_add: [ALL]
    cap_drop: [ALL]
  priv:
    image: x
    privileged: true
  pid-host:
    image: x
    pid: host
  pid-upper:
    image: x
    pid: HOST
  own-label:
    image: x
    ipc: host
    security_opt: ["label=type:spc_t"]
  colon-label:
    image: x
    privileged: true
    security_opt: ["label:level:s0"]
  quota:
    image: x
    cpu_quota: 20000
  quota-period:
    image: x
    cpu_quota: 50000
    cpu_period: 200000
  restarts:
    image: x
    restart: on-failure:2
    deploy: {restart_policy: {condition: any}}
  named-net:
    image: x
    network_mode: HOST
)");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  CHECK(at(n.service("all-all"), "caps.effective").as_caps() == caps::kAll);
  Value disable = Value::list({Value::string("disable")});
  CHECK(at(n.service("priv"), "security.selinux") == disable);
  CHECK(at(n.service("priv"), "security.selinux").as_list()[0].span().line == 8);
  CHECK(at(n.service("pid-host"), "security.selinux") == disable);
  CHECK(at(n.service("pid-upper"), "security.selinux").is_null());
  CHECK(at(n.service("pid-upper"), "namespaces.pid") == Value::string("HOST"));
  CHECK(at(n.service("own-label"), "security.selinux") ==
        Value::list({Value::string("type:spc_t")}));
  CHECK(at(n.service("colon-label"), "security.selinux") ==
        Value::list({Value::string("level:s0"), Value::string("disable")}));
  CHECK(at(n.service("quota"), "resources.cpus") == Value::number(0.2));
  CHECK(at(n.service("quota"), "resources.cpus").span().line == 25);
  CHECK(at(n.service("quota-period"), "resources.cpus") == Value::number(0.25));
  CHECK(at(n.service("restarts"), "restart.policy") == Value::string("always"));
  CHECK(at(n.service("restarts"), "restart.max_retries").is_null());
  REQUIRE(at(n.service("named-net"), "networks").as_list().size() == 1);
  CHECK(at(at(n.service("named-net"), "networks").as_list()[0], "name") == Value::string("HOST"));
}
