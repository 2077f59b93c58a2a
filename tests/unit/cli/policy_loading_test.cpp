#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "cli/policy_loading.hpp"

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
