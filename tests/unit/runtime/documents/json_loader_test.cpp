// The JSON fast path (runtime/documents/json_loader.hpp) against the YAML library path: for every
// JSON document it takes, the same tree (kinds, values, key order) with the same spans; what it
// does not take is left to the YAML path with today's messages.
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "lang/core/diagnostics.hpp"
#include "runtime/documents/json_loader.hpp"
#include "runtime/documents/yaml_loader.hpp"
#include "tests/unit/support/value_difference.hpp"

using namespace capguard;
namespace fs = std::filesystem;

namespace {

using testing::value_difference;

enum class Outcome { Same, NotTaken };

// parse_json_elements on a text parse_json_document took as `whole`: when that is an array of
// objects, the same items with the same spans, one by one; otherwise not taken.
void check_elements(FileId f, const Value& whole, const YamlLimits& limits) {
  bool objects = whole.is_sequence();
  if (objects) {
    for (const Value& item : whole.as_list()) objects = objects && item.is_map();
  }
  List items;
  Span array;
  size_t count = 0;
  bool taken = parse_json_elements(
      f, limits,
      [&](Span s, size_t n) {
        array = s;
        count = n;
        return true;
      },
      [&](Value item) {
        items.push_back(std::move(item));
        return true;
      });
  REQUIRE(taken == objects);
  if (!taken) return;
  CHECK(value_difference(Value::list(items, array), whole, "$") == "");
  CHECK(count == whole.as_list().size());
}

// Reads `text` both ways. When the fast path takes it, the YAML library must read it without an
// error to the same tree; returns Same then, NotTaken otherwise (after checking that the YAML
// path's result is what parse_yaml_document gives).
Outcome compare(const std::string& text, const std::string& name = "t.json",
                const YamlLimits& limits = {}) {
  FileId f = add_source(name, text);
  std::optional<Value> fast = parse_json_document(f, limits);
  Diagnostics yd;
  YamlDocument slow = parse_yaml_library_document(f, yd, limits);
  Diagnostics ad;
  YamlDocument both = parse_yaml_document(f, ad, limits);
  if (!fast) {
    INFO(name << ": " << text.substr(0, 300));
    CHECK(both.ok == slow.ok);
    CHECK(render(ad) == render(yd));
    CHECK(value_difference(both.root, slow.root, "$") == "");
    return Outcome::NotTaken;
  }
  INFO(name << ": " << text.substr(0, 300) << "\n" << render(yd));
  REQUIRE(slow.ok);
  REQUIRE(!yd.has_errors());
  CHECK(slow.tags.empty());
  CHECK(value_difference(*fast, slow.root, "$") == "");
  CHECK(both.ok);
  CHECK(value_difference(both.root, slow.root, "$") == "");
  check_elements(f, *fast, limits);
  return Outcome::Same;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A random JSON document: every kind of scalar, escapes, raw UTF-8, nesting, and several
// layouts (compact, indented, tabs, CRLF).
class RandomJson {
 public:
  explicit RandomJson(uint32_t seed) : rng_(seed) {}
  std::string document() {
    layout_ = pick(4);
    std::string out;
    if (pick(5) == 0) out += "\xEF\xBB\xBF";
    if (pick(3) == 0) out += newline();
    collection(out, 0);
    if (pick(2) == 0) out += newline();
    return out;
  }

 private:
  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  std::string newline() { return layout_ == 3 ? "\r\n" : "\n"; }
  void indent(std::string& out, int depth) {
    if (layout_ == 0) return;
    out += newline();
    for (int i = 0; i < depth; ++i) out += layout_ == 2 ? "\t" : "  ";
  }
  void string(std::string& out) {
    static const char* pieces[] = {"a",
                                   "Z",
                                   "0",
                                   " ",
                                   "yes",
                                   "null",
                                   "~",
                                   "- x",
                                   "a: b",
                                   "#c",
                                   "&a",
                                   "*a",
                                   "!t",
                                   "%d",
                                   "@",
                                   "`",
                                   "<<",
                                   "\\\"",
                                   "\\\\",
                                   "\\/",
                                   "\\b",
                                   "\\f",
                                   "\\n",
                                   "\\r",
                                   "\\t",
                                   "\\u00e9",
                                   "\\u0041",
                                   "\\u4e2d",
                                   "\\u0000",
                                   "é",
                                   "中",
                                   "😀",
                                   "\xC2\x85",
                                   "\\u2028",
                                   "\xE2\x80\xA8",
                                   "'",
                                   "{",
                                   "}",
                                   "[",
                                   "]",
                                   ",",
                                   ":",
                                   "? ",
                                   "|",
                                   ">",
                                   "\x7F",
                                   "\\uFEFF",
                                   "\xEF\xBB\xBF",
                                   "0x1F",
                                   "1e3",
                                   "true",
                                   ".inf",
                                   "-",
                                   "\\u001f"};
    out += '"';
    size_t n = pick(6);
    for (size_t i = 0; i < n; ++i) out += pieces[pick(sizeof pieces / sizeof *pieces)];
    out += '"';
  }
  void scalar(std::string& out) {
    static const char* numbers[] = {"0",
                                    "-0",
                                    "1",
                                    "-1",
                                    "42",
                                    "1.5",
                                    "-0.25",
                                    "1e5",
                                    "1E-5",
                                    "-1.25e+3",
                                    "0.1",
                                    "6.02e23",
                                    "1e400",
                                    "-1e400",
                                    "1.0",
                                    "100000000000000000000",
                                    "9223372036854775807",
                                    "9223372036854775808",
                                    "-9223372036854775808",
                                    "0e0",
                                    "123456789.123456789"};
    switch (pick(5)) {
      case 0:
        out += numbers[pick(sizeof numbers / sizeof *numbers)];
        break;
      case 1:
        out += pick(2) ? "true" : "false";
        break;
      case 2:
        out += "null";
        break;
      default:
        string(out);
    }
  }
  void value(std::string& out, int depth) {
    if (depth < 5 && pick(3) == 0) {
      collection(out, depth);
    } else {
      scalar(out);
    }
  }
  void collection(std::string& out, int depth) {
    bool map = pick(2) == 0;
    size_t n = pick(5);
    out += map ? '{' : '[';
    for (size_t i = 0; i < n; ++i) {
      if (i) out += ',';
      indent(out, depth + 1);
      if (map) {
        // Unique keys: an index keeps them apart.
        size_t mark = out.size();
        string(out);
        out.insert(out.size() - 1, "k" + std::to_string(i));
        (void)mark;
        out += layout_ == 0 ? ":" : ": ";
      }
      value(out, depth + 1);
    }
    if (n) indent(out, depth);
    out += map ? '}' : ']';
  }

  std::mt19937 rng_;
  size_t layout_ = 0;
};

}  // namespace

TEST_CASE("JSON fast path: every kind of scalar, typed and placed as the YAML path does") {
  const char* docs[] = {
      "[]",
      "{}",
      "[1]",
      "[\"a\"]",
      "{\"a\": 1}",
      "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}",
      "[0, -0, 1, -1, 1.5, 1e5, 1E+5, -1.25e-3, 0.0, 1e400, 100000000000000000000]",
      "[9223372036854775807, 9223372036854775808, -9223372036854775808, -9223372036854775809]",
      "[\"\", \"yes\", \"no\", \"on\", \"null\", \"~\", \"true\", \"1\", \"0x10\", \"0777\"]",
      "[\"a\\\"b\", \"\\\\\", \"\\/\", \"\\b\\f\\n\\r\\t\", \"\\u0041\\u00e9\\u4e2d\"]",
      "[\"\\u0000\", \"\\u001F\"]",
      "[\"é\", \"中文\", \"😀\", \"\xC2\x85\", \"\xE2\x80\xA8\", \"\x7F\"]",
      "[\"é\", 1, \"中\", 2, \"😀\", 3]",
      "\xEF\xBB\xBF[1, \"a\", {\"b\": null}]",
      "\xEF\xBB\xBF  {\"a\": [1, 2]}",
      "[\n  1,\n  \"two\",\n  {\n    \"three\": 3\n  }\n]\n",
      "[\r\n  1,\r\n  \"two\"\r\n]\r\n",
      "{\n\t\"a\":\t1,\n\t\"b\": [\n\t\t\"c\"\n\t]\n}",
      "\n\n   [1]",
      "[\n{\"a\": 1}\n]",
      "{\"<<\": {\"a\": 1}, \"b\": 2}",
      "{\"&a\": 1, \"*a\": 2, \"!t\": 3, \"? x\": 4, \"- y\": 5, \"#\": 6}",
      "{\"a\" : 1 , \"b\" :2}",
      "[[[[[[[[[[1]]]]]]]]]]",
      "[{}, [], {\"a\": {}}, [[]]]",
  };
  for (const char* doc : docs) {
    INFO(doc);
    CHECK(compare(doc) == Outcome::Same);
  }
}

TEST_CASE("JSON fast path: long strings, long keys and long lines") {
  std::string long_text(70000, 'x');
  CHECK(compare("[\"" + long_text + "\"]") == Outcome::Same);
  // yaml-cpp takes a key at most 1024 bytes before its `:`, on the same line.
  CHECK(compare("{\"" + std::string(1022, 'k') + "\": 1}") == Outcome::Same);
  CHECK(compare("{\"" + std::string(1021, 'k') + "\" : 1}") == Outcome::Same);
  CHECK(compare("{\"" + std::string(1023, 'k') + "\": 1}") == Outcome::NotTaken);
  CHECK(compare("{\"" + std::string(2000, 'k') + "\": 1}") == Outcome::NotTaken);
  CHECK(compare("{\"a\"\n: 1}") == Outcome::NotTaken);
  CHECK(compare("{\"a\":\n 1}") == Outcome::Same);
  std::string line = "[";
  for (int i = 0; i < 5000; ++i) line += (i ? ", \"" : "\"") + std::to_string(i) + "\"";
  line += "]";
  CHECK(compare(line) == Outcome::Same);
  // A mapping large enough for the duplicate check's index.
  std::string map = "{";
  for (int i = 0; i < 100; ++i)
    map += (i ? ", \"k" : "\"k") + std::to_string(i) + "\": " + std::to_string(i);
  map += "}";
  CHECK(compare(map) == Outcome::Same);
}

TEST_CASE("JSON fast path: text it does not take keeps the YAML path's result and messages") {
  const char* docs[] = {
      "{services: {a: {image: x}}}",  // flow YAML
      "[a, b]",                       // plain scalars
      "{\"a\": 1, \"a\": 2}",         // duplicate key: the YAML path's message
      "[1, 2",                        // unclosed
      "[1,]",                         // trailing comma
      "[1] [2]",                      // text after the document
      "[1]\n---\n[2]\n",              // a second document
      "[01]",                         // leading zero
      "[.5]",                         // not a JSON number
      "[+1]",                         // not a JSON number
      "['a']",                        // single quotes
      "[\"a\tb\"]",                   // a raw tab in a string
      "[\"\\ud83d\"]",                // a lone high surrogate
      "[\"\\ude00\"]",                // a lone low surrogate
      "[\"\\ud83dx\"]",               // a high surrogate without its pair
      "[\"\\x41\"]",                  // not a JSON escape
      "[\"\\u12\"]",                  // short \u escape
      "[\"\xFF\"]",                   // invalid UTF-8
      "[\"\xC0\xAF\"]",               // overlong UTF-8
      "[\"\xED\xA0\x80\"]",           // an encoded surrogate
      "[1,\r2]",                      // a lone carriage return
      "[1] # comment",                // a YAML comment
      "[1, &a 2, *a]",                // anchors
      "[!!str 1]",                    // a tag
      "{\"a\": 1, b: 2}",             // a plain key
      "[True, NULL]",                 // YAML, not JSON, spellings
      "[\"a\"\x00]",                  // (cut at the NUL by the literal: a valid document)
  };
  for (const char* doc : docs) compare(doc);
  CHECK(compare("{services: {a: {image: x}}}") == Outcome::NotTaken);
  CHECK(compare("{\"a\": 1, \"a\": 2}") == Outcome::NotTaken);
  CHECK(compare(std::string("[\"a\"]\0", 6)) == Outcome::NotTaken);
  CHECK(compare("[\"\\ud83d\"]") == Outcome::NotTaken);
  CHECK(compare("[\"\xFF\"]") == Outcome::NotTaken);

  // The YAML path's message for a duplicate key, unchanged.
  Diagnostics d;
  YamlDocument doc = parse_yaml_document(add_source("dup.json", "{\"a\": 1,\n \"a\": 2}"), d);
  CHECK(!doc.ok);
  CHECK(render(d).find("dup.json:2:2") != std::string::npos);
  CHECK(render(d).find("mapping key \"a\" already defined at line 1") != std::string::npos);
}

TEST_CASE("JSON fast path: limits are the YAML path's, reported by it") {
  YamlLimits limits;
  limits.max_depth = 3;
  CHECK(compare("[[[1]]]", "t.json", limits) == Outcome::Same);
  CHECK(compare("[[[[1]]]]", "t.json", limits) == Outcome::NotTaken);
  limits = YamlLimits{};
  limits.max_nodes = 5;  // the list, its items, a map, its key and its value
  CHECK(compare("[1, 2, {\"a\": 3}]", "t.json", limits) == Outcome::NotTaken);
  CHECK(compare("[1, {\"a\": 3}]", "t.json", limits) == Outcome::Same);
  // Past max_nodes, the fast path still takes a document whose tree is at most 4 bytes per byte of
  // text (JSON has no aliases: its size is bounded by the text's); the YAML path refuses it.
  std::string spaced = "[1, 2, 3, 4, 5, 6]" + std::string(200, ' ');
  FileId f = add_source("spaced.json", spaced);
  REQUIRE(parse_json_document(f, limits));
  CHECK(parse_json_document(f, limits)->as_list().size() == 6);
  Diagnostics d;
  CHECK(!parse_yaml_library_document(f, d, limits).ok);
  CHECK(render(d).find("document expands to more than 5 nodes") != std::string::npos);
  std::string strings = "[\"\"";
  for (int i = 0; i < 1000; ++i) strings += ",\"\"";
  strings += "]";
  CHECK(compare(strings, "t.json", limits) == Outcome::NotTaken);
  limits = YamlLimits{};
  limits.max_scalar_bytes = 4;
  CHECK(compare("[\"abcd\"]", "t.json", limits) == Outcome::Same);
  CHECK(compare("[\"abcde\"]", "t.json", limits) == Outcome::NotTaken);
  CHECK(compare("{\"abcde\": 1}", "t.json", limits) == Outcome::NotTaken);
}

TEST_CASE("JSON fast path: random documents read the same both ways") {
  RandomJson gen(20261204);
  for (int i = 0; i < 600; ++i) {
    std::string doc = gen.document();
    INFO(doc);
    CHECK(compare(doc, "random.json") == Outcome::Same);
  }
}

TEST_CASE("JSON fast path: the repository's JSON files, as written and reformatted") {
  size_t files = 0, taken = 0;
  for (const char* dir : {"tests", "examples", "bench/data"}) {
    for (const auto& entry :
         fs::recursive_directory_iterator(fs::path(CAPGUARD_SOURCE_DIR) / dir)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
      if (entry.file_size() > (4u << 20)) continue;
      // The fuzz regressions hold what the YAML library refuses on purpose (a surrogate pair).
      if (entry.path().string().find("/fuzz/") != std::string::npos) continue;
      std::string text = read_all(entry.path());
      ++files;
      std::string name = entry.path().string();
      if (compare(text, name) == Outcome::Same) ++taken;
      // Reformatted: compact, indented, tab-indented, and with every non-ASCII character
      // escaped (surrogate pairs included).
      nlohmann::ordered_json j = nlohmann::ordered_json::parse(text, nullptr, false);
      if (j.is_discarded() || !(j.is_array() || j.is_object())) continue;
      CHECK(compare(j.dump(), name + " (compact)") == Outcome::Same);
      CHECK(compare(j.dump(4), name + " (indented)") == Outcome::Same);
      CHECK(compare(j.dump(1, '\t', true), name + " (tabs, ASCII)") == Outcome::Same);
    }
  }
  CHECK(files > 50);
  CHECK(taken * 10 >= files * 9);
}

TEST_CASE(
    "JSON fast path: a surrogate pair is read as its character (the YAML library refuses it)") {
  FileId f = add_source("s.json", "[\"x\\ud83d\\ude00y\", \"\\uD834\\uDD1E\"]");
  std::optional<Value> v = parse_json_document(f);
  REQUIRE(v);
  CHECK(v->as_list()[0].as_string() == "x\xF0\x9F\x98\x80y");
  CHECK(v->as_list()[0].span().column == 2);
  CHECK(v->as_list()[0].span().length == 16);
  CHECK(v->as_list()[1].as_string() == "\xF0\x9D\x84\x9E");
  Diagnostics d;
  CHECK(!parse_yaml_library_document(f, d).ok);
  CHECK(render(d).find("invalid unicode") != std::string::npos);
}

TEST_CASE("JSON fast path item by item: each object of an array in a block of its own") {
  const std::string text =
      "\xEF\xBB\xBF [\n  {\"Id\": \"a\", \"Name\": \"/one\", \"Args\": [\"x\", \"x\", 1.5, null],\n"
      "   \"Config\": {\"Env\": [\"A=\\u00e9\", \"B=2\"], \"Tty\": false}},\r\n"
      "  {\"Id\": \"b\", \"Name\": \"/two\", \"Args\": [], \"Config\": {}}, {}\n]\n";
  FileId f = add_source("items.json", text);
  std::optional<Value> whole = parse_json_document(f);
  REQUIRE(whole);
  check_elements(f, *whole, {});
  // Stopped by either callback: false, and no further item read.
  size_t seen = 0;
  CHECK_FALSE(parse_json_elements(
      f, {}, [](Span, size_t n) { return n == 3; }, [&](Value) { return ++seen < 2; }));
  CHECK(seen == 2);
  CHECK_FALSE(parse_json_elements(
      f, {}, [](Span, size_t) { return false; }, [&](Value) { return ++seen > 0; }));
  CHECK(seen == 2);
  // Not taken: an object, an array with a scalar item, text with a mistake.
  for (const char* other : {"{\"a\": 1}", "[{}, 1]", "[{\"a\": 1,}]", "[{\"a\": 1, \"a\": 2}]"}) {
    INFO(other);
    FileId g = add_source("other.json", other);
    CHECK_FALSE(parse_json_elements(
        g, {}, [](Span, size_t) { return true; }, [](Value) { return true; }));
  }
}
