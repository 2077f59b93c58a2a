// Finding every compose project below a folder (runtime/documents/project_scan.hpp).
#include <catch2/catch.hpp>

#include <filesystem>

#include "runtime/documents/project_scan.hpp"
#include "tests/unit/support/temp_project.hpp"

using namespace capguard;
using capguard::testing::TempProject;

namespace {

std::vector<std::string> labels(const std::vector<ScannedInput>& found) {
  std::vector<std::string> out;
  for (const ScannedInput& f : found) out.push_back(f.label);
  return out;
}

constexpr const char* kService = "services:\n  web:\n    image: nginx:1.27\n";

}  // namespace

TEST_CASE("gitignore rules: anchoring, folders, negation, **") {
  std::vector<IgnoreRule> rules = parse_gitignore(
      "# comment\n\nbuild/\n/top.yaml\n*.tmp\ndocs/**/compose.yaml\n!keep.tmp\n\\#hash\n");
  REQUIRE(rules.size() == 6);
  CHECK(ignore_verdict(rules, "build", true) == 1);
  CHECK(ignore_verdict(rules, "a/build", true) == 1);
  CHECK(ignore_verdict(rules, "a/build/compose.yaml", false) == 1);  // below an ignored folder
  CHECK(ignore_verdict(rules, "build", false) == -1);                // a file named build
  CHECK(ignore_verdict(rules, "top.yaml", false) == 1);
  CHECK(ignore_verdict(rules, "a/top.yaml", false) == -1);  // anchored to the folder
  CHECK(ignore_verdict(rules, "x/y.tmp", false) == 1);
  CHECK(ignore_verdict(rules, "keep.tmp", false) == 0);  // re-included
  CHECK(ignore_verdict(rules, "docs/compose.yaml", false) == 1);
  CHECK(ignore_verdict(rules, "docs/a/b/compose.yaml", false) == 1);
  CHECK(ignore_verdict(rules, "#hash", false) == 1);
  CHECK(ignore_verdict(rules, "compose.yaml", false) == -1);
}

TEST_CASE("scan: one project a folder, variants on top of the base, inspect files, sorted") {
  TempProject t("scan-projects");
  t.write("b/docker-compose.yml", kService);
  t.write("b/docker-compose.override.yml", kService);
  t.write("b/docker-compose.prod.yml", kService);
  t.write("a/compose.yaml", kService);
  t.write("a/compose.yml", kService);  // compose.yaml comes first, as docker compose picks it
  t.write("c/deep/er/compose.yaml", kService);
  t.write("d/only.inspect.json", "[]");
  t.write("e/README.md", "no project here");
  Diagnostics diags;
  std::vector<ScannedInput> found = scan_projects(t.dir(), {}, diags);
  CHECK(labels(found) ==
        std::vector<std::string>{"a (compose.yaml)", "b (docker-compose.yml)",
                                 "b (docker-compose.yml + docker-compose.prod.yml)",
                                 "c/deep/er (compose.yaml)", "d/only.inspect.json"});
  REQUIRE(found.size() == 5);
  CHECK(found[0].path == t.dir() + "/a");
  CHECK(found[2].files == std::vector<std::string>{t.dir() + "/b/docker-compose.yml",
                                                   t.dir() + "/b/docker-compose.prod.yml"});
  CHECK(diags.empty());
}

TEST_CASE("scan: .gitignore at any level and --exclude skip projects") {
  TempProject t("scan-ignore");
  t.write(".gitignore", "vendor/\n");
  t.write("vendor/x/compose.yaml", kService);
  t.write("app/.gitignore", "old/\n");
  t.write("app/old/compose.yaml", kService);
  t.write("app/new/compose.yaml", kService);
  t.write("tmp-1/compose.yaml", kService);
  t.write(".git/compose.yaml", kService);
  Diagnostics diags;
  CHECK(labels(scan_projects(t.dir(), {}, diags)) ==
        std::vector<std::string>{"app/new (compose.yaml)", "tmp-1 (compose.yaml)"});
  ScanOptions options;
  options.excludes = {"tmp-*"};
  CHECK(labels(scan_projects(t.dir(), options, diags)) ==
        std::vector<std::string>{"app/new (compose.yaml)"});
}

TEST_CASE("scan: symbolic links are not followed out of the tree") {
  TempProject outside("scan-outside");
  outside.write("compose.yaml", kService);
  TempProject t("scan-links");
  t.write("in/compose.yaml", kService);
  std::filesystem::create_directory_symlink(outside.dir(), t.dir() + "/linked-folder");
  std::filesystem::create_directories(t.dir() + "/file-link");
  std::filesystem::create_symlink(outside.dir() + "/compose.yaml",
                                  t.dir() + "/file-link/compose.yaml");
  Diagnostics diags;
  CHECK(labels(scan_projects(t.dir(), {}, diags)) == std::vector<std::string>{"in (compose.yaml)"});
  REQUIRE(diags.all().size() == 1);
  CHECK(diags.all()[0].level == DiagLevel::Warning);
  CHECK(diags.all()[0].message.find("symbolic link out of the scanned folder") !=
        std::string::npos);
}
