// The standard library on a compose project kept in a sensitive host folder (/root, /etc): the
// project's own relative bind mounts are not reported as sensitive host directories
// (CG-FS-003/004), a relative source that climbs out of the project is, and so are absolute
// paths. The project folder is given as --project-directory would give it.

#include <filesystem>
#include <fstream>
#include <random>

#include <catch2/catch.hpp>

#include "lang/compile/pipeline.hpp"
#include "runtime/documents/document_schema.hpp"
#include "runtime/documents/inputs.hpp"
#include "runtime/eval/evaluator.hpp"
#include "stdlib-policies/embedded.hpp"
#include "tests/unit/support/stdlib_program.hpp"

using namespace capguard;
namespace fs = std::filesystem;
using capguard::testing::stdlib_program;

namespace {

// Messages of the findings of `policy` when `compose` is checked as a project in `project_dir`.
std::vector<std::string> findings(const std::string& compose, const std::string& project_dir,
                                  const std::string& policy) {
  fs::path dir =
      fs::temp_directory_path() / ("capguard-project-" + std::to_string(std::random_device{}()));
  fs::create_directories(dir);
  std::ofstream(dir / "compose.yaml", std::ios::binary) << compose;
  Diagnostics diags;
  InputOptions options;
  options.project_dir = project_dir;
  LoadedInput in = load_input((dir / "compose.yaml").string(), options, diags);
  std::error_code ec;
  fs::remove_all(dir, ec);
  INFO(render(diags));
  REQUIRE(in.ok);
  const ir::Program& program = stdlib_program();
  std::vector<Value> params;
  for (const ir::Param& p : program.params) params.push_back(p.default_value);
  EvalResult result = evaluate(program, in.document, params, in.name);
  CHECK(result.errors.empty());
  std::vector<std::string> out;
  for (const Finding& f : result.findings) {
    if (f.policy == policy) out.emplace_back(f.message);
  }
  return out;
}

const char* const kCompose = R"(services:
  app:
    image: myapp:1.0
    volumes:
      - ./config:/app/config:ro
      - ./data:/data
      - .:/src
      - type: bind
        source: logs
        target: /logs
      - ../secrets:/secrets
      - /etc/shadow:/shadow:ro
)";

}  // namespace

TEST_CASE("stdlib: a project under /root reports only mounts outside the project") {
  std::vector<std::string> messages = findings(kCompose, "/root/app", "CG-FS-003");
  REQUIRE(messages.size() == 2);
  CHECK(messages[0] == "service app mounts the host's /root/secrets at /secrets (writable)");
  CHECK(messages[1] == "service app mounts the host's /etc/shadow at /shadow (read-only)");
}

TEST_CASE("stdlib: a project under /usr: its own read-only files are no CG-FS-004") {
  CHECK(findings(kCompose, "/usr/src/app", "CG-FS-004").empty());
  std::vector<std::string> denied = findings(kCompose, "/usr/src/app", "CG-FS-003");
  REQUIRE(denied.size() == 2);
  CHECK(denied[0] == "service app mounts the host's /usr/src/secrets at /secrets (writable)");
}

TEST_CASE("stdlib: the same project elsewhere reports only the absolute sensitive path") {
  std::vector<std::string> messages = findings(kCompose, "/srv/app", "CG-FS-003");
  REQUIRE(messages.size() == 1);
  CHECK(messages[0] == "service app mounts the host's /etc/shadow at /shadow (read-only)");
}
