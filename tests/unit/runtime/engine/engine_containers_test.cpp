// Containers read from an engine as inputs: the recorded inspect answers of a real dockerd
// (fixtures/), linked to the compose file that created them, and their drift from it.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "runtime/engine/containers.hpp"

using namespace capguard;
using namespace capguard::engine;
namespace fs = std::filesystem;

namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(CAPGUARD_SOURCE_DIR) + "/tests/unit/runtime/engine/fixtures/" +
                   name);
  REQUIRE(in.good());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The recording's project folder, as its labels name it.
constexpr const char* kRecordedDir = "/tmp/capguard-record/project";

// The inspect answer of `name` with its compose project (working dir, bind sources) moved to
// `dir`.
std::string inspect_in(const std::string& name, const std::string& dir) {
  std::string body = fixture("inspect_" + name + ".json");
  std::string from = kRecordedDir;
  REQUIRE(body.find(from) != std::string::npos);
  for (size_t at = body.find(from); at != std::string::npos; at = body.find(from, at + dir.size()))
    body.replace(at, from.size(), dir);
  return body;
}

struct Project {
  fs::path dir;
  Project() {
    char templ[] = "/tmp/capguard-containers-test.XXXXXX";
    dir = mkdtemp(templ);
    std::ofstream(dir / "compose.yaml") << fixture("compose.yaml");
  }
  ~Project() { fs::remove_all(dir); }
  void rewrite(const std::string& from, const std::string& to) {
    std::string text = fixture("compose.yaml");
    size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    std::ofstream(dir / "compose.yaml") << text.replace(at, from.size(), to);
  }
};

const Value& service(const ContainerInput& c) {
  return c.input.document.get("services")->as_list().front();
}

Value at(const Value& v, const std::string& path) {
  const Value* cur = &v;
  size_t start = 0;
  while (cur != nullptr && start <= path.size()) {
    size_t dot = path.find('.', start);
    if (dot == std::string::npos) dot = path.size();
    cur = cur->get(path.substr(start, dot - start));
    start = dot + 1;
  }
  return cur != nullptr ? *cur : Value();
}

}  // namespace

TEST_CASE("compose labels", "[engine]") {
  auto o =
      compose_origin({{"com.docker.compose.project", "demo"},
                      {"com.docker.compose.service", "web"},
                      {"com.docker.compose.project.working_dir", "/srv/app"},
                      {"com.docker.compose.project.config_files", "compose.yaml,/etc/extra.yaml"},
                      {"com.docker.compose.project.environment_file", "/srv/app/.env"}});
  REQUIRE(o);
  CHECK(o->config_files == std::vector<std::string>{"/srv/app/compose.yaml", "/etc/extra.yaml"});
  CHECK(o->env_files == std::vector<std::string>{"/srv/app/.env"});
  CHECK_FALSE(compose_origin({{"com.docker.compose.project", "demo"}}));
  CHECK_FALSE(compose_origin({}));
}

TEST_CASE("a plain container is one input named after it and its engine", "[engine]") {
  ContainerInput c = container_input("unix:///e.sock", fixture("inspect_plain.json"), true);
  CHECK(c.input.ok);
  CHECK_FALSE(c.compose);
  CHECK(c.input.name == "container plain (5e14c4aad0fc, local/busybox:1) on unix:///e.sock");
  const Value& s = service(c);
  CHECK(at(s, "name").as_string() == "plain");
  CHECK(at(s, "caps.effective").as_caps() == 0);  // --cap-drop ALL
  // Locations are in the answer indented as `docker inspect` prints it.
  Span span = at(s, "caps.dropped").span();
  CHECK(source_name(span.file) == "unix:///e.sock/containers/plain");
  CHECK(source(span.file).line_text(span.line).find("\"CapDrop\": [") != std::string::npos);
}

TEST_CASE("a compose container whose file is gone keeps its own locations", "[engine]") {
  ContainerInput c = container_input("h", fixture("inspect_demo_web_1.json"), true);
  REQUIRE(c.compose);
  CHECK(c.compose->project == "demo");
  CHECK(c.compose->service == "web");
  CHECK(c.compose->config_files ==
        std::vector<std::string>{std::string(kRecordedDir) + "/compose.yaml"});
  CHECK_FALSE(c.linked);
  CHECK(c.compose_diags.has_errors());
  CHECK(c.input.ok);
  CHECK(c.input.name ==
        "container demo_web_1 (8d22bd4065ac, local/busybox:1) on h, compose project demo, "
        "service web");
  CHECK(source_name(at(service(c), "caps.added").span().file) == "h/containers/demo_web_1");
}

TEST_CASE("a compose container points at its file where they agree, and has no drift", "[engine]") {
  Project p;
  // app: the project's default network, ports, a relative bind, tmpfs, a memory limit.
  for (const char* name : {"demo_web_1", "demo_db_1", "demo_app_1"}) {
    ContainerInput c = container_input("h", inspect_in(name, p.dir.string()), true);
    REQUIRE(c.linked);
    CHECK_FALSE(c.compose_diags.has_errors());
    // The daemon's defaults (runc, the cgroup namespace, SELinux off for privileged, the `none`
    // network, the project's network as demo_default, a bind's rprivate) are not drift.
    std::vector<DriftItem> d = drift(service(c), c.declared, "demo");
    for (const DriftItem& item : d) UNSCOPED_INFO(name << ": " << item.field);
    CHECK(d.empty());
  }
  ContainerInput web = container_input("h", inspect_in("demo_web_1", p.dir.string()), true);
  Span added = at(service(web), "caps.added").span();
  CHECK(source_name(added.file) == (p.dir / "compose.yaml").string());
  CHECK(added.line == 6);  // cap_add: [NET_ADMIN]
  // A value the file does not give (the engine's default runtime) keeps the container's location.
  CHECK(source_name(at(service(web), "runtime").span().file) == "h/containers/demo_web_1");
}

TEST_CASE("drift: the file changed after the container was created", "[engine]") {
  Project p;
  p.rewrite("    cap_add: [NET_ADMIN]\n", "    cap_drop: [ALL]\n");
  ContainerInput c = container_input("h", inspect_in("demo_web_1", p.dir.string()), true);
  REQUIRE(c.linked);
  std::vector<DriftItem> d = drift(service(c), c.declared, "demo");
  std::vector<std::string> fields;
  for (const DriftItem& item : d) fields.push_back(item.field);
  CHECK(fields == std::vector<std::string>{"caps.added", "caps.dropped", "caps.effective",
                                           "caps.added_entries", "caps.dropped_entries"});
  CHECK(to_display(d[0].live) == "NET_ADMIN");
  CHECK(d[0].declared.as_caps() == 0);
  CHECK(source_name(d[1].declared.span().file) == (p.dir / "compose.yaml").string());
  CHECK(d[1].declared.span().line == 6);
  // Where the values differ, the container keeps its own location.
  CHECK(source_name(at(service(c), "caps.added").span().file) == "h/containers/demo_web_1");
}

TEST_CASE("drift: the engine-decided rules hold only when the file is silent", "[engine]") {
  Project p;
  p.rewrite("    user: \"1000\"\n", "    user: \"1000\"\n    runtime: runc\n    cgroup: private\n");
  ContainerInput c = container_input("h", inspect_in("demo_db_1", p.dir.string()), true);
  REQUIRE(c.linked);
  std::vector<std::string> fields;
  for (const DriftItem& item : drift(service(c), c.declared, "demo")) fields.push_back(item.field);
  // The file now asks for a private cgroup namespace: the container's host one is drift.
  CHECK(fields == std::vector<std::string>{"namespaces.cgroup"});
}
