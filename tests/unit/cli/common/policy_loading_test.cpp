#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <map>

#include "cli/common/policy_loading.hpp"
#include "tests/unit/support/temp_project.hpp"

using namespace capguard;
using namespace capguard::cli;
namespace fs = std::filesystem;

namespace {

PolicyMetadata policy(std::string id, std::vector<std::string> tags) {
  PolicyMetadata p;
  p.id = std::move(id);
  p.tags = std::move(tags);
  return p;
}

}  // namespace

TEST_CASE("selection by preset, ids and tags") {
  std::vector<PolicyMetadata> ps = {policy("A-1", {"baseline", "caps"}),
                                    policy("A-2", {"restricted", "caps"}),
                                    policy("B-1", {"restricted", "network"}), policy("C-1", {})};
  Diagnostics diags;
  using V = std::vector<size_t>;
  CHECK(select_policies(ps, std::nullopt, {}, {}, diags) == V{0, 1, 2, 3});
  CHECK(select_policies(ps, std::string("baseline"), {}, {}, diags) == V{0});
  CHECK(select_policies(ps, std::string("restricted"), {}, {}, diags) == V{0, 1, 2});
  CHECK(select_policies(ps, std::nullopt, {"caps", "C-1"}, {}, diags) == V{0, 1, 3});
  CHECK(select_policies(ps, std::nullopt, {"caps"}, {"A-2"}, diags) == V{0});
  CHECK(select_policies(ps, std::nullopt, {}, {"restricted"}, diags) == V{0, 3});
  CHECK(diags.empty());
  select_policies(ps, std::nullopt, {"A-3"}, {"netwrk"}, diags);
  REQUIRE(diags.error_count() == 2);
  CHECK(diags.all()[0].message == "no policy id or tag `A-3`; did you mean `A-1`?");
  CHECK(diags.all()[0].file_name == "--only");
  CHECK(diags.all()[1].message == "no policy id or tag `netwrk`; did you mean `network`?");
}

TEST_CASE("policy folders are searched recursively, test files excluded, sorted") {
  fs::path dir = fs::temp_directory_path() / "capguard-policy-loading-test";
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  std::ofstream(dir / "b.policy") << "# b\n";
  std::ofstream(dir / "sub" / "a.policy") << "# a\n";
  std::ofstream(dir / "b_test.policy") << "# test\n";
  std::ofstream(dir / "notes.txt") << "x\n";
  Diagnostics diags;
  std::vector<PolicyFile> files =
      collect_policy_files({dir.string(), (dir / "missing").string()}, true, diags);
  REQUIRE(files.size() == 2);
  CHECK(files[0].path == (dir / "b.policy").string());
  CHECK(files[0].text == "# b\n");
  CHECK(files[1].path == (dir / "sub" / "a.policy").string());
  REQUIRE(diags.error_count() == 1);
  CHECK(diags.all()[0].message == "no such policy file or folder");

  Diagnostics with_stdlib;
  std::vector<PolicyFile> all = collect_policy_files({}, false, with_stdlib);
  for (const PolicyFile& f : all) {
    CHECK(f.path.rfind("stdlib/", 0) == 0);
    CHECK(f.path.find("_test.policy") == std::string::npos);
  }
  fs::remove_all(dir);
}

TEST_CASE("params: --param > --params > CAPGUARD_PARAMS > config params > params_files > default") {
  capguard::testing::TempProject p("params-precedence");
  std::string policy = p.write("pp.policy",
                               "package pp\n"
                               "param a: int = 0\nparam b: int = 0\nparam c: int = 0\n"
                               "param d: int = 0\nparam e: int = 0\nparam f: int = 0\n"
                               "policy \"PP-1\" {\n  title \"t\"\n  severity low\n"
                               "  for s in services\n"
                               "  deny when a + b + c + d + e + f > 100\n}\n");
  p.write("cf.yaml", "{a: 5, b: 5, c: 5, d: 5, e: 5}\n");
  std::string env_file = p.write("env.yaml", "{a: 3, b: 3, c: 3}\n");
  std::string flag_file = p.write("fl.yaml", "{a: 2, b: 2}\n");
  std::string config_path = p.dir() + "/.capguard.yaml";
  Diagnostics diags;
  ProjectConfig config = parse_config(
      config_path, "params_files: [cf.yaml]\nparams: {a: 4, b: 4, c: 4, d: 4}\n", diags);
  CheckOptions flags;
  flags.no_stdlib = true;
  flags.policy_paths = {policy};
  flags.params_files = {flag_file};
  flags.params = {"a=1"};
  auto env = [env_file](const char* name) -> const char* {
    return std::string(name) == "CAPGUARD_PARAMS" ? env_file.c_str() : nullptr;
  };
  Settings settings = resolve_settings(flags, env, config, diags);
  LoadedPolicies loaded = load_policies(settings, diags);
  INFO(render(diags));
  REQUIRE(diags.empty());
  REQUIRE(loaded.program);
  std::map<std::string, int64_t> values;
  for (size_t i = 0; i < loaded.program->params.size(); ++i) {
    values[loaded.program->params[i].short_name] = loaded.params[i].as_int();
  }
  CHECK(values ==
        std::map<std::string, int64_t>{{"a", 1}, {"b", 2}, {"c", 3}, {"d", 4}, {"e", 5}, {"f", 0}});
}
