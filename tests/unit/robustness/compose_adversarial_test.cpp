// Compose inputs end to end: load, interpolate, extends, include, normalize, then the standard
// library evaluated on the result. Bad inputs are located errors; the stdlib never crashes on
// what a mutated compose file normalizes to; limits hold for extends chains and include cycles.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "lang/compile/pipeline.hpp"
#include "runtime/documents/document_schema.hpp"
#include "runtime/documents/inputs.hpp"
#include "runtime/eval/evaluator.hpp"
#include "stdlib-policies/embedded.hpp"
#include "tests/unit/robustness/robustness_support.hpp"
#include "tests/unit/support/stdlib_program.hpp"

using namespace capguard;
namespace fs = std::filesystem;
using capguard::testing::stdlib_program;

namespace {

// A fresh temporary folder, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() /
           ("capguard-robustness-" + std::to_string(std::random_device{}()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return (path / name).string();
  }
};

}  // namespace

TEST_CASE("mutated example projects: load with located errors or evaluate the stdlib cleanly") {
  const ir::Program& program = stdlib_program();
  std::vector<Value> params;
  for (const ir::Param& p : program.params) params.push_back(p.default_value);
  std::vector<std::string> seeds = robustness::corpus("examples", ".yaml");
  REQUIRE(!seeds.empty());
  const std::vector<std::string> tokens = {"privileged: true\n    ",
                                           "cap_add: [ALL]\n    ",
                                           "user: root\n    ",
                                           "${X:-1}",
                                           "${Y:?need}",
                                           "$$",
                                           "ports: ['0-65535:0-65535']\n    ",
                                           "extends: web\n    ",
                                           "network_mode: host\n    ",
                                           "volumes: ['/:/host']\n    ",
                                           "mem_limit: 99999999999999g\n    ",
                                           "[",
                                           "{",
                                           ": ",
                                           "- ",
                                           "*a",
                                           "&a ",
                                           "\n",
                                           "null",
                                           "-1",
                                           "1e400",
                                           "\xff"};
  std::mt19937 rng(7);
  size_t evaluated = 0, failed = 0;
  for (int i = 0; i < 300; ++i) {
    std::string text = robustness::mutate(seeds[size_t(i) % seeds.size()], rng, tokens, 1 + i % 6);
    Diagnostics diags;
    LoadedInput in = load_input_text("m.yaml", text, InputFormat::Auto, diags);
    REQUIRE(robustness::all_errors_located(diags));
    if (!in.ok) {
      REQUIRE(diags.has_errors());
      ++failed;
      continue;
    }
    EvalOptions options;
    options.step_budget = 2'000'000;
    EvalResult result = evaluate(program, in.document, params, in.name, options);
    for (const EvalError& e : result.errors) {
      // A runtime error names its policy; it is reported, never a crash.
      REQUIRE(!e.policy.empty());
      REQUIRE(!e.message.empty());
    }
    ++evaluated;
  }
  // The mutator makes both kinds, so both paths were exercised.
  CHECK(evaluated > 20);
  CHECK(failed > 20);
}

TEST_CASE("an extends chain 1000 long resolves; a 1001-long cycle is one error") {
  std::string chain = "services:\n  s0: {image: nginx:1.27, privileged: true}\n";
  for (int i = 1; i <= 1000; ++i) {
    chain += "  s" + std::to_string(i) + ": {extends: s" + std::to_string(i - 1) + "}\n";
  }
  Diagnostics diags;
  LoadedInput in = load_input_text("chain.yaml", chain, InputFormat::Compose, diags);
  INFO(render(diags));
  REQUIRE(in.ok);
  const Value* services = in.document.get("services");
  REQUIRE(services);
  CHECK(services->as_list().size() == 1001);

  std::string cycle = "services:\n  s0: {image: nginx:1.27, extends: s1000}\n";
  for (int i = 1; i <= 1000; ++i) {
    cycle += "  s" + std::to_string(i) + ": {extends: s" + std::to_string(i - 1) + "}\n";
  }
  Diagnostics cycle_diags;
  LoadedInput bad = load_input_text("cycle.yaml", cycle, InputFormat::Compose, cycle_diags);
  CHECK_FALSE(bad.ok);
  REQUIRE(cycle_diags.error_count() >= 1);
  CHECK(render(cycle_diags).rfind("cycle.yaml:", 0) == 0);
  CHECK(render(cycle_diags).find("extends cycle") != std::string::npos);
}

TEST_CASE("a file extends chain longer than the file limit stops with a located error") {
  TempDir dir;
  for (int i = 1; i <= 300; ++i) {
    dir.write(
        "f" + std::to_string(i) + ".yaml",
        "services:\n  s:\n    extends: {file: f" + std::to_string(i + 1) + ".yaml, service: s}\n");
  }
  dir.write("f301.yaml", "services:\n  s: {image: nginx:1.27}\n");
  Diagnostics diags;
  LoadedInput in = load_input((dir.path / "f1.yaml").string(), InputOptions{}, diags);
  CHECK_FALSE(in.ok);
  CHECK(robustness::all_errors_located(diags));
  CHECK(render(diags).find("more than 256 compose files loaded for one project") !=
        std::string::npos);
}

TEST_CASE("an include cycle is an error; the other inputs of the run still load") {
  TempDir dir;
  std::string a = dir.write("a.yaml", "include: [b.yaml]\nservices:\n  a: {image: nginx:1.27}\n");
  dir.write("b.yaml", "include: [a.yaml]\nservices:\n  b: {image: nginx:1.27}\n");
  std::string ok = dir.write("ok.yaml", "services:\n  web: {image: nginx:1.27}\n");
  std::string folder = (dir.path / "sub").string();
  fs::create_directories(folder);
  Diagnostics diags;
  std::vector<LoadedInput> inputs = load_inputs({}, {a, folder, ok}, InputOptions{}, diags);
  REQUIRE(inputs.size() == 3);
  CHECK_FALSE(inputs[0].ok);
  CHECK_FALSE(inputs[1].ok);
  CHECK(inputs[2].ok);
  CHECK(robustness::all_errors_located(diags));
  std::string text = render(diags);
  CHECK(text.find("include cycle") != std::string::npos);
  CHECK(text.find("sub: error: no compose file found") != std::string::npos);
}

TEST_CASE("inputs that are not files: a missing path, a folder as -f, /dev/null, a huge file") {
  TempDir dir;
  Diagnostics diags;
  LoadedInput missing = load_input_files({(dir.path / "none.yaml").string()}, {}, diags);
  CHECK_FALSE(missing.ok);
  LoadedInput folder = load_input_files({dir.path.string()}, {}, diags);
  CHECK_FALSE(folder.ok);
  LoadedInput empty = load_input("/dev/null", {}, diags);
  CHECK_FALSE(empty.ok);
  // 65 MiB of comments: refused on size before parsing, naming the file.
  std::string big = dir.write("big.yaml", std::string(65u << 20, '#'));
  Diagnostics big_diags;
  LoadedInput huge = load_input(big, {}, big_diags);
  CHECK_FALSE(huge.ok);
  CHECK(render(big_diags) == big +
                                 ": error: file is larger than the limit of 67108864 bytes, 64 "
                                 "MiB (CAPGUARD_MAX_INPUT_BYTES sets it)\n");
  INFO(render(diags));
  CHECK(robustness::all_errors_located(diags));
  CHECK(diags.error_count() >= 3);
}
