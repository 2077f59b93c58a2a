// lang/core/paths: Go's path.Clean, on Go's own table (src/path/path_test.go) and against the
// std::filesystem cleaning the compose normalizer used before (lexically_normal, trailing '/'
// dropped) on generated paths.
#include "lang/core/paths.hpp"

#include <filesystem>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

using capguard::clean_path;

TEST_CASE("clean_path: Go's path.Clean table") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "."},
      {"abc", "abc"},
      {"abc/def", "abc/def"},
      {"a/b/c", "a/b/c"},
      {".", "."},
      {"..", ".."},
      {"../..", "../.."},
      {"../../abc", "../../abc"},
      {"/abc", "/abc"},
      {"/", "/"},
      {"abc/", "abc"},
      {"abc/def/", "abc/def"},
      {"a/b/c/", "a/b/c"},
      {"./", "."},
      {"../", ".."},
      {"../../", "../.."},
      {"/abc/", "/abc"},
      {"abc//def//ghi", "abc/def/ghi"},
      {"//abc", "/abc"},
      {"///abc", "/abc"},
      {"//abc//", "/abc"},
      {"abc//", "abc"},
      {"abc/./def", "abc/def"},
      {"/./abc/def", "/abc/def"},
      {"abc/.", "abc"},
      {"abc/def/ghi/../jkl", "abc/def/jkl"},
      {"abc/def/../ghi/../jkl", "abc/jkl"},
      {"abc/def/..", "abc"},
      {"abc/def/../..", "."},
      {"/abc/def/../..", "/"},
      {"abc/def/../../..", ".."},
      {"/abc/def/../../..", "/"},
      {"abc/def/../../../ghi/jkl/../../../mno", "../../mno"},
      {"abc/./../def", "def"},
      {"abc//./../def", "def"},
      {"abc/../../././../def", "../../def"},
      {"...", "..."},
      {"a/.../..", "a"},
      {".a/b./..", ".a"},
  };
  for (const auto& [in, want] : cases) {
    INFO(in);
    CHECK(clean_path(in) == want);
  }
}

TEST_CASE("clean_path follows Go's path.Clean", "[paths]") {
  CHECK(clean_path("") == ".");
  CHECK(clean_path("/") == "/");
  CHECK(clean_path("//a///b//") == "/a/b");
  CHECK(clean_path("/a/./b/../c") == "/a/c");
  CHECK(clean_path("/../a") == "/a");
  CHECK(clean_path("a/../..") == "..");
  CHECK(clean_path("../../x") == "../../x");
  CHECK(clean_path("./data/") == "data");
  CHECK(clean_path("a/..") == ".");
}

TEST_CASE("clean_path: the std::filesystem cleaning it replaced, on generated paths") {
  const std::vector<std::string> parts = {"a", "bc", "..", ".", "", "...", ".a", "a."};
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    std::string path = rng() % 2 ? "/" : "";
    size_t n = rng() % 7;
    for (size_t k = 0; k < n; ++k) {
      if (k > 0) path += '/';
      path += parts[rng() % parts.size()];
    }
    if (path.empty()) continue;
    INFO(path);
    std::string normal = std::filesystem::path(path).lexically_normal().string();
    if (normal.size() > 1 && normal.back() == '/') normal.pop_back();
    if (path.find_first_not_of('/') == std::string::npos) {
      // Only slashes: "/" as Go (and so Docker) cleans it, where libstdc++ kept "//" for "///".
      CHECK(clean_path(path) == "/");
    } else if (path[0] == '/') {
      // An absolute bind source: the same path.
      CHECK(clean_path(path) == normal);
    } else {
      // A relative one: whether it climbs out of the project folder (its first segment "..").
      std::filesystem::path lexical = std::filesystem::path(path).lexically_normal();
      bool climbs_before = !lexical.empty() && *lexical.begin() == "..";
      std::string clean = clean_path(path);
      CHECK((clean == ".." || clean.compare(0, 3, "../") == 0) == climbs_before);
    }
  }
}
