#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>

#include "cli/common/config.hpp"

using namespace capguard;
using namespace capguard::cli;

namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
  auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(vars));
  return [shared](const char* name) -> const char* {
    auto it = shared->find(name);
    return it == shared->end() ? nullptr : it->second.c_str();
  };
}

const char* kConfig =
    "policies: [team-policies, /abs/policies]\n"
    "params:\n"
    "  allowed_caps: [CHOWN, NET_BIND_SERVICE]\n"
    "  max_memory: 512M\n"
    "preset: baseline\n"
    "only: CG-CAP-001, caps\n"
    "fail_on: high\n"
    "format: json\n"
    "waivers:\n"
    "  - {policy: CG-PRIV-001, reason: agent}\n";

}  // namespace

TEST_CASE("config file keys are parsed, paths relative to the file") {
  Diagnostics diags;
  ProjectConfig c = parse_config("proj/.capguard.yaml", kConfig, diags);
  REQUIRE(diags.empty());
  CHECK(c.policies == std::vector<std::string>{"proj/team-policies", "/abs/policies"});
  // Params are read as a params file's values are: typed YAML, with spans in the configuration.
  REQUIRE(c.params.size() == 2);
  CHECK(c.params[0].first == "allowed_caps");
  REQUIRE(c.params[0].second.is_sequence());
  CHECK(c.params[0].second.as_list().size() == 2);
  CHECK(source_name(c.params[0].second.span().file) == "proj/.capguard.yaml");
  CHECK(c.params[0].second.span().line == 3);
  CHECK(c.params[1].first == "max_memory");
  CHECK(c.params[1].second.as_string() == "512M");
  CHECK(c.preset == std::optional<std::string>("baseline"));
  CHECK(*c.only == std::vector<std::string>{"CG-CAP-001", "caps"});
  CHECK(c.fail_on == Severity::High);
  CHECK(c.format == Format::Json);
  REQUIRE(c.waivers.size() == 1);
  CHECK(c.waivers[0].source == "proj/.capguard.yaml");
}

TEST_CASE("unknown config keys and bad values are errors with suggestions") {
  Diagnostics diags;
  parse_config(".capguard.yaml", "fail-on: high\nformat: jsn\npreset: strict\n", diags);
  REQUIRE(diags.error_count() == 3);
  CHECK(diags.all()[0].message == "unknown setting `fail-on`; did you mean `fail_on`?");
  CHECK(diags.all()[0].span.line == 1);
  CHECK(diags.all()[1].message ==
        "unknown format `jsn`; expected text, json, sarif, junit or github; did you mean `json`?");
  CHECK(diags.all()[2].span.line == 3);
}

TEST_CASE("settings: flags over environment over file") {
  Diagnostics diags;
  ProjectConfig c = parse_config("p/.capguard.yaml", kConfig, diags);
  REQUIRE(diags.empty());

  CheckOptions none;
  Settings s = resolve_settings(none, env_of({}), c, diags);
  CHECK(s.fail_on == Severity::High);
  CHECK(s.format == Format::Json);
  CHECK(s.policy_paths == std::vector<std::string>{"p/team-policies", "/abs/policies"});
  CHECK(s.only == std::vector<std::string>{"CG-CAP-001", "caps"});
  CHECK(s.waivers.size() == 1);

  s = resolve_settings(none,
                       env_of({{"CAPGUARD_FAIL_ON", "critical"},
                               {"CAPGUARD_FORMAT", "sarif"},
                               {"CAPGUARD_POLICY", "a:b"},
                               {"CAPGUARD_ONLY", ""}}),
                       c, diags);
  CHECK(s.fail_on == Severity::Critical);
  CHECK(s.format == Format::Sarif);
  CHECK(s.policy_paths == std::vector<std::string>{"a", "b"});
  CHECK(s.only.size() == 2);  // an empty variable counts as unset

  CheckOptions flags;
  flags.fail_on = Severity::Info;
  flags.format = Format::Text;
  flags.params = {"max_memory=1G"};
  flags.only_set = true;
  s = resolve_settings(flags, env_of({{"CAPGUARD_FAIL_ON", "critical"}}), c, diags);
  CHECK(s.fail_on == Severity::Info);
  CHECK(s.format == Format::Text);
  CHECK(s.only.empty());
  REQUIRE(s.params.size() == 1);  // --param, applied after every layer
  CHECK(s.params[0].name == "max_memory");
  CHECK(s.params[0].text == "1G");
  REQUIRE(s.param_layers.size() == 1);  // the configuration's `params:`
  CHECK(s.param_layers[0].file.empty());
  CHECK(s.param_layers[0].values.size() == 2);
  CHECK(diags.empty());

  resolve_settings(none, env_of({{"CAPGUARD_FAIL_ON", "severe"}}), c, diags);
  REQUIRE(diags.error_count() == 1);
  CHECK(diags.all()[0].file_name == "CAPGUARD_FAIL_ON");
}

TEST_CASE("find_config looks in the folder, then its parents") {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / "capguard-find-config-test";
  fs::remove_all(root);
  fs::create_directories(root / "a" / "b");
  CHECK(find_config((root / "a" / "b").string()).empty());
  std::ofstream(root / "a" / ".capguard.yaml") << "fail_on: high\n";
  std::string found = find_config((root / "a" / "b").string());
  CHECK(found == "../.capguard.yaml");
  CHECK(find_config((root / "a").string()) == ".capguard.yaml");
  fs::remove_all(root);
}

TEST_CASE("config keys that are not strings are errors, not crashes") {
  Diagnostics diags;
  parse_config(".capguard.yaml", "[a, b]: 1\nparams:\n  [x]: 1\nonly: {a: 1}\n", diags);
  // The YAML loader reads the file first and refuses a collection as a key.
  REQUIRE(diags.error_count() == 1);
  CHECK(diags.all()[0].message == "a mapping key must be a scalar");
  CHECK(diags.all()[0].span.line == 1);
  Diagnostics d2;
  parse_config(".capguard.yaml", "only: {a: 1}\n", d2);
  REQUIRE(d2.error_count() == 1);
  CHECK(d2.all()[0].message == "`only` must be a list of strings");
}

TEST_CASE("param layers: config params_files < config params < CAPGUARD_PARAMS < --params") {
  Diagnostics diags;
  ProjectConfig c = parse_config(
      "p/.capguard.yaml", "params_files: [a.yaml, b.yaml]\nparams:\n  max_added: 5\n", diags);
  REQUIRE(diags.empty());
  CheckOptions flags;
  flags.params_files = {"x.yaml", "y.yaml"};
  flags.params = {"max_added=2"};
  Settings s = resolve_settings(flags, env_of({{"CAPGUARD_PARAMS", "env.yaml"}}), c, diags);
  REQUIRE(s.param_layers.size() == 6);
  CHECK(s.param_layers[0].file == "p/a.yaml");
  CHECK(s.param_layers[1].file == "p/b.yaml");
  CHECK(s.param_layers[2].file.empty());
  REQUIRE(s.param_layers[2].values.size() == 1);
  CHECK(s.param_layers[2].values[0].second.as_int() == 5);
  CHECK(s.param_layers[3].file == "env.yaml");
  CHECK(s.param_layers[4].file == "x.yaml");
  CHECK(s.param_layers[5].file == "y.yaml");
  REQUIRE(s.params.size() == 1);
  CHECK(s.params[0].text == "2");
}

TEST_CASE("config params with mistakes are reported once, at their place") {
  Diagnostics diags;
  ProjectConfig c = parse_config(".capguard.yaml", "params:\n  [x]: 1\n  y: 2\n", diags);
  REQUIRE(diags.error_count() == 1);
  CHECK(diags.all()[0].message == "a mapping key must be a scalar");
  CHECK(diags.all()[0].span.line == 2);
  CHECK(c.params.empty());
}

TEST_CASE("find_config stops at the repository root") {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / "capguard-find-config-git-test";
  fs::remove_all(root);
  fs::create_directories(root / "repo" / "sub");
  std::ofstream(root / ".capguard.yaml") << "fail_on: high\n";
  // Outside a repository the search goes up to the file system root.
  CHECK(find_config((root / "repo" / "sub").string()) == "../../.capguard.yaml");
  // A clone: .git is a folder; the configuration above it is not the project's.
  fs::create_directories(root / "repo" / ".git");
  CHECK(find_config((root / "repo" / "sub").string()).empty());
  // The root itself is searched.
  std::ofstream(root / "repo" / ".capguard.yaml") << "fail_on: low\n";
  CHECK(find_config((root / "repo" / "sub").string()) == "../.capguard.yaml");
  CHECK(find_config((root / "repo").string()) == ".capguard.yaml");
  fs::remove(root / "repo" / ".capguard.yaml");
  // A worktree or a submodule: .git is a file.
  fs::remove_all(root / "repo" / ".git");
  std::ofstream(root / "repo" / ".git") << "gitdir: /elsewhere\n";
  CHECK(find_config((root / "repo" / "sub").string()).empty());
  fs::remove_all(root);
}
