// docker inspect containers -> workloads, and input format detection.

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "lang/core/caps.hpp"
#include "normalize_test_support.hpp"
#include "runtime/documents/yaml_loader.hpp"

using namespace capguard;
using capguard::testing::at;
using capguard::testing::normalize_text;

namespace {

const char* kInspect = R"([
  {
    "Id": "f00dfeedbeef0123456789",
    "Name": "/proj-web-1",
    "AppArmorProfile": "docker-default",
    "Mounts": [
      {"Type": "bind", "Source": "/var/run/docker.sock", "Destination": "/var/run/docker.sock",
       "Mode": "ro", "RW": false, "Propagation": "rprivate"},
      {"Type": "volume", "Name": "pgdata", "Source": "/var/lib/docker/volumes/pgdata/_data",
       "Destination": "/var/lib/postgresql/data", "RW": true}
    ],
    "Config": {"User": "postgres", "Image": "postgres:16", "Env": ["A=1", "PATH=/bin"]},
    "HostConfig": {
      "Privileged": false, "CapAdd": ["NET_ADMIN"], "CapDrop": null, "ReadonlyRootfs": true,
      "SecurityOpt": ["no-new-privileges:true", "label=disable"],
      "NetworkMode": "default", "PidMode": "", "IpcMode": "shareable", "UTSMode": "",
      "UsernsMode": "", "CgroupnsMode": "private", "Memory": 0, "NanoCpus": 0,
      "CpuQuota": 50000, "CpuPeriod": 100000, "PidsLimit": null,
      "PortBindings": {"5432/tcp": [{"HostIp": "", "HostPort": "5432"}], "9000/tcp": null},
      "Tmpfs": {"/run": "rw,noexec,size=65536k"},
      "RestartPolicy": {"Name": "", "MaximumRetryCount": 0},
      "OomKillDisable": true, "CgroupParent": ""
    },
    "NetworkSettings": {"Networks": {"proj_default": {}}}
  },
  {
    "Id": "abc", "Name": "/priv",
    "AppArmorProfile": "unconfined",
    "Config": {"User": "0:0", "Image": "alpine"},
    "HostConfig": {"Privileged": true, "CapAdd": null, "CapDrop": null, "NetworkMode": "host",
                   "PidMode": "host", "Memory": 536870912, "PidsLimit": -1,
                   "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 3}}
  }
])";

}  // namespace

TEST_CASE("inspect: fields map onto the model with Docker's meanings") {
  auto n = normalize_text(kInspect, InputFormat::Auto, "inspect.json");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  Value web = n.service("proj-web-1");
  REQUIRE(web.is_map());
  CHECK(at(web, "source.kind") == Value::string("inspect"));
  CHECK(at(web, "source.line") == Value::integer(4));
  CHECK(at(web, "image.repository") == Value::string("docker.io/library/postgres"));
  CHECK(at(web, "read_only") == Value::boolean(true));
  CHECK(at(web, "caps.effective").as_caps() ==
        (caps::docker_defaults() | caps::bit(*caps::parse("NET_ADMIN"))));
  CHECK(at(web, "user.is_root") == Value::boolean(false));
  CHECK(at(web, "security.no_new_privileges") == Value::boolean(true));
  CHECK(at(web, "security.apparmor").is_null());  // docker-default is the default
  CHECK(at(web, "security.selinux") == Value::list({Value::string("disable")}));
  CHECK(at(web, "namespaces.network") == Value::string("bridge"));
  CHECK(at(web, "namespaces.pid") == Value::string("private"));
  CHECK(at(web, "namespaces.ipc") == Value::string("shareable"));
  CHECK(at(web, "namespaces.cgroup") == Value::string("private"));
  ListView mounts = at(web, "mounts").as_list();
  REQUIRE(mounts.size() == 3);
  CHECK(at(mounts[0], "read_only") == Value::boolean(true));
  CHECK(at(mounts[1], "source") == Value::string("pgdata"));
  CHECK(at(mounts[2], "type") == Value::string("tmpfs"));
  CHECK(at(mounts[2], "size") == Value::size(65536LL * 1024));
  ListView ports = at(web, "ports").as_list();
  REQUIRE(ports.size() == 1);
  CHECK(at(ports[0], "published") == Value::integer(5432));
  CHECK(at(ports[0], "host_ip") == Value::string("0.0.0.0"));
  CHECK(at(web, "resources.memory_bytes").is_null());
  CHECK(at(web, "resources.cpus") == Value::number(0.5));
  CHECK(at(web, "resources.pids").is_null());
  CHECK(at(web, "restart.policy") == Value::string("no"));
  CHECK(at(web, "environment.A") == Value::string("1"));
  REQUIRE(at(web, "networks").as_list().size() == 1);
  const Value& net = at(web, "networks").as_list()[0];
  CHECK(at(net, "name") == Value::string("proj_default"));
  CHECK(at(net, "docker_name") == Value::string("proj_default"));
  CHECK(at(net, "internal").is_null());  // not in NetworkSettings: unknown
  CHECK(at(net, "external").is_null());
  CHECK(at(web, "oom_kill_disable") == Value::boolean(true));
  CHECK(at(web, "cgroup_parent").is_null());

  Value priv = n.service("priv");
  CHECK(at(priv, "caps.effective").as_caps() == caps::kAll);
  CHECK(at(priv, "user.is_root") == Value::boolean(true));
  CHECK(at(priv, "security.apparmor") == Value::string("unconfined"));
  CHECK(at(priv, "namespaces.pid") == Value::string("host"));
  CHECK(at(priv, "resources.memory_bytes") == Value::size(512LL << 20));
  CHECK(at(priv, "resources.pids").is_null());
  CHECK(at(priv, "restart.max_retries") == Value::integer(3));
  CHECK(at(priv, "image.tag").is_null());
}

TEST_CASE("inspect: a single object is accepted") {
  auto n = normalize_text(R"({"Id": "x", "Name": "/one", "HostConfig": {"Privileged": true}})",
                          InputFormat::Auto, "one.json");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  CHECK(at(n.service("one"), "privileged") == Value::boolean(true));
}

TEST_CASE("inspect: wrong types are errors at their position") {
  auto n = normalize_text(R"([{"Name": "/a", "HostConfig": {"Privileged": "yes"}}])",
                          InputFormat::Inspect, "bad.json");
  CHECK_FALSE(n.input.ok);
  CHECK(n.rendered.find("bad.json:1:46: error: Privileged: expected a boolean") !=
        std::string::npos);
}

TEST_CASE("format detection") {
  auto parse = [](const std::string& text) {
    Diagnostics diags;
    return parse_yaml(add_source("d.json", text), diags);
  };
  CHECK(detect_format(parse(R"([{"Id": "a"}, {"HostConfig": {}}])")) == InputFormat::Inspect);
  CHECK(detect_format(parse(R"({"Config": {}})")) == InputFormat::Inspect);
  CHECK(detect_format(parse(R"([])")) == InputFormat::Inspect);
  CHECK(detect_format(parse(R"({"services": {}})")) == InputFormat::Compose);
  CHECK(detect_format(parse(R"([1, 2])")) == InputFormat::Auto);
  CHECK(detect_format(parse(R"("text")")) == InputFormat::Auto);
  CHECK(parse_input_format("inspect") == InputFormat::Inspect);
  CHECK(!parse_input_format("k8s"));
}

TEST_CASE("compose written as JSON is compose") {
  auto n = normalize_text(R"({"services": {"web": {"image": "nginx", "privileged": true}}})",
                          InputFormat::Auto, "c.json");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  CHECK(at(n.service("web"), "privileged") == Value::boolean(true));
  CHECK(at(n.service("web"), "source.kind") == Value::string("compose"));
}

TEST_CASE("inspect: a container created from an image ID has no repository or tag") {
  auto n = normalize_text(
      R"([{"Name": "/byid", "Config": {"Image": "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}}])",
      InputFormat::Auto, "id.json");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  Value s = n.service("byid");
  CHECK(at(s, "image.repository").is_null());
  CHECK(at(s, "image.tag").is_null());
  CHECK(at(s, "image.digest") ==
        Value::string("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
}

TEST_CASE("JSON that is neither compose nor inspect is an error naming the input") {
  auto n = normalize_text("[1, 2]", InputFormat::Auto, "odd.json");
  CHECK_FALSE(n.input.ok);
  CHECK(n.rendered.find("odd.json:1:1: error: cannot tell the input format") != std::string::npos);
  CHECK(n.input.document.get("services")->as_list().empty());
}

TEST_CASE("inspect: HostConfig.Binds are never relative to a project") {
  auto n = normalize_text(R"([{"Id": "1", "Name": "/a", "Config": {"Image": "x"},
  "HostConfig": {"Binds": ["/etc:/host/etc:ro", "./x:/x", "data:/data"]}}])",
                          InputFormat::Inspect, "inspect.json");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  ListView mounts = at(n.service("a"), "mounts").as_list();
  REQUIRE(mounts.size() == 3);
  for (const Value& m : mounts) {
    CHECK(at(m, "relative") == Value::boolean(false));
    CHECK(at(m, "in_project") == Value::boolean(false));
  }
  CHECK(at(mounts[0], "source") == Value::string("/etc"));
  CHECK(at(mounts[1], "source") == Value::string("/x"));
  CHECK(at(mounts[2], "type") == Value::string("volume"));
}

TEST_CASE("inspect: what dockerd 20.10 writes for the effective values (issue 13)") {
  auto n = normalize_text(R"([
  {"Id": "1", "Name": "/shop-db-1",
   "Config": {"Image": "x:1", "Labels": {"com.docker.compose.project": "shop"}},
   "HostConfig": {"Privileged": false, "CapAdd": ["ALL"], "CapDrop": ["ALL"],
                  "MaskedPaths": [], "ReadonlyPaths": [], "CpuQuota": 20000, "CpuPeriod": 0,
                  "Mounts": [{"Type": "tmpfs", "Target": "/scratch/",
                              "TmpfsOptions": {"SizeBytes": 1000000}},
                             {"Type": "tmpfs", "Target": "/other"}]},
   "Mounts": [{"Type": "tmpfs", "Source": "", "Destination": "/scratch", "RW": true},
              {"Type": "tmpfs", "Source": "", "Destination": "/other", "RW": true}],
   "NetworkSettings": {"Networks": {"shop_default": {}, "shop_jobs": {}}}},
  {"Id": "2", "Name": "/masked",
   "Config": {"Image": "x:1"},
   "HostConfig": {"MaskedPaths": ["/proc/kcore"], "ReadonlyPaths": [], "PidMode": "host"},
   "NetworkSettings": {"Networks": {"shop_default": {}}}}
])",
                          InputFormat::Auto, "inspect.json");
  INFO(n.rendered);
  REQUIRE(n.input.ok);
  Value db = n.service("shop-db-1");
  CHECK(at(db, "caps.effective").as_caps() == caps::kAll);
  CHECK(at(db, "security.systempaths") == Value::string("unconfined"));
  CHECK(at(db, "resources.cpus") == Value::number(0.2));
  const auto& mounts = at(db, "mounts").as_list();
  REQUIRE(mounts.size() == 2);
  CHECK(at(mounts[0], "size") == Value::size(1000000));
  CHECK(at(mounts[1], "size").is_null());
  const auto& nets = at(db, "networks").as_list();
  REQUIRE(nets.size() == 2);
  CHECK(at(nets[0], "name") == Value::string("default"));
  CHECK(at(nets[0], "docker_name") == Value::string("shop_default"));
  CHECK(at(nets[1], "name") == Value::string("shop_jobs"));
  Value masked = n.service("masked");
  CHECK(at(masked, "security.systempaths").is_null());
  // Without the project label, shop_default is just a network name; host pid without a label=
  // option: the daemon's label=disable (it would be in SecurityOpt already).
  CHECK(at(at(masked, "networks").as_list()[0], "name") == Value::string("shop_default"));
  CHECK(at(masked, "security.selinux") == Value::list({Value::string("disable")}));
}

namespace {

// value_difference with the file left out of spans (two loads of one file register it twice).
std::string difference_but_file(const Value& a, const Value& b, const std::string& path = "$") {
  Span sa = a.span(), sb = b.span();
  if (a.kind() != b.kind()) return path + ": kind";
  if (sa.line != sb.line || sa.column != sb.column || sa.length != sb.length)
    return path + ": span";
  if (a.is_map()) {
    if (a.as_map().size() != b.as_map().size()) return path + ": size";
    for (size_t i = 0; i < a.as_map().size(); ++i) {
      if (a.as_map()[i].first.str() != b.as_map()[i].first.str()) return path + ": key";
      std::string d = difference_but_file(a.as_map()[i].second, b.as_map()[i].second,
                                          path + "." + a.as_map()[i].first.str());
      if (!d.empty()) return d;
    }
    return "";
  }
  if (a.is_sequence()) {
    if (a.as_list().size() != b.as_list().size()) return path + ": size";
    for (size_t i = 0; i < a.as_list().size(); ++i) {
      std::string d =
          difference_but_file(a.as_list()[i], b.as_list()[i], path + "[" + std::to_string(i) + "]");
      if (!d.empty()) return d;
    }
    return "";
  }
  return a == b ? "" : path + ": value";
}

}  // namespace

TEST_CASE("inspect: with raw keys, read container by container, the same but for raw") {
  // load_input of a file: whole (raw_whole) and container by container with only some raw keys.
  auto load = [](const std::string& name, const std::string& text, bool whole) {
    std::filesystem::path path = std::filesystem::temp_directory_path() / name;
    {
      std::ofstream out(path, std::ios::binary);
      out << text;
    }
    InputOptions options;
    options.raw_whole = whole;
    options.raw_keys = {"Config", "Nope"};
    Diagnostics diags;
    LoadedInput in = load_input(path.string(), options, diags);
    std::filesystem::remove(path);
    return std::make_pair(in, render(diags));
  };
  const std::string bad = std::string(kInspect).substr(0, std::string(kInspect).size() - 1) +
                          R"(, {"Name": "/b", "HostConfig": {"Privileged": "yes"}}])";
  const std::string image = R"([{"Id": "i", "RepoTags": ["x"], "Config": {}}])";
  const std::string not_container = R"([{"Id": "i", "HostConfig": {}}, {"Other": 1}])";
  for (const std::string& text : {std::string(kInspect), bad, image, not_container}) {
    INFO(text);
    auto [whole, whole_diags] = load("capguard-raw-keys-whole.json", text, true);
    auto [kept, kept_diags] = load("capguard-raw-keys-whole.json", text, false);
    CHECK(kept_diags == whole_diags);
    CHECK(kept.ok == whole.ok);
    const Value* a = whole.document.get("services");
    const Value* b = kept.document.get("services");
    REQUIRE(a != nullptr);
    REQUIRE(b != nullptr);
    REQUIRE(a->as_list().size() == b->as_list().size());
    for (size_t i = 0; i < a->as_list().size(); ++i) {
      const Value& sa = a->as_list()[i];
      const Value& sb = b->as_list()[i];
      REQUIRE(sa.as_map().size() == sb.as_map().size());
      for (size_t j = 0; j < sa.as_map().size(); ++j) {
        const auto& [key, value] = sa.as_map()[j];
        INFO(key.str());
        CHECK(sb.as_map()[j].first.str() == key.str());
        if (key.str() != "raw") {
          CHECK(difference_but_file(sb.as_map()[j].second, value) == "");
          continue;
        }
        // raw: only Config, as the whole object holds it (spans included).
        const Value& raw = sb.as_map()[j].second;
        CHECK(raw.span().line == value.span().line);
        CHECK(raw.span().column == value.span().column);
        REQUIRE(raw.as_map().size() == (value.get("Config") ? 1u : 0u));
        if (value.get("Config")) {
          CHECK(difference_but_file(*raw.get("Config"), *value.get("Config")) == "");
        }
      }
    }
  }
}
