// capguard fmt (lang/format/format.hpp): the canonical layout, comments and blank lines, and the
// two properties every formatted file must have: formatting again changes nothing, and the result
// parses to the same syntax tree. The properties run over the standard library and every
// well-formed policy file of the golden tests.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "lang/format/format.hpp"
#include "lang/format/format_diff.hpp"
#include "lang/format/format_tokens.hpp"
#include "lang/syntax/parser.hpp"

using namespace capguard;

namespace {

std::string fmt_text(const std::string& text, const std::string& name = "f.policy") {
  Diagnostics diags;
  std::optional<std::string> out = format_source(add_source(name, text), diags);
  INFO(render(diags));
  REQUIRE(out.has_value());
  REQUIRE_FALSE(diags.has_errors());
  return *out;
}

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every .policy file of the standard library and of the golden tests that parses.
std::vector<std::filesystem::path> corpus() {
  std::vector<std::filesystem::path> files;
  for (const char* dir : {"stdlib-policies", "tests/golden", "examples"}) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(
             std::string(CAPGUARD_SOURCE_DIR) + "/" + dir)) {
      if (e.is_regular_file() && e.path().extension() == ".policy") files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> comments_of(const std::string& text) {
  std::vector<std::string> out;
  format_detail::TokenIndex tokens(text);
  for (const auto& c : tokens.comments()) out.push_back(c.text);
  return out;
}

}  // namespace

TEST_CASE("fmt: idempotent, same tree and same comments over the stdlib and golden policies") {
  size_t formatted = 0, stdlib = 0;
  for (const auto& path : corpus()) {
    std::string text = read(path);
    Diagnostics parse_diags;
    ast::Module before = parse_module(add_source(path.string(), text), parse_diags);
    if (parse_diags.has_errors()) continue;  // err_* cases: not formatted (tested below)
    INFO(path.string());
    std::string once = fmt_text(text, path.string());
    std::string twice = fmt_text(once, path.string() + " (again)");
    CHECK(twice == once);
    Diagnostics d;
    ast::Module after = parse_module(add_source(path.string() + " (out)", once), d);
    REQUIRE_FALSE(d.has_errors());
    CHECK(dump_without_spans(after) == dump_without_spans(before));
    // Comments in the same order, not just the same set.
    CHECK(comments_of(once) == comments_of(text));
    ++formatted;
    if (path.string().find("stdlib-policies") != std::string::npos) ++stdlib;
  }
  CHECK(stdlib >= 24);
  CHECK(formatted >= 100);
}

TEST_CASE("fmt: the standard library is nearly in canonical form already") {
  size_t changed_lines = 0, total_lines = 0;
  for (const auto& path : corpus()) {
    if (path.string().find("stdlib-policies") == std::string::npos) continue;
    std::string text = read(path);
    std::string diff = unified_diff(text, fmt_text(text, path.string()), "a", "b");
    total_lines += static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
    std::istringstream lines(diff);
    for (std::string l; std::getline(lines, l);) {
      if (l.size() > 0 && l[0] == '-' && l.rfind("---", 0) != 0) ++changed_lines;
    }
  }
  INFO(changed_lines << " of " << total_lines << " lines change");
  CHECK(total_lines > 2000);
  CHECK(changed_lines < total_lines / 50);
}

TEST_CASE("fmt: declarations, metadata alignment and rules") {
  std::string in =
      "package   acme.x\nimport  capguard.stdlib.common as common\nimport a.b as c\n"
      "param  caps_ok : caps=[CHOWN,SETUID , ]\nfn  f( x , y:int )=x+y\n"
      "policy \"P-1\" { title \"T\"\n severity   high\n  remediation \"r\"\n"
      "for s in services\nlet  n=1\n\n\n\ndeny when n==1 at s.name message \"m\" }\n"
      "test \"t\" { input  compose  \"services: {}\"\n"
      "  expect no deny \"P-1\" line 3 on \"web\" count 1 }";
  CHECK(fmt_text(in) ==
        "package acme.x\n"
        "import capguard.stdlib.common\n"
        "import a.b as c\n"
        "param caps_ok: caps = [CHOWN, SETUID]\n"
        "fn f(x, y: int) = x + y\n"
        "\n"
        "policy \"P-1\" {\n"
        "  title       \"T\"\n"
        "  severity    high\n"
        "  remediation \"r\"\n"
        "\n"
        "  for s in services\n"
        "  let n = 1\n"
        "\n"
        "  deny when n == 1 at s.name\n"
        "    message \"m\"\n"
        "}\n"
        "\n"
        "test \"t\" {\n"
        "  input compose \"services: {}\"\n"
        "  expect no deny \"P-1\" on web count 1 line 3\n"
        "}\n");
}

TEST_CASE("fmt: long chains and lists fill lines up to 100 columns, aligned") {
  std::string in =
      "fn long(s) = s.privileged == true and s.user.is_root == true and s.read_only != true and "
      "s.security.no_new_privileges != true or s.caps.effective == ALL\n"
      "param names: list[string] = [\"aaaaaaaaaaaa\", \"bbbbbbbbbbbbbbb\", \"cccccccccccccccc\", "
      "\"ddddddddddddddddd\", \"eeeeeeeeeeeeeeeeeeee\", \"ffff\"]\n";
  std::string out = fmt_text(in);
  CHECK(
      out ==
      "fn long(s) = s.privileged == true and s.user.is_root == true and s.read_only != true\n"
      "             and s.security.no_new_privileges != true\n"
      "             or s.caps.effective == ALL\n"
      "param names: list[string] = [\"aaaaaaaaaaaa\", \"bbbbbbbbbbbbbbb\", \"cccccccccccccccc\",\n"
      "                             \"ddddddddddddddddd\", \"eeeeeeeeeeeeeeeeeeee\", \"ffff\"]\n");
  std::istringstream lines(out);
  for (std::string l; std::getline(lines, l);) CHECK(l.size() <= 100);
}

TEST_CASE("fmt: a rule whose condition breaks puts `at` on a line of its own") {
  std::string in =
      "policy \"P\" {\ntitle \"t\"\nseverity low\nfor s in services\n"
      "deny when s.privileged == true and s.user.is_root == true and s.read_only != true and "
      "s.pid_mode == \"host\" at s.name\n}\n";
  CHECK(fmt_text(in) ==
        "policy \"P\" {\n"
        "  title    \"t\"\n"
        "  severity low\n"
        "\n"
        "  for s in services\n"
        "  deny when s.privileged == true and s.user.is_root == true and s.read_only != true\n"
        "            and s.pid_mode == \"host\"\n"
        "    at s.name\n"
        "}\n");
}

TEST_CASE("fmt: comments stay where they were written; blank lines collapse to one") {
  std::string in =
      "# header\n\n\n\n# about p\nparam p: list[int] = [1,   # one\n  # two follows\n  2]\n"
      "fn f(x) = x > 1  # why\n        and x < 9\n"
      "policy \"P\" {  # the policy\n  title \"t\"\n  severity low\n  # loop\n"
      "  for s in services   # each\n  deny when true\n  # trailing remark\n}\n# end\n";
  CHECK(fmt_text(in) ==
        "# header\n"
        "\n"
        "# about p\n"
        "param p: list[int] = [1,  # one\n"
        "                      # two follows\n"
        "                      2]\n"
        "fn f(x) = x > 1  # why\n"
        "          and x < 9\n"
        "\n"
        "policy \"P\" {  # the policy\n"
        "  title    \"t\"\n"
        "  severity low\n"
        "\n"
        "  # loop\n"
        "  for s in services  # each\n"
        "  deny when true\n"
        "  # trailing remark\n"
        "}\n"
        "# end\n");
}

TEST_CASE("fmt: parentheses as written, text blocks re-indented with the same value") {
  std::string in =
      "fn f(x) = not (x in [1]) and ((x == 2))\n"
      "param t: string = \"\"\"\n        a:\n          - b   # not a comment\n\n        \"\"\"\n"
      "policy \"P\" {\ntitle \"t\"\nseverity low\nremediation \"\"\"\nx: 1\n  y: 2\n\"\"\"\n"
      "for s in services\ndeny when (s.privileged)\n}\n";
  std::string out = fmt_text(in);
  CHECK(out ==
        "fn f(x) = not (x in [1]) and (x == 2)\n"
        "param t: string = \"\"\"\n  a:\n    - b   # not a comment\n\n  \"\"\"\n"
        "\n"
        "policy \"P\" {\n"
        "  title       \"t\"\n"
        "  severity    low\n"
        "  remediation \"\"\"\n    x: 1\n      y: 2\n    \"\"\"\n"
        "\n"
        "  for s in services\n"
        "  deny when (s.privileged)\n"
        "}\n");
  CHECK(comments_of(out).empty());
}

TEST_CASE("fmt: a file with syntax errors is not formatted; its diagnostics are reported") {
  Diagnostics diags;
  FileId id =
      add_source("broken.policy", "policy \"P\" {\n  title \"t\"\n  deny s.privileged\n}\n");
  CHECK_FALSE(format_source(id, diags).has_value());
  REQUIRE(diags.has_errors());
  CHECK(render(diags).find("broken.policy:3:") != std::string::npos);
}

TEST_CASE("fmt: empty and comment-only files") {
  CHECK(fmt_text("") == "");
  CHECK(fmt_text("\n\n") == "");
  CHECK(fmt_text("# only\n\n\n# comments") == "# only\n\n# comments\n");
}

TEST_CASE("unified_diff: hunks with context, nothing for equal texts") {
  CHECK(unified_diff("a\nb\n", "a\nb\n", "x", "y").empty());
  std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  std::string after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
  CHECK(unified_diff(before, after, "x", "y") ==
        "--- x\n+++ y\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
  CHECK(unified_diff("a", "a\n", "x", "y") ==
        "--- x\n+++ y\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n");
}
