// Glob matching and path cleaning (runtime/glob.hpp).
#include <catch2/catch.hpp>

#include "runtime/glob.hpp"

using capguard::clean_path;
using capguard::path_is_under;

namespace {
bool glob(std::string_view text, std::string_view pattern) {
  std::string error;
  std::optional<bool> hit = capguard::glob_match(text, pattern, error);
  REQUIRE(hit.has_value());
  return *hit;
}
std::string glob_error(std::string_view pattern) {
  std::string error;
  CHECK_FALSE(capguard::glob_match("x", pattern, error).has_value());
  return error;
}
}  // namespace

TEST_CASE("glob: stars, question marks, classes", "[glob]") {
  CHECK(glob("nginx", "nginx"));
  CHECK_FALSE(glob("nginx", "ngin"));
  CHECK(glob("", "*"));
  CHECK(glob("abc", "a*c"));
  CHECK(glob("ac", "a*c"));
  CHECK_FALSE(glob("a/c", "a*c"));
  CHECK(glob("a/c", "a**c"));
  CHECK(glob("a/b/c", "a/?/c"));
  CHECK_FALSE(glob("a//c", "a/?/c"));
  CHECK(glob("é", "?"));  // one code point
  CHECK(glob("b", "[abc]"));
  CHECK(glob("q", "[a-z]"));
  CHECK_FALSE(glob("Q", "[a-z]"));
  CHECK(glob("Q", "[!a-z]"));
  CHECK(glob("Q", "[^a-z]"));
  CHECK(glob("]", "[]]"));
  CHECK(glob("-", "[a-]"));
  CHECK_FALSE(glob("/", "[!a]"));
  CHECK(glob("*", "\\*"));
  CHECK_FALSE(glob("a", "\\*"));
}

TEST_CASE("glob: ** crosses directories, **/ may match none", "[glob]") {
  CHECK(glob("/var/run/docker.sock", "/var/**"));
  CHECK(glob("/var/run/docker.sock", "**/docker.sock"));
  CHECK(glob("docker.sock", "**/docker.sock"));
  CHECK(glob("a/b", "a/**/b"));
  CHECK(glob("a/x/y/b", "a/**/b"));
  CHECK_FALSE(glob("a/xb", "a/**/b"));
  CHECK(glob("registry.example.com/team/app:1.0", "registry.example.com/**"));
  CHECK_FALSE(glob("registry.example.com.evil/x", "registry.example.com/**"));
}

TEST_CASE("glob: linear time on adversarial patterns", "[glob]") {
  std::string text(5000, 'a');
  std::string pattern;
  for (int i = 0; i < 50; ++i) pattern += "*a";
  pattern += "b";
  CHECK_FALSE(glob(text, pattern));
}

TEST_CASE("glob: invalid patterns", "[glob]") {
  CHECK(glob_error("[ab") == "unterminated '[' (a class ends with ']')");
  CHECK(glob_error("ab\\") == "trailing '\\' escapes nothing");
  CHECK(glob_error("[z-a]") == "bad range in '[...]' (the end is before the start)");
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

TEST_CASE("path_is_under", "[paths]") {
  CHECK(path_is_under("/etc", "/etc"));
  CHECK(path_is_under("/etc/passwd", "/etc/"));
  CHECK(path_is_under("/etc/x/../passwd", "/etc"));
  CHECK_FALSE(path_is_under("/etcx", "/etc"));
  CHECK_FALSE(path_is_under("/etc/../proc", "/etc"));
  CHECK(path_is_under("/proc", "/"));
  CHECK(path_is_under("/", "/"));
  CHECK_FALSE(path_is_under("etc/x", "/etc"));
  CHECK_FALSE(path_is_under("/etc/x", "etc"));
  CHECK(path_is_under("./data/db", "data"));
  CHECK(path_is_under("data", "."));
  CHECK_FALSE(path_is_under("../data", "."));
}
