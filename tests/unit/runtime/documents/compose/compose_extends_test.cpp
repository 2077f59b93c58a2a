// `extends` (same file, other file, chains, cycles, missing) and `include`.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "lang/core/diagnostics.hpp"
#include "runtime/documents/compose/project.hpp"
#include "tests/unit/support/temp_project.hpp"

using namespace capguard;
namespace fs = std::filesystem;
using capguard::testing::TempProject;

namespace {

std::optional<ComposeModel> load(const std::string& file, Diagnostics& d) {
  ComposeOptions o;
  o.files = {file};
  o.use_process_env = false;
  return load_compose(o, d);
}

std::string service(const std::optional<ComposeModel>& m, const std::string& name) {
  REQUIRE(m);
  const Value* s = m->root.get("services")->get(name);
  REQUIRE(s);
  return to_json_text(*s);
}

}  // namespace

TEST_CASE("extends in the same file, short and long form, chained") {
  Diagnostics d;
  auto m =
      load_compose_text("e.yaml",
                        "services:\n  base:\n    image: a\n    cap_add: [CHOWN]\n    command: [x]\n"
                        "  mid:\n    extends: base\n    cap_add: [NET_ADMIN]\n"
                        "  top:\n    extends: {service: mid}\n    command: [y]\n    user: app\n",
                        d);
  INFO(render(d));
  CHECK(service(m, "mid") == R"({"image":"a","cap_add":["CHOWN","NET_ADMIN"],"command":["x"]})");
  CHECK(service(m, "top") ==
        R"({"image":"a","cap_add":["CHOWN","NET_ADMIN"],"command":["y"],"user":"app"})");
  // Inherited values point at the base service's lines.
  CHECK(m->root.get("services")->get("top")->get("image")->span().line == 3);
}

TEST_CASE("extends from another file, relative to the extending file's folder") {
  TempProject p("file");
  p.write("common/base.yaml",
          "services:\n  hardened:\n    extends: {service: root}\n    read_only: true\n"
          "  root:\n    cap_drop: [ALL]\n    volumes: ['./data:/data', 'named:/n', {type: bind, "
          "source: ../logs, target: /logs}]\n    build: .\n    env_file: [common.env]\n");
  std::string f = p.write("app/compose.yaml",
                          "services:\n  web:\n    extends:\n      file: ../common/base.yaml\n"
                          "      service: hardened\n    image: nginx\n");
  Diagnostics d;
  auto m = load(f, d);
  INFO(render(d));
  std::string common = p.dir() + "/common";
  CHECK(service(m, "web") == R"({"cap_drop":["ALL"],"volumes":[")" + common +
                                 R"(/data:/data","named:/n",)" + R"({"type":"bind","source":")" +
                                 p.dir() + R"(/logs","target":"/logs"}],)" + R"("build":")" +
                                 common + R"(","env_file":[")" + common + R"(/common.env"],)" +
                                 R"("read_only":true,"image":"nginx"})");
  CHECK(source_name(m->root.get("services")->get("web")->get("read_only")->span().file) ==
        p.dir() + "/common/base.yaml");
}

TEST_CASE("extends cycles are errors") {
  Diagnostics d;
  auto m = load_compose_text(
      "c.yaml", "services:\n  a:\n    extends: b\n  b:\n    extends: {service: a}\n", d);
  CHECK_FALSE(m);
  REQUIRE(d.has_errors());
  CHECK(render(d).rfind("c.yaml:5:14: error: extends cycle: a -> b -> a", 0) == 0);
  Diagnostics d2;
  CHECK_FALSE(load_compose_text("s.yaml", "services:\n  a:\n    extends: a\n", d2));
  CHECK(render(d2).rfind("s.yaml:3:14: error: extends cycle: a -> a", 0) == 0);
}

TEST_CASE("extends of a missing service or file names FILE:LINE:COL") {
  Diagnostics d;
  CHECK_FALSE(load_compose_text("m.yaml", "services:\n  a:\n    extends: nope\n", d));
  CHECK(render(d).rfind("m.yaml:3:14: error: service \"a\" extends \"nope\", which is not defined",
                        0) == 0);
  TempProject p("missing");
  std::string f =
      p.write("compose.yaml", "services:\n  a:\n    extends: {file: other.yaml, service: x}\n");
  Diagnostics d2;
  CHECK_FALSE(load(f, d2));
  INFO(render(d2));
  CHECK(render(d2).rfind(f + ":3:21: error: file \"" + p.dir() + "/other.yaml\" not found", 0) ==
        0);
  p.write("other.yaml", "services:\n  y: {image: a}\n");
  Diagnostics d3;
  CHECK_FALSE(load(f, d3));
  CHECK(render(d3).rfind(
            f + ":3:14: error: service \"a\" extends \"x\", which is not defined in \"other.yaml\"",
            0) == 0);
}

TEST_CASE("extends applies after -f merging, with the merge rules") {
  TempProject p("merged");
  std::string a = p.write(
      "a.yaml", "services:\n  base: {image: a, ports: ['80:80']}\n  web: {extends: base}\n");
  std::string b = p.write("b.yaml", "services:\n  web:\n    ports: ['80:80', '443:443']\n");
  ComposeOptions o;
  o.files = {a, b};
  o.use_process_env = false;
  Diagnostics d;
  auto m = load_compose(o, d);
  INFO(render(d));
  CHECK(service(m, "web") == R"({"image":"a","ports":["80:80","443:443"]})");
}

TEST_CASE("include: short and long form, own .env, relative paths") {
  TempProject p("include");
  p.write("db/.env", "DB_TAG=16\n");
  // The including project's variables win over an included project's own.
  p.write(".env", "R_TAG=from-parent\nWEB_TAG=1.27\n");
  p.write("db/compose.yaml",
          "services:\n  db: {image: \"postgres:${DB_TAG}\"}\nvolumes:\n  data: {}\n");
  p.write("cache/compose.yaml",
          "services:\n  cache: {image: \"redis:${R_TAG}\", volumes: ['./conf:/etc/redis']}\n"
          "secrets:\n  pw: {file: ./pw.txt}\n");
  p.write("cache/r.env", "R_TAG=7\n");
  // Variables of the including project reach the included one.
  p.write("cache/extra.yaml", "services:\n  side: {image: \"side:${WEB_TAG}\"}\n");
  std::string f = p.write("compose.yaml",
                          "include:\n  - db/compose.yaml\n  - path: cache/compose.yaml\n"
                          "    env_file: cache/r.env\n  - cache/extra.yaml\n"
                          "services:\n  web: {image: nginx}\n"
                          "  web2: {image: \"nginx:${WEB_TAG}\"}\n");
  Diagnostics d;
  auto m = load(f, d);
  INFO(render(d));
  REQUIRE(m);
  CHECK(to_json_text(m->root) ==
        R"({"services":{"web":{"image":"nginx"},"web2":{"image":"nginx:1.27"},)"
        R"("db":{"image":"postgres:16"},)"
        R"("cache":{"image":"redis:from-parent","volumes":[")" +
            p.dir() + R"(/cache/conf:/etc/redis"]},"side":{"image":"side:1.27"}},)" +
            R"("volumes":{"data":{}},"secrets":{"pw":{"file":")" + p.dir() +
            R"(/cache/pw.txt"}}})");
}

TEST_CASE("include: missing file, cycle and conflicting service are errors") {
  TempProject p("include-errors");
  std::string f = p.write("compose.yaml", "include:\n  - nope.yaml\nservices: {}\n");
  Diagnostics d;
  CHECK_FALSE(load(f, d));
  CHECK(render(d).rfind(f + ":2:5: error: file \"" + p.dir() + "/nope.yaml\" not found", 0) == 0);

  std::string a = p.write("a.yaml", "include: [b.yaml]\nservices: {a: {image: a}}\n");
  p.write("b.yaml", "include: [a.yaml]\nservices: {b: {image: b}}\n");
  Diagnostics d2;
  CHECK_FALSE(load(a, d2));
  CHECK(render(d2).find("error: include cycle: ") != std::string::npos);

  p.write("web.yaml", "services:\n  web: {image: a}\n");
  std::string c = p.write("c.yaml", "include: [web.yaml]\nservices:\n  web:\n    image: b\n");
  Diagnostics d3;
  CHECK_FALSE(load(c, d3));
  CHECK(render(d3).rfind(c +
                             ":4:5: error: services \"web\" conflicts with the one imported by "
                             "include at " +
                             c + ":1:11",
                         0) == 0);
}

TEST_CASE("include: several paths merged in order, project_directory for .env and paths") {
  TempProject p("include-long");
  p.write("proj/.env", "TAG=from-project-dir\n");
  p.write("parts/base.yaml", "services:\n  api: {image: \"api:${TAG}\", cap_add: [CHOWN]}\n");
  p.write("parts/extra.yaml",
          "services:\n  api: {cap_add: [NET_ADMIN], volumes: ['./state:/state']}\n");
  std::string f = p.write("compose.yaml",
                          "include:\n  - path: [parts/base.yaml, parts/extra.yaml]\n"
                          "    project_directory: proj\nservices: {}\n");
  Diagnostics d;
  auto m = load(f, d);
  INFO(render(d));
  CHECK(service(m, "api") == R"({"image":"api:from-project-dir","cap_add":["CHOWN","NET_ADMIN"],)"
                             R"("volumes":[")" +
                                 p.dir() + R"(/proj/state:/state"]})");
}

TEST_CASE("include: a malformed entry is an error at it") {
  Diagnostics d;
  CHECK_FALSE(load_compose_text("i.yaml", "include:\n  - {env_file: x.env}\nservices: {}\n", d));
  CHECK(render(d).rfind("i.yaml:2:5: error: an include entry is a path or a mapping with `path`",
                        0) == 0);
  Diagnostics d2;
  CHECK_FALSE(load_compose_text("j.yaml", "include: nope.yaml\nservices: {}\n", d2));
  CHECK(render(d2).rfind("j.yaml:1:10: error: `include` is a list of paths or include mappings",
                         0) == 0);
}

TEST_CASE("include: the same file reached twice (a diamond) is not a conflict") {
  TempProject p("diamond");
  p.write("d.yaml", "services:\n  shared: {image: s}\n");
  p.write("b.yaml", "include: [d.yaml]\nservices:\n  b: {image: b}\n");
  p.write("c.yaml", "include: [d.yaml]\nservices:\n  c: {image: c}\n");
  std::string a = p.write("a.yaml", "include: [b.yaml, c.yaml]\nservices:\n  a: {image: a}\n");
  Diagnostics d;
  auto m = load(a, d);
  INFO(render(d));
  REQUIRE(m);
  std::vector<std::string> names;
  for (const auto& e : m->root.get("services")->as_map()) names.push_back(e.first);
  CHECK(names == std::vector<std::string>{"a", "b", "shared", "c"});
}

TEST_CASE("include: repeated inclusion is bounded") {
  TempProject p("include-bomb");
  p.write("l9.yaml", "services: {}\n");
  for (int level = 8; level >= 0; --level) {
    std::string next = "l" + std::to_string(level + 1) + ".yaml";
    p.write("l" + std::to_string(level) + ".yaml",
            "include: [" + next + ", " + next + ", " + next + "]\nservices: {}\n");
  }
  Diagnostics d;
  CHECK_FALSE(load(p.dir() + "/l0.yaml", d));
  CHECK(render(d).find("more than 256 compose files loaded for one project") != std::string::npos);
  CHECK(d.error_count() < 20);
}
