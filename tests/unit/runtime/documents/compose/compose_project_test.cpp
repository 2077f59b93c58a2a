// Loading whole Compose projects: file discovery, overrides, .env and --env-file, the process
// environment, profiles, extension keys, errors.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include <catch2/catch.hpp>

#include "lang/core/diagnostics.hpp"
#include "runtime/documents/compose/project.hpp"
#include "tests/unit/support/temp_project.hpp"

using namespace capguard;
namespace fs = std::filesystem;
using capguard::testing::TempProject;

namespace {

std::string services_json(const std::optional<ComposeModel>& m) {
  REQUIRE(m);
  return to_json_text(*m->root.get("services"));
}

}  // namespace

TEST_CASE("no file named: compose.yaml plus the first override file of the folder") {
  TempProject p("discover");
  p.write("compose.yaml", "services:\n  web: {image: a, user: root}\n");
  p.write("docker-compose.yml", "services:\n  other: {image: ignored}\n");
  p.write("compose.override.yml", "services:\n  web: {user: app}\n");
  p.write("docker-compose.override.yaml", "services:\n  web: {user: ignored}\n");
  ComposeOptions o;
  o.project_dir = p.dir();
  o.use_process_env = false;
  Diagnostics d;
  auto m = load_compose(o, d);
  INFO(render(d));
  CHECK(services_json(m) == R"({"web":{"image":"a","user":"app"}})");
  REQUIRE(m->files.size() == 2);
  CHECK(fs::path(m->files[0]).filename() == "compose.yaml");
  CHECK(fs::path(m->files[1]).filename() == "compose.override.yml");
}

TEST_CASE("no file named: the legacy docker-compose names, with their override") {
  TempProject p("legacy");
  p.write("docker-compose.yaml", "services:\n  web: {image: a}\n");
  p.write("docker-compose.override.yml", "services:\n  web: {read_only: true}\n");
  ComposeOptions o;
  o.project_dir = p.dir();
  o.use_process_env = false;
  Diagnostics d;
  auto m = load_compose(o, d);
  CHECK(services_json(m) == R"({"web":{"image":"a","read_only":true}})");
  CHECK(m->files == std::vector<std::string>{p.dir() + "/docker-compose.yaml",
                                             p.dir() + "/docker-compose.override.yml"});
}

TEST_CASE("no compose file in the folder is an error naming it") {
  TempProject p("empty");
  ComposeOptions o;
  o.project_dir = p.dir();
  Diagnostics d;
  CHECK_FALSE(load_compose(o, d));
  CHECK(render(d) == p.dir() +
                         ": error: no compose file found (compose.yaml, compose.yml, "
                         "docker-compose.yml or docker-compose.yaml)\n");
}

TEST_CASE("-f files merge in order; spans point into each file") {
  TempProject p("files");
  std::string a = p.write("a.yaml", "services:\n  web:\n    image: a\n    cap_add: [CHOWN]\n");
  std::string b = p.write("b.yaml", "services:\n  web:\n    cap_add: [NET_ADMIN]\n");
  ComposeOptions o;
  o.files = {a, b};
  o.use_process_env = false;
  Diagnostics d;
  auto m = load_compose(o, d);
  CHECK(services_json(m) == R"({"web":{"image":"a","cap_add":["CHOWN","NET_ADMIN"]}})");
  const Value& added = m->root.get("services")->get("web")->get("cap_add")->as_list()[1];
  CHECK(location(added.span()) == b + ":3:15");
  CHECK(m->files == std::vector<std::string>{a, b});
}

TEST_CASE(".env of the project folder, overridden by the process environment") {
  TempProject p("dotenv");
  p.write(".env", "TAG=1.0\nUSER_ID=1000\n");
  std::string f = p.write("compose.yaml",
                          "services:\n  web:\n    image: \"nginx:${TAG}\"\n    user: ${USER_ID}\n"
                          "    privileged: ${CAPGUARD_TEST_PRIV:-false}\n");
  ComposeOptions o;
  o.files = {f};
  o.use_process_env = false;
  Diagnostics d;
  CHECK(services_json(load_compose(o, d)) ==
        R"({"web":{"image":"nginx:1.0","user":"1000","privileged":"false"}})");
  ::setenv("USER_ID", "0", 1);
  ::setenv("CAPGUARD_TEST_PRIV", "true", 1);
  o.use_process_env = true;
  CHECK(services_json(load_compose(o, d)) ==
        R"({"web":{"image":"nginx:1.0","user":"0","privileged":"true"}})");
  ::unsetenv("USER_ID");
  ::unsetenv("CAPGUARD_TEST_PRIV");
  CHECK_FALSE(d.has_errors());
}

TEST_CASE("--env-file replaces .env") {
  TempProject p("envfile");
  p.write(".env", "TAG=from-dotenv\nONLY_DOTENV=x\n");
  std::string e = p.write("prod.env", "TAG=from-prod\n");
  std::string f = p.write("compose.yaml",
                          "services:\n  web: {image: \"a:${TAG}\", user: \"${ONLY_DOTENV}\"}\n");
  ComposeOptions o;
  o.files = {f};
  o.env_files = {e};
  o.use_process_env = false;
  Diagnostics d;
  CHECK(services_json(load_compose(o, d)) == R"({"web":{"image":"a:from-prod","user":""}})");
  REQUIRE(d.all().size() == 1);
  CHECK(d.all()[0].level == DiagLevel::Warning);
  CHECK(location(d.all()[0].span) == f + ":2:34");
}

TEST_CASE("an unset required variable is an error at FILE:LINE:COL on that value only") {
  TempProject p("required");
  std::string f = p.write("compose.yaml",
                          "services:\n  web:\n    image: ${IMAGE:?set IMAGE}\n    privileged: "
                          "true\n  db:\n    image: postgres\n");
  ComposeOptions o;
  o.files = {f};
  o.use_process_env = false;
  Diagnostics d;
  auto m = load_compose(o, d);
  REQUIRE(m);
  CHECK(d.has_errors());
  CHECK(services_json(m) ==
        R"({"web":{"image":null,"privileged":true},"db":{"image":"postgres"}})");
  const Value* image = m->root.get("services")->get("web")->get("image");
  CHECK(m->unread.failed(image->span()));
  CHECK(render(d).rfind(f + ":3:12: error: required variable IMAGE is missing a value: set IMAGE",
                        0) == 0);
}

TEST_CASE("profiles: all services by default; active profiles restrict") {
  const std::string text =
      "services:\n  web: {image: a}\n  debug: {image: b, profiles: [debug]}\n"
      "  tools: {image: c, profiles: [tools, debug]}\n  ops: {image: d, profiles: [ops]}\n";
  Diagnostics d;
  auto all = load_compose_text("p.yaml", text, d);
  REQUIRE(all);
  CHECK(all->root.get("services")->as_map().size() == 4);
  ComposeOptions o;
  o.profiles = {"debug"};
  o.use_process_env = false;
  auto some = load_compose_text("p.yaml", text, o, d);
  REQUIRE(some);
  std::vector<std::string> names;
  for (const auto& e : some->root.get("services")->as_map()) names.push_back(e.first);
  CHECK(names == std::vector<std::string>{"web", "debug", "tools"});
}

TEST_CASE("x- extension keys are dropped at the top level and in services") {
  Diagnostics d;
  auto m = load_compose_text(
      "x.yaml", "x-common: &c {image: a}\nservices:\n  web:\n    <<: *c\n    x-note: hi\n  db:\n",
      d);
  REQUIRE(m);
  CHECK(to_json_text(m->root) == R"({"services":{"web":{"image":"a"},"db":{}}})");
}

TEST_CASE("load_compose_text uses no process environment") {
  ::setenv("CAPGUARD_TEST_SECRET", "leak", 1);
  Diagnostics d;
  auto m =
      load_compose_text("t.yaml", "services:\n  a: {image: \"x${CAPGUARD_TEST_SECRET}\"}\n", d);
  ::unsetenv("CAPGUARD_TEST_SECRET");
  CHECK(services_json(m) == R"({"a":{"image":"x"}})");
  CHECK(d.all().size() == 1);
}

TEST_CASE("top-level shape errors") {
  Diagnostics d;
  CHECK_FALSE(load_compose_text("l.yaml", "- a\n- b\n", d));
  CHECK(render(d).rfind("l.yaml:1:1: error: a compose file is a mapping at the top level, not a "
                        "list",
                        0) == 0);
  Diagnostics d2;
  CHECK_FALSE(load_compose_text("s.yaml", "services: [web]\n", d2));
  CHECK(location(d2.all().at(0).span) == "s.yaml:1:11");
  Diagnostics d3;
  CHECK_FALSE(load_compose_text("e.yaml", "# nothing\n", d3));
  CHECK(render(d3) == "e.yaml: error: the compose file is empty\n");
  Diagnostics d4;
  CHECK_FALSE(load_compose_text("y.yaml", "services:\n  web: {image: a\n", d4));
  CHECK(d4.error_count() == 1);
}

TEST_CASE("a missing -f file is an error naming it; the others are still read") {
  TempProject p("missing");
  std::string a = p.write("a.yaml", "services:\n  web:\n    image: a\n    image: b\n");
  ComposeOptions o;
  o.files = {a, p.dir() + "/nope.yaml"};
  o.use_process_env = false;
  Diagnostics d;
  CHECK_FALSE(load_compose(o, d));
  CHECK(d.error_count() == 2);
  CHECK(render(d).find(p.dir() + "/nope.yaml: error: no such file") != std::string::npos);
  CHECK(render(d).find("a.yaml:4:5: error: mapping key \"image\" already defined at line 3") !=
        std::string::npos);
}

TEST_CASE("fuzz: mutated compose texts load or fail with diagnostics, never throw") {
  const std::string seed_text =
      "x-a: &a {image: \"nginx:${TAG:-1}\", cap_add: [NET_ADMIN]}\ninclude: []\nservices:\n"
      "  base:\n    <<: *a\n    ports: !reset ['80:80', {target: 80}]\n"
      "    environment: [A=${B:-c}, D]\n  web:\n    extends: {service: base}\n"
      "    command: [\"$${X}\"]\n    profiles: [p]\n    healthcheck: {test: [CMD, x]}\n"
      "  db: {image: postgres, user: \"${U:?need}\", extends: web}\n";
  std::mt19937 rng(777);
  const std::string alphabet = "{}[]:,-&*!|>'\"#\n $<a1?%\\";
  ComposeOptions o;
  o.use_process_env = false;
  o.project_dir = "/nonexistent-capguard-fuzz";
  o.profiles = {"p"};
  for (int round = 0; round < 800; ++round) {
    std::string text = seed_text.substr(0, rng() % (seed_text.size() + 1));
    int mutations = static_cast<int>(rng() % 5);
    for (int m = 0; m < mutations && !text.empty(); ++m)
      text[rng() % text.size()] = alphabet[rng() % alphabet.size()];
    Diagnostics d;
    std::optional<ComposeModel> m;
    REQUIRE_NOTHROW(m = load_compose_text("f.yaml", text, o, d));
    if (!m) CHECK(d.has_errors());
    if (m) CHECK(m->root.get("services"));
  }
}
