// Adversarial YAML/JSON: every bad text ends in a located diagnostic and a null document, never
// an exception, a crash or a long run.
#include <catch2/catch.hpp>

#include "runtime/documents/yaml_loader.hpp"
#include "tests/unit/robustness/robustness_support.hpp"

using namespace capguard;

namespace {

struct Parsed {
  YamlDocument doc;
  Diagnostics diags;
};

Parsed parse(const std::string& name, const std::string& text) {
  Parsed p;
  FileId f = add_source(name, text);
  p.doc = parse_yaml_document(f, p.diags);
  return p;
}

std::string repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE(
    "flow sequences nested 100k deep are refused at the 257th level (the top mapping is level 1)") {
  Parsed p = parse("deep.yaml", "a: " + repeat("[", 100'000) + repeat("]", 100'000) + "\n");
  CHECK_FALSE(p.doc.ok);
  REQUIRE(p.diags.error_count() == 1);
  CHECK(render(p.diags).rfind("deep.yaml:1:259: error: nesting deeper than 256 levels\n", 0) == 0);
}

TEST_CASE("flow mappings nested 100k deep are refused too") {
  Parsed p = parse("deepmap.yaml", repeat("{a: ", 100'000) + "1" + repeat("}", 100'000));
  CHECK_FALSE(p.doc.ok);
  CHECK(robustness::all_errors_located(p.diags));
  CHECK(render(p.diags).find("nesting deeper than 256 levels") != std::string::npos);
}

TEST_CASE("block mappings nested deeply are refused") {
  std::string text;
  for (int i = 0; i < 400; ++i) text += std::string(size_t(i), ' ') + "k:\n";
  Parsed p = parse("block.yaml", text);
  CHECK_FALSE(p.doc.ok);
  CHECK(render(p.diags).find("block.yaml:257:257: error: nesting deeper than 256 levels") == 0);
}

TEST_CASE("billion laughs stops at the node limit, at the alias that crosses it") {
  std::string text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  const char* names = "abcdefghij";
  for (int i = 1; i < 10; ++i) {
    text += std::string(1, names[i]) + ": &" + names[i] + " [" +
            repeat(std::string("*") + names[i - 1] + ", ", 9) + "*" + names[i - 1] + "]\n";
  }
  Parsed p = parse("laughs.yaml", text);
  CHECK_FALSE(p.doc.ok);
  REQUIRE(p.diags.error_count() == 1);
  CHECK(render(p.diags).find("laughs.yaml:6:") == 0);
  CHECK(render(p.diags).find("more than 1000000 nodes (through aliases)") != std::string::npos);
}

TEST_CASE("a scalar longer than 16 MiB is refused with its location") {
  Parsed p = parse("long.yaml", "k: [1, " + std::string((16u << 20) + 1, 'x') + "]\n");
  CHECK_FALSE(p.doc.ok);
  CHECK(render(p.diags).rfind("long.yaml:1:8: error: scalar of 16777217 bytes exceeds", 0) == 0);
  CHECK(render(p.diags).size() < 1000);
}

TEST_CASE("NUL bytes and invalid UTF-8 never crash and errors are located") {
  const std::vector<std::string> texts = {
      std::string("a: b\0c\n", 7),
      std::string("\0\0\0\0", 4),
      "a: \"\xff\xfe\"\n",
      "\xc3\x28: 1\n",
      "a: [\xed\xa0\x80]\n",
      "\xef\xbb\xbf\xef\xbb\xbf a: 1",
      std::string("{\"a\": \"\0\"}", 10),
  };
  for (const std::string& t : texts) {
    Parsed p = parse("bytes.yaml", t);
    CHECK(p.doc.ok == !p.diags.has_errors());
    CHECK(robustness::all_errors_located(p.diags));
  }
}

TEST_CASE("random bytes and mutated compose files: ok xor located errors") {
  std::mt19937 rng(20261129);
  std::vector<std::string> seeds = robustness::corpus("examples", ".yaml");
  REQUIRE(!seeds.empty());
  const std::vector<std::string> tokens = {
      "[",    "]",  "{", "}",   "&a ",   "*a", "<<: ", "!reset ",     "- ",      ": ",
      "\n  ", "\"", "'", "|\n", "---\n", "\t", "? ",   "%YAML 1.2\n", "\\u0000", "\xff"};
  for (int i = 0; i < 600; ++i) {
    std::string text = robustness::mutate(seeds[size_t(i) % seeds.size()], rng, tokens, 1 + i % 12);
    Parsed p = parse("m.yaml", text);
    REQUIRE(p.doc.ok == !p.diags.has_errors());
    REQUIRE(robustness::all_errors_located(p.diags));
    if (p.doc.ok) (void)to_json_text(p.doc.root);
  }
  for (int i = 0; i < 200; ++i) {
    std::string text(size_t(rng() % 256), '\0');
    for (char& c : text) c = static_cast<char>(rng() & 0xff);
    Parsed p = parse("r.yaml", text);
    REQUIRE(p.doc.ok == !p.diags.has_errors());
    REQUIRE(robustness::all_errors_located(p.diags));
  }
}
