// Finding a Compose project as docker compose v2 does when no -f is given (parent folders,
// COMPOSE_FILE, COMPOSE_PROFILES, COMPOSE_ENV_FILES, the two readings of .env), the environment
// a container gets from `environment: [KEY]`, and `~` in bind sources.
#include <cstdlib>
#include <optional>
#include <string>

#include <catch2/catch.hpp>

#include "lang/core/diagnostics.hpp"
#include "runtime/documents/compose/discovery.hpp"
#include "runtime/documents/compose/paths.hpp"
#include "runtime/documents/compose/project.hpp"
#include "tests/unit/support/temp_project.hpp"

using namespace capguard;
using capguard::testing::TempProject;

namespace {

std::string services_json(const std::optional<ComposeModel>& m) {
  REQUIRE(m);
  return to_json_text(*m->root.get("services"));
}

std::string environment_json(const std::optional<ComposeModel>& m, const std::string& service) {
  REQUIRE(m);
  const Value* env = m->root.get("services")->get(service)->get("environment");
  REQUIRE(env != nullptr);
  return to_json_text(*env);
}

// Sets a process variable for one scope, restoring the previous state after.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

ComposeOptions in_folder(const std::string& dir) {
  ComposeOptions o;
  o.working_dir = dir;
  o.use_process_env = false;
  return o;
}

}  // namespace

TEST_CASE("no compose file in the folder: the nearest parent folder that has one") {
  TempProject p("parents");
  p.write("compose.yaml", "services:\n  web: {image: \"a:${TAG}\"}\n");
  p.write("compose.override.yaml", "services:\n  web: {read_only: true}\n");
  p.write(".env", "TAG=from-project\n");
  p.write("sub/deeper/notes.txt", "not a compose file\n");
  ComposeOptions o = in_folder(p.dir() + "/sub/deeper");
  o.search_parent_folders = true;
  Diagnostics d;
  auto m = load_compose(o, d);
  INFO(render(d));
  // The project folder is the found file's: its .env is read and paths resolve there.
  CHECK(services_json(m) == R"({"web":{"image":"a:from-project","read_only":true}})");
  CHECK(m->files ==
        std::vector<std::string>{p.dir() + "/compose.yaml", p.dir() + "/compose.override.yaml"});
  CHECK(m->project_dir == p.dir());

  // Not asked to look upward (a folder named on the command line): an error naming it.
  Diagnostics d2;
  CHECK_FALSE(load_compose(in_folder(p.dir() + "/sub/deeper"), d2));
  CHECK(render(d2).find(p.dir() + "/sub/deeper: error: no compose file found (") == 0);
  o.working_dir = "/";
  Diagnostics d3;
  CHECK_FALSE(load_compose(o, d3));  // the root has none, and no parent: stops
  CHECK(render(d3).find("no compose file found here or in a parent folder") != std::string::npos);
}

TEST_CASE("the working folder's .env is read first; the project folder's adds unset keys") {
  TempProject p("two-env");
  p.write("compose.yaml", "services:\n  web: {image: \"${A}-${B}\"}\n");
  p.write(".env", "A=project\nB=project\n");
  p.write("sub/.env", "A=working\n");
  ComposeOptions o = in_folder(p.dir() + "/sub");
  o.search_parent_folders = true;
  Diagnostics d;
  CHECK(services_json(load_compose(o, d)) == R"({"web":{"image":"working-project"}})");
}

TEST_CASE("several supported names: the first, with docker compose's warning for each list") {
  TempProject p("multi");
  p.write("compose.yml", "services:\n  web: {image: a}\n");
  p.write("docker-compose.yaml", "services:\n  other: {image: ignored}\n");
  p.write("compose.override.yaml", "services:\n  web: {user: app}\n");
  p.write("docker-compose.override.yml", "services:\n  web: {user: ignored}\n");
  Diagnostics d;
  auto m = load_compose(in_folder(p.dir()), d);
  CHECK(services_json(m) == R"({"web":{"image":"a","user":"app"}})");
  REQUIRE(d.all().size() == 2);
  CHECK(d.all()[0].level == DiagLevel::Warning);
  CHECK(d.all()[0].message.find("found multiple config files with supported names: " + p.dir() +
                                "/compose.yml, " + p.dir() + "/docker-compose.yaml; using " +
                                p.dir() + "/compose.yml") == 0);
  CHECK(d.all()[1].message.find("found multiple override files") == 0);
}

TEST_CASE("COMPOSE_FILE from the folder's .env: files merged, relative to the folder") {
  TempProject p("compose-file");
  p.write("deploy/base.yaml", "services:\n  web: {image: \"a:${TAG}\", cap_add: [CHOWN]}\n");
  p.write("deploy/prod.yaml", "services:\n  web: {read_only: true}\n");
  p.write("deploy/.env", "TAG=deploy\n");
  p.write("compose.yaml", "services:\n  ignored: {image: x}\n");
  p.write(".env", "COMPOSE_FILE=deploy/base.yaml:deploy/prod.yaml\n");
  Diagnostics d;
  auto m = load_compose(in_folder(p.dir()), d);
  INFO(render(d));
  // The project folder is the first file's: deploy/.env is read the second time round.
  CHECK(services_json(m) == R"({"web":{"image":"a:deploy","cap_add":["CHOWN"],"read_only":true}})");
  CHECK(m->project_dir == p.dir() + "/deploy");

  SECTION("COMPOSE_PATH_SEPARATOR changes the separator") {
    p.write(".env", "COMPOSE_PATH_SEPARATOR=;\nCOMPOSE_FILE=deploy/prod.yaml;deploy/base.yaml\n");
    Diagnostics d2;
    CHECK(services_json(load_compose(in_folder(p.dir()), d2)) ==
          R"({"web":{"read_only":true,"image":"a:deploy","cap_add":["CHOWN"]}})");
  }
  SECTION("-f wins over COMPOSE_FILE") {
    ComposeOptions o = in_folder(p.dir());
    o.files = {p.dir() + "/compose.yaml"};
    Diagnostics d2;
    CHECK(services_json(load_compose(o, d2)) == R"({"ignored":{"image":"x"}})");
  }
  SECTION("a missing entry and an empty entry are errors naming them") {
    p.write(".env", "COMPOSE_FILE=deploy/base.yaml:nope.yaml::\n");
    Diagnostics d2;
    CHECK_FALSE(load_compose(in_folder(p.dir()), d2));
    std::string text = render(d2);
    CHECK(text.find(p.dir() + "/nope.yaml: error: compose file named by COMPOSE_FILE not found") !=
          std::string::npos);
    CHECK(text.find("has an empty entry") != std::string::npos);
    CHECK(d2.error_count() == 3);
  }
}

TEST_CASE("COMPOSE_FILE and COMPOSE_ENV_FILES from the process environment") {
  TempProject p("process-vars");
  p.write("one.yaml", "services:\n  one: {image: \"a:${TAG}\"}\n");
  p.write(".env", "TAG=dotenv\n");
  p.write("vars.env", "TAG=vars\n");
  ScopedEnv file("COMPOSE_FILE", "one.yaml");
  ComposeOptions o = in_folder(p.dir());
  o.use_process_env = true;
  Diagnostics d;
  CHECK(services_json(load_compose(o, d)) == R"({"one":{"image":"a:dotenv"}})");
  {
    ScopedEnv files("COMPOSE_ENV_FILES", (p.dir() + "/vars.env").c_str());
    Diagnostics d2;
    CHECK(services_json(load_compose(o, d2)) == R"({"one":{"image":"a:vars"}})");
  }
  {
    ScopedEnv off("COMPOSE_DISABLE_ENV_FILE", "true");
    Diagnostics d2;
    CHECK(services_json(load_compose(o, d2)) == R"({"one":{"image":"a:"}})");
  }
  {
    ScopedEnv bad("COMPOSE_DISABLE_ENV_FILE", "yes");
    Diagnostics d2;
    load_compose(o, d2);  // the project is still loaded, so that it is still checked
    CHECK(d2.has_errors());
    CHECK(render(d2).find("COMPOSE_DISABLE_ENV_FILE=\"yes\" is not a boolean") !=
          std::string::npos);
  }
}

TEST_CASE("COMPOSE_PROFILES chooses the profiles unless --profile is given") {
  TempProject p("profiles");
  p.write("compose.yaml",
          "services:\n  web: {image: a}\n  debug: {image: b, profiles: [debug]}\n"
          "  tools: {image: c, profiles: [tools]}\n");
  p.write(".env", "COMPOSE_PROFILES= debug , ,other\n");
  Diagnostics d;
  CHECK(services_json(load_compose(in_folder(p.dir()), d)) ==
        R"({"web":{"image":"a"},"debug":{"image":"b","profiles":["debug"]}})");
  ComposeOptions o = in_folder(p.dir());
  o.profiles = {"tools"};
  CHECK(services_json(load_compose(o, d)) ==
        R"({"web":{"image":"a"},"tools":{"image":"c","profiles":["tools"]}})");
  CHECK(split_profiles(" a,b ,,c") == std::vector<std::string>{"a", "b", "c"});
  CHECK(split_profiles("").empty());
}

TEST_CASE("environment: a bare KEY takes the project's value, or is left out") {
  TempProject p("environment");
  p.write("compose.yaml", R"(services:
  list:
    image: a
    environment: [FROM_DOT_ENV, CAPGUARD_TEST_FROM_PROCESS, CAPGUARD_TEST_UNSET, "SET=x", "EMPTY="]
  map:
    image: a
    environment:
      FROM_DOT_ENV:
      CAPGUARD_TEST_UNSET: null
      NUMBER: 3
)");
  p.write(".env", "FROM_DOT_ENV=dot\n");
  ScopedEnv set("CAPGUARD_TEST_FROM_PROCESS", "proc");
  ScopedEnv unset("CAPGUARD_TEST_UNSET", nullptr);
  ComposeOptions o = in_folder(p.dir());
  o.use_process_env = true;
  Diagnostics d;
  auto m = load_compose(o, d);
  INFO(render(d));
  CHECK(environment_json(m, "list") ==
        R"({"FROM_DOT_ENV":"dot","CAPGUARD_TEST_FROM_PROCESS":"proc","SET":"x","EMPTY":""})");
  CHECK(environment_json(m, "map") == R"({"FROM_DOT_ENV":"dot","NUMBER":3})");
  // The value points at the entry that named the variable.
  const Value* v = m->root.get("services")->get("list")->get("environment")->get("FROM_DOT_ENV");
  CHECK(v->span().line == 4);

  // Inline text reads no variables at all: every bare KEY is left out.
  Diagnostics d2;
  auto inline_model =
      load_compose_text("t.yaml", "services:\n  a: {image: x, environment: [HOME, A=1]}\n", d2);
  CHECK(environment_json(inline_model, "a") == R"({"A":"1"})");
}

TEST_CASE("~ in bind sources is the process's HOME, as compose-go expands it") {
  TempProject p("home");
  p.write("compose.yaml", R"(services:
  web:
    image: a
    volumes:
      - ~/.ssh:/root/.ssh:ro
      - ~:/home
      - {type: bind, source: ~/data/../cache/, target: /cache}
      - {type: volume, source: named, target: /named}
      - ./local:/local
)");
  ScopedEnv home("HOME", "/home/tester");
  ComposeOptions o = in_folder(p.dir());
  o.use_process_env = true;
  Diagnostics d;
  auto m = load_compose(o, d);
  CHECK(to_json_text(*m->root.get("services")->get("web")->get("volumes")) ==
        R"(["/home/tester/.ssh:/root/.ssh:ro","/home/tester:/home",)"
        R"({"type":"bind","source":"/home/tester/cache","target":"/cache"},)"
        R"({"type":"volume","source":"named","target":"/named"},"./local:/local"])");
  // Without the process environment (or with HOME unset) `~` stays as written.
  o.use_process_env = false;
  Diagnostics d2;
  auto kept = load_compose(o, d2);
  CHECK(to_json_text(kept->root.get("services")->get("web")->get("volumes")->as_list()[0]) ==
        R"("~/.ssh:/root/.ssh:ro")");
  // Go's filepath.Join: "~user" is HOME/user, not user's home.
  CHECK(expand_home("~other/x", "/home/tester") == "/home/tester/other/x");
  CHECK(expand_home("/abs/~", "/home/tester") == "/abs/~");
}

TEST_CASE("split_compose_file keeps empty entries") {
  CHECK(split_compose_file("a.yml:b.yml", ":") == std::vector<std::string>{"a.yml", "b.yml"});
  CHECK(split_compose_file("a::b", ":") == std::vector<std::string>{"a", "", "b"});
  CHECK(split_compose_file("a.yml", ";") == std::vector<std::string>{"a.yml"});
}
