// device_cgroup_rules, gpus, runtime and storage_opt from compose and docker inspect.

#include <catch2/catch.hpp>

#include "normalize_test_support.hpp"

using namespace capguard;
using capguard::testing::at;
using capguard::testing::normalize_text;

TEST_CASE("compose: device_cgroup_rules, runtime, storage_opt, gpus") {
  auto n = normalize_text(R"(services:
  gpu:
    image: cuda
    device_cgroup_rules:
      - "c 195:* rmw"
      - 'b *:* m'
    runtime: nvidia
    storage_opt:
      size: 20G
    gpus: all
  plain:
    image: alpine
  reserved:
    image: cuda
    deploy:
      resources:
        reservations:
          devices:
            - capabilities: [gpu]
              count: 2
            - driver: nvidia
              device_ids: ["0", "3"]
              capabilities: [compute]
            - driver: cdi
              device_ids: [vendor.com/fpga=0]
              capabilities: [fpga]
  listed:
    image: cuda
    gpus:
      - driver: nvidia
        count: 1
  implicit:
    image: cuda
    deploy:
      resources:
        reservations:
          devices:
            - capabilities: [gpu]
)");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  Value gpu = n.service("gpu");
  Value rules = at(gpu, "device_cgroup_rules");
  REQUIRE(rules.is_list());
  REQUIRE(rules.as_list().size() == 2);
  CHECK(rules.as_list()[0] == Value::string("c 195:* rmw"));
  CHECK(rules.as_list()[0].span().line == 5);
  CHECK(rules.as_list()[1] == Value::string("b *:* m"));
  CHECK(rules.as_list()[1].span().line == 6);
  CHECK(at(gpu, "runtime") == Value::string("nvidia"));
  CHECK(at(gpu, "runtime").span().line == 7);
  CHECK(at(gpu, "storage_opt.size") == Value::string("20G"));
  CHECK(at(gpu, "storage_opt.size").span().line == 9);
  CHECK(at(gpu, "gpus.requested") == Value::boolean(true));
  CHECK(at(gpu, "gpus.all") == Value::boolean(true));
  CHECK(at(gpu, "gpus.count").is_null());
  CHECK(at(gpu, "gpus").span().line == 10);

  Value plain = n.service("plain");
  CHECK(at(plain, "device_cgroup_rules").is_list());
  CHECK(at(plain, "device_cgroup_rules").as_list().size() == 0);
  CHECK(at(plain, "runtime").is_null());
  CHECK(at(plain, "runtime").span().line == 11);
  CHECK(at(plain, "storage_opt").is_map());
  CHECK(at(plain, "storage_opt").as_map().size() == 0);
  CHECK(at(plain, "gpus.requested") == Value::boolean(false));
  CHECK(at(plain, "gpus.all") == Value::boolean(false));
  CHECK(at(plain, "gpus.count") == Value::integer(0));
  CHECK(at(plain, "gpus").span().line == 11);

  // count 2 + two device_ids; the cdi request is no GPU request.
  Value reserved = n.service("reserved");
  CHECK(at(reserved, "gpus.requested") == Value::boolean(true));
  CHECK(at(reserved, "gpus.all") == Value::boolean(false));
  CHECK(at(reserved, "gpus.count") == Value::integer(4));
  CHECK(at(reserved, "gpus").span().line == 19);

  Value listed = n.service("listed");
  CHECK(at(listed, "gpus.all") == Value::boolean(false));
  CHECK(at(listed, "gpus.count") == Value::integer(1));

  // Neither count nor device_ids: every GPU.
  Value implicit = n.service("implicit");
  CHECK(at(implicit, "gpus.requested") == Value::boolean(true));
  CHECK(at(implicit, "gpus.all") == Value::boolean(true));
  CHECK(at(implicit, "gpus.count").is_null());
}

TEST_CASE("compose: count all, and wrong values are errors at their position") {
  auto all = normalize_text(R"(services:
  a:
    image: x
    gpus:
      - count: all
      - count: 2
)");
  INFO(all.rendered);
  REQUIRE(all.input.ok);
  CHECK(at(all.service("a"), "gpus.all") == Value::boolean(true));
  CHECK(at(all.service("a"), "gpus.count").is_null());

  auto n = normalize_text(R"(services:
  bad_rule:
    image: x
    device_cgroup_rules: ["c 1:3 rwx"]
  bad_gpus:
    image: x
    gpus: some
  both:
    image: x
    gpus:
      - count: 1
        device_ids: ["0"]
  bad_storage:
    image: x
    storage_opt: [size=1G]
  fine:
    image: x
    device_cgroup_rules: ["a *:* rwm"]
)");
  CHECK(n.diags.error_count() == 4);
  CHECK(n.rendered.find("test.yaml:4:27: error: device_cgroup_rules: invalid device cgroup rule "
                        "\"c 1:3 rwx\"") != std::string::npos);
  CHECK(n.rendered.find("test.yaml:7:11: error: gpus:") != std::string::npos);
  CHECK(n.rendered.find("test.yaml:12:21: error: gpus: count and device_ids cannot both be set") !=
        std::string::npos);
  CHECK(n.rendered.find("test.yaml:15:18: error: storage_opt:") != std::string::npos);
  // A bad value costs its field only: the service stays, the field is unknown and holds what
  // could be read.
  REQUIRE(n.service("bad_rule").is_map());
  CHECK(to_json_text(at(n.service("bad_rule"), "unknown")) == R"(["device_cgroup_rules"])");
  CHECK(at(n.service("bad_rule"), "device_cgroup_rules").as_list().empty());
  CHECK(to_json_text(at(n.service("both"), "unknown")) == R"(["gpus"])");
  CHECK(to_json_text(at(n.service("bad_storage"), "unknown")) == R"(["storage_opt"])");
  CHECK(to_json_text(at(n.service("fine"), "unknown")) == "[]");
  REQUIRE(n.service("fine").is_map());
  CHECK(at(n.service("fine"), "device_cgroup_rules").as_list().size() == 1);
}

TEST_CASE("inspect: DeviceCgroupRules, Runtime, StorageOpt, DeviceRequests") {
  auto n = normalize_text(R"([
  {"Id": "a1", "Name": "/gpu",
   "Config": {"Image": "cuda"},
   "HostConfig": {"Runtime": "runc",
                  "DeviceCgroupRules": ["c 10:200 rwm"],
                  "StorageOpt": {"size": "10G"},
                  "DeviceRequests": [
                    {"Driver": "", "Count": -1, "DeviceIDs": null, "Capabilities": [["gpu"]],
                     "Options": {}}
                  ]}},
  {"Id": "b2", "Name": "/two",
   "Config": {"Image": "cuda"},
   "HostConfig": {"Runtime": "", "DeviceCgroupRules": null, "StorageOpt": null,
                  "DeviceRequests": [
                    {"Driver": "nvidia", "Count": 0, "DeviceIDs": ["0", "1"],
                     "Capabilities": null},
                    {"Driver": "cdi", "Count": 0, "DeviceIDs": ["x.com/y=1"],
                     "Capabilities": null}
                  ]}},
  {"Id": "c3", "Name": "/none", "Config": {"Image": "alpine"}, "HostConfig": {}}
])",
                          InputFormat::Auto, "inspect.json");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  Value gpu = n.service("gpu");
  CHECK(at(gpu, "runtime") == Value::string("runc"));
  CHECK(at(gpu, "runtime").span().line == 4);
  REQUIRE(at(gpu, "device_cgroup_rules").as_list().size() == 1);
  CHECK(at(gpu, "device_cgroup_rules").as_list()[0] == Value::string("c 10:200 rwm"));
  CHECK(at(gpu, "device_cgroup_rules").as_list()[0].span().line == 5);
  CHECK(at(gpu, "storage_opt.size") == Value::string("10G"));
  CHECK(at(gpu, "gpus.requested") == Value::boolean(true));
  CHECK(at(gpu, "gpus.all") == Value::boolean(true));
  CHECK(at(gpu, "gpus.count").is_null());
  CHECK(at(gpu, "gpus").span().line == 8);

  Value two = n.service("two");
  CHECK(at(two, "runtime").is_null());
  CHECK(at(two, "device_cgroup_rules").as_list().size() == 0);
  CHECK(at(two, "storage_opt").as_map().size() == 0);
  CHECK(at(two, "gpus.requested") == Value::boolean(true));
  CHECK(at(two, "gpus.all") == Value::boolean(false));
  CHECK(at(two, "gpus.count") == Value::integer(2));

  Value none = n.service("none");
  CHECK(at(none, "runtime").is_null());
  CHECK(at(none, "gpus.requested") == Value::boolean(false));
  CHECK(at(none, "gpus.count") == Value::integer(0));
  CHECK(at(none, "gpus").span().line == 20);
}

TEST_CASE("inspect: wrong types in the new fields are errors") {
  auto n = normalize_text(R"([
  {"Id": "a1", "Name": "/bad",
   "Config": {"Image": "cuda"},
   "HostConfig": {"Runtime": 3, "StorageOpt": ["size=1G"],
                  "DeviceRequests": [{"Count": "all", "Capabilities": [["gpu"]]}]}}
])",
                          InputFormat::Auto, "inspect.json");
  CHECK(n.diags.error_count() == 3);
  CHECK(n.rendered.find("inspect.json:4:30: error: Runtime:") != std::string::npos);
  CHECK(n.rendered.find("error: StorageOpt:") != std::string::npos);
  CHECK(n.rendered.find("error: DeviceRequests.Count:") != std::string::npos);
  CHECK(n.service("bad").is_null());
}
