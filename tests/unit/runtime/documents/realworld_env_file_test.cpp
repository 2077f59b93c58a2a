// A service's env_file folded into its environment, as docker compose does (immich, nextcloud,
// authentik and docker-mailserver examples all keep their settings in env files).
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "lang/core/diagnostics.hpp"
#include "runtime/documents/compose/project.hpp"

using namespace capguard;
namespace fs = std::filesystem;

namespace {

class EnvFileProject {
 public:
  explicit EnvFileProject(const std::string& name) {
    dir_ = (fs::temp_directory_path() / ("capguard-realworld-" + name + "-" +
                                         std::to_string(reinterpret_cast<uintptr_t>(this))))
               .string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~EnvFileProject() { fs::remove_all(dir_); }
  void write(const std::string& rel, const std::string& text) const {
    std::ofstream(fs::path(dir_) / rel) << text;
  }
  std::optional<ComposeModel> load(Diagnostics& diags) const {
    ComposeOptions options;
    options.project_dir = dir_;
    options.use_process_env = false;
    return load_compose(options, diags);
  }

 private:
  std::string dir_;
};

const Value& environment_of(const ComposeModel& model, const std::string& service) {
  return *model.root.get("services")->get(service)->get("environment");
}

}  // namespace

TEST_CASE("env_file: variables join the environment; environment entries win") {
  EnvFileProject p("merge");
  p.write("compose.yaml", R"(services:
  app:
    image: x
    env_file:
      - base.env
      - path: extra.env
      - path: optional.env
        required: false
    environment:
      - MODE=debug
      - TOKEN
      - FROM_DOT_ENV
  db:
    image: y
    env_file: db.env
)");
  p.write("extra.env", "TOKEN=def\n");
  p.write("db.env", "POSTGRES_PASSWORD=secret\n");
  p.write("base.env",
          "# settings\nMODE=production\nTOKEN=abc\nexport API_KEY=${SUFFIX}-key\n"
          "FROM_DOT_ENV=file\n");
  p.write(".env", "SUFFIX=s1\nFROM_DOT_ENV=project\n");
  Diagnostics diags;
  auto model = p.load(diags);
  INFO(render(diags));
  REQUIRE(model);
  const Value& app = environment_of(*model, "app");
  REQUIRE(app.is_map());
  CHECK(app.get("MODE")->as_string() == "debug");  // environment beats the file
  // A bare TOKEN set nowhere is passed to Docker as "TOKEN", which unsets it: the files' value
  // is gone too (compose-go's OverrideBy, then the daemon).
  CHECK(app.get("TOKEN") == nullptr);
  // A bare key set in the project's variables takes that value, over the files'.
  CHECK(app.get("FROM_DOT_ENV")->as_string() == "project");
  CHECK(source_name(app.get("FROM_DOT_ENV")->span().file).find("compose.yaml") !=
        std::string::npos);
  CHECK(app.get("API_KEY")->as_string() == "s1-key");
  // A file's variable points at its line in that file.
  Span span = app.get("MODE")->span();
  CHECK(source_name(span.file).find("compose.yaml") != std::string::npos);
  CHECK(app.get("API_KEY")->span().line == 4);
  CHECK(source_name(app.get("API_KEY")->span().file).find("base.env") != std::string::npos);
  CHECK(app.get("API_KEY")->span().line == 4);
  const Value& db = environment_of(*model, "db");
  CHECK(db.get("POSTGRES_PASSWORD")->as_string() == "secret");
}

TEST_CASE("env_file: a missing required file is a warning at its entry, the service stays") {
  // Repositories seldom commit their env files; the rest of the project is still checked.
  EnvFileProject p("missing");
  p.write("compose.yaml",
          "services:\n  app:\n    image: x\n    env_file: nope.env\n    environment: {A: b}\n"
          "  other:\n    image: y\n    env_file: [{path: gone.env, required: false}]\n");
  Diagnostics diags;
  auto model = p.load(diags);
  REQUIRE(model);
  CHECK(diags.error_count() == 0);
  std::string text = render(diags);
  CHECK(text.find("compose.yaml:4:15: warning: env file") != std::string::npos);
  CHECK(text.find("nope.env not found") != std::string::npos);
  CHECK(text.find("gone.env") == std::string::npos);  // not required: silent
  CHECK(environment_of(*model, "app").get("A")->as_string() == "b");
}
