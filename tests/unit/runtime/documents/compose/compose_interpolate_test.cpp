// Compose interpolation: every form of compose-spec 12-interpolation.md, and .env files.
#include <catch2/catch.hpp>

#include "lang/core/diagnostics.hpp"
#include "runtime/documents/compose/env_file.hpp"
#include "runtime/documents/compose/interpolate.hpp"
#include "runtime/documents/yaml_loader.hpp"

using namespace capguard;

namespace {

Environment test_env() {
  Environment env;
  env.set("SET", "value");
  env.set("EMPTY", "");
  env.set("TAG", "1.27");
  return env;
}

// The result, or "ERROR: <message>" when an error was reported.
std::string interp(const std::string& text, Diagnostics* out = nullptr) {
  Diagnostics diags;
  FileId f = add_source("c.yaml", "x: " + text + "\n");
  auto r = interpolate_string(text, test_env(), Span{f, 1, 4, 0}, diags);
  if (out) *out = diags;
  if (!r) return "ERROR: " + diags.all().at(0).message;
  return *r;
}

}  // namespace

TEST_CASE("plain and braced variables") {
  CHECK(interp("$SET") == "value");
  CHECK(interp("${SET}") == "value");
  CHECK(interp("nginx:${TAG}-alpine") == "nginx:1.27-alpine");
  CHECK(interp("a$SET.b") == "avalue.b");
  CHECK(interp("no variables") == "no variables");
}

TEST_CASE("$$ is a literal dollar") {
  CHECK(interp("echo $$HOME") == "echo $HOME");
  CHECK(interp("$${SET}") == "${SET}");
  CHECK(interp("$$$SET") == "$value");
}

TEST_CASE("defaults: :- for unset or empty, - for unset only") {
  CHECK(interp("${UNSET:-d}") == "d");
  CHECK(interp("${EMPTY:-d}") == "d");
  CHECK(interp("${SET:-d}") == "value");
  CHECK(interp("${UNSET-d}") == "d");
  CHECK(interp("${EMPTY-d}") == "");
  CHECK(interp("${UNSET:-}") == "");
}

TEST_CASE("nested defaults are substituted only when used") {
  Diagnostics d;
  CHECK(interp("${UNSET:-${ALSO_UNSET:-x}}", &d) == "x");
  CHECK(d.empty());
  CHECK(interp("${UNSET:-${TAG}}") == "1.27");
  CHECK(interp("${SET:-${NOT_USED}}", &d) == "value");
  CHECK(d.empty());
  CHECK(interp("${UNSET:-a${TAG}b}") == "a1.27b");
}

TEST_CASE("replacements: :+ when set and non-empty, + when set") {
  CHECK(interp("${SET:+r}") == "r");
  CHECK(interp("${EMPTY:+r}") == "");
  CHECK(interp("${UNSET:+r}") == "");
  CHECK(interp("${EMPTY+r}") == "r");
  CHECK(interp("${UNSET+r}") == "");
}

TEST_CASE("required variables: :? and ? report an error naming the variable") {
  CHECK(interp("${SET:?must be set}") == "value");
  CHECK(interp("${UNSET:?must be set}") ==
        "ERROR: required variable UNSET is missing a value: must be set");
  CHECK(interp("${EMPTY:?}") == "ERROR: required variable EMPTY is missing a value");
  CHECK(interp("${EMPTY?x}") == "");
  CHECK(interp("${UNSET?x}") == "ERROR: required variable UNSET is missing a value: x");
  Diagnostics d;
  interp("${UNSET:?no}", &d);
  CHECK(render(d) ==
        "c.yaml:1:4: error: required variable UNSET is missing a value: no\n"
        " 1 | x: ${UNSET:?no}\n"
        "   |    ^\n");
}

TEST_CASE("an unset variable without default is empty, with a warning") {
  Diagnostics d;
  CHECK(interp("a${NOPE}b", &d) == "ab");
  REQUIRE(d.all().size() == 1);
  CHECK(d.all()[0].level == DiagLevel::Warning);
  CHECK(d.all()[0].message == "the \"NOPE\" variable is not set; defaulting to a blank string");
  CHECK_FALSE(d.has_errors());
  CHECK(interp("$NOPE2") == "");
}

TEST_CASE("malformed ${ templates are errors") {
  CHECK(interp("${}").rfind("ERROR: invalid interpolation format", 0) == 0);
  CHECK(interp("${SET").rfind("ERROR: invalid interpolation format", 0) == 0);
  CHECK(interp("${SET!x}").rfind("ERROR: invalid interpolation format", 0) == 0);
  CHECK(interp("${1}").rfind("ERROR: invalid interpolation format", 0) == 0);
  CHECK(interp("${SET:x}").rfind("ERROR: invalid interpolation format", 0) == 0);
  // The pattern's (.*) stops at a newline: the closing brace must be on the same line.
  CHECK(interp("${UNSET:-a\nb}").rfind("ERROR: invalid interpolation format", 0) == 0);
}

TEST_CASE("a $ that starts no variable is kept, as compose-go keeps it") {
  Diagnostics d;
  CHECK(interp("echo $1", &d) == "echo $1");
  CHECK(interp("cost: 5$", &d) == "cost: 5$");
  CHECK(interp("$2a$14$", &d) == "$2a$14$");
  CHECK(interp("$-x $} $. $ $/", &d) == "$-x $} $. $ $/");
  CHECK(d.empty());
  // A bcrypt hash: `$2a` and `$14` are kept, `$abc` is a variable (unset: "", with a warning).
  CHECK(interp("$2a$14$abc.def", &d) == "$2a$14.def");
  REQUIRE(d.all().size() == 1);
  CHECK(d.all()[0].message == "the \"abc\" variable is not set; defaulting to a blank string");
}

TEST_CASE("defaults are interpolated and cut at their first closing brace, as compose-go does") {
  Diagnostics d;
  CHECK(interp("${UNSET:-$2a$14$9x.y}", &d) == "$2a$14$9x.y");
  CHECK(d.empty());
  CHECK(interp("${UNSET:-$2a$14$Ab.y}") == "$2a$14.y");
  CHECK(interp("${UNSET:-{x}y}") == "{x}y");
  CHECK(interp("${UNSET:-{x}") == "{x");
  CHECK(interp("${UNSET:-x}y}") == "xy}");
  CHECK(interp("${UNSET:-a}-${SET}-${UNSET:-b}") == "a-value-b");
  CHECK(interp("${SET:+[${TAG}]}") == "[1.27]");
  CHECK(interp("${UNSET:-$$}") == "$");
}

TEST_CASE("nesting of ${...} is bounded") {
  std::string ok_text, deep_text;
  for (int i = 0; i < 32; ++i) ok_text += "${U" + std::to_string(i) + ":-";
  ok_text += "x" + std::string(32, '}');
  CHECK(interp(ok_text) == "x");
  for (int i = 0; i < 100000; ++i) deep_text += "${U:-";
  deep_text += "x" + std::string(100000, '}');
  CHECK(interp(deep_text) == "ERROR: invalid interpolation format in \"" + deep_text.substr(0, 80) +
                                 "..." +
                                 "\": more than 32 nested \"${\"; escape a literal $ as $$");
}

TEST_CASE("interpolate_tree substitutes values, never keys, and keeps spans") {
  Diagnostics d;
  FileId f = add_source("c.yaml", "services:\n  ${SET}:\n    image: nginx:${TAG}\n    n: 3\n");
  Value tree = parse_yaml(f, d);
  REQUIRE(interpolate_tree(tree, test_env(), d));
  CHECK(to_json_text(tree) == R"({"services":{"${SET}":{"image":"nginx:1.27","n":3}}})");
  const Value* image = tree.get("services")->get("${SET}")->get("image");
  CHECK(image->span().line == 3);
  CHECK(image->span().column == 12);
  FileId g = add_source("e.yaml", "a: [ok, \"${X:?x needed}\"]\n");
  Value bad = parse_yaml(g, d);
  Diagnostics d2;
  UnreadValues unread;
  CHECK_FALSE(interpolate_tree(bad, test_env(), d2, &unread));
  CHECK(location(d2.all().at(0).span) == "e.yaml:1:9");
  // The failed value is null at its span and recorded; the others are kept.
  CHECK(to_json_text(bad) == R"({"a":["ok",null]})");
  CHECK(unread.failed(bad.get("a")->as_list()[1].span()));
  CHECK_FALSE(unread.failed(bad.get("a")->as_list()[0].span()));
  FileId h = add_source("u.yaml", "a: [\"${NOPE}\", \"x${SET}\"]\n");
  Value unset = parse_yaml(h, d);
  Diagnostics d3;
  CHECK(interpolate_tree(unset, test_env(), d3, &unread));
  CHECK(unread.unset(unset.get("a")->as_list()[0].span()));
  CHECK_FALSE(unread.unset(unset.get("a")->as_list()[1].span()));
}

TEST_CASE("a value used through several aliases is reported once") {
  Diagnostics d;
  FileId f = add_source("a.yaml", "x: &x {image: \"${NOPE}\", u: \"${REQ:?r}\"}\na: *x\nb: *x\n");
  Value tree = parse_yaml(f, d);
  REQUIRE(d.empty());
  CHECK_FALSE(interpolate_tree(tree, test_env(), d));
  REQUIRE(d.all().size() == 2);
  CHECK(d.all()[0].level == DiagLevel::Warning);
  CHECK(location(d.all()[0].span) == "a.yaml:1:15");
  CHECK(d.error_count() == 1);
  CHECK(location(d.all()[1].span) == "a.yaml:1:29");
}

namespace {

std::string env_text(const std::string& text, Diagnostics& d, const Environment& lookup = {}) {
  FileId f = add_source(".env", text);
  Environment out;
  parse_env_file(f, lookup, out, d);
  std::string s;
  for (const auto& [k, v] : out.vars()) s += k + "=[" + v + "]\n";
  return s;
}

}  // namespace

TEST_CASE(".env: plain, export, comments, quotes") {
  Diagnostics d;
  CHECK(env_text("# comment\n\nA=1\nexport B = two words  # note\nC=x#y\nD:yaml\n", d) ==
        "A=[1]\nB=[two words]\nC=[x#y]\nD=[yaml]\n");
  CHECK(d.empty());
  CHECK(env_text("A=\"x\\ny \\\"q\\\"\"\nB='$NOT ${X}'\nC=\"multi\nline\" # c\nE=\n", d) ==
        "A=[x\ny \"q\"]\nB=[$NOT ${X}]\nC=[multi\nline]\nE=[]\n");
  CHECK(d.empty());
}

TEST_CASE(".env: ${} in values from the environment first, then earlier keys") {
  Diagnostics d;
  Environment lookup;
  lookup.set("HOME", "/root");
  lookup.set("B", "from-env");
  CHECK(env_text("B=file\nA=${HOME}/x\nC=${B}\nD=\"${MISSING:-def}\"\nF=\\$HOME\nG=\"\\$HOME\"\n",
                 d, lookup) ==
        "A=[/root/x]\nB=[file]\nC=[from-env]\nD=[def]\nF=[\\/root]\nG=[$HOME]\n");
  CHECK(d.empty());
}

TEST_CASE(".env: a bare key is inherited from the environment") {
  Diagnostics d;
  Environment lookup;
  lookup.set("TOKEN", "t");
  CHECK(env_text("TOKEN\nOTHER\n", d, lookup) == "TOKEN=[t]\n");
}

TEST_CASE(".env: errors name FILE:LINE:COL") {
  Diagnostics d;
  env_text("A=1\nBAD KEY=2\nC=3\n", d);
  REQUIRE(d.has_errors());
  CHECK(location(d.all()[0].span) == ".env:2:5");
  CHECK(d.all()[0].message == "unexpected character 'K' in variable name");
  Diagnostics d2;
  CHECK(env_text("A=\"open\nB=2\n", d2) == "");
  CHECK(location(d2.all().at(0).span) == ".env:1:3");
  Diagnostics d3;
  env_text("A=${X:?X is required}\n", d3);
  CHECK(render(d3).rfind(".env:1:3: error: required variable X is missing a value: X is required",
                         0) == 0);
}

TEST_CASE(".env: load_env_file of a missing file is an error naming it") {
  Diagnostics d;
  Environment out;
  CHECK_FALSE(load_env_file("/nonexistent/.env", {}, out, d));
  CHECK(render(d) == "/nonexistent/.env: error: no such file\n");
}

TEST_CASE("the substituted text is bounded") {
  Environment env;
  env.set("BIG", std::string(1 << 20, 'x'));
  std::string text;
  for (int i = 0; i < 40; ++i) text += "$BIG";
  Diagnostics d;
  CHECK_FALSE(interpolate_string(text, env, Span{}, d));
  CHECK(d.all().at(0).message.find("the result is longer than 16 MiB") != std::string::npos);
  Diagnostics ok;
  CHECK(interpolate_string("$BIG$BIG", env, Span{}, ok)->size() == 2u << 20);
}
