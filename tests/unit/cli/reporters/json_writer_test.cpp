// The streaming JSON writer (cli/reporters/json_writer.hpp) writes exactly what dump_json writes
// for the same document built as an nlohmann tree.
#include <random>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli/reporters/json_writer.hpp"
#include "cli/reporters/reporters.hpp"

using namespace capguard::cli;
using Json = nlohmann::ordered_json;

namespace {

std::string nlohmann_string(const std::string& s) {
  return Json(s).dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string writer_string(const std::string& s) {
  std::string out;
  JsonWriter::append_string(out, s);
  return out;
}

}  // namespace

TEST_CASE("JsonWriter: strings are escaped and repaired as nlohmann does") {
  for (std::string s :
       {std::string(""), std::string("plain"), std::string("quote \" backslash \\ slash /"),
        std::string("\b\f\n\r\t\x01\x1f\x7f"),
        std::string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), std::string("bad \xff byte"),
        std::string("cut \xe2\x82"), std::string("\xc0\xaf overlong"),
        std::string("\xed\xa0\x80 surrogate"), std::string("\xf4\x90\x80\x80 too high"),
        std::string("nul \0 inside", 13)}) {
    INFO(s);
    CHECK(writer_string(s) == nlohmann_string(s));
  }
  // Random bytes, biased towards UTF-8 lead and continuation bytes and control characters.
  std::mt19937 rng(15);
  const unsigned char pool[] = {'a',  ' ',  '"',  '\\', '\n', 0x01, 0x7f, 0x80, 0xbf, 0xc2, 0xc3,
                                0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0xa0, 0x9f, 0x90};
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    size_t n = rng() % 12;
    for (size_t i = 0; i < n; ++i) s += static_cast<char>(pool[rng() % sizeof pool]);
    INFO(round);
    REQUIRE(writer_string(s) == nlohmann_string(s));
  }
}

TEST_CASE("JsonWriter: layout is dump_json's (indent 2, empty containers, nesting)") {
  Json tree;
  tree["version"] = 1;
  tree["empty_array"] = Json::array();
  tree["empty_object"] = Json::object();
  tree["list"] = Json::array({Json::object({{"a", nullptr}, {"b", true}}), Json::array(), 7});
  tree["nested"] = {{"x", {{"y", Json::array({"z"})}}}, {"n", false}};
  tree["count"] = static_cast<uint64_t>(18446744073709551615ULL);
  tree["negative"] = -5;

  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("version");
  w.value(1);
  w.key("empty_array");
  w.begin_array();
  w.end_array();
  w.key("empty_object");
  w.begin_object();
  w.end_object();
  w.key("list");
  w.begin_array();
  w.begin_object();
  w.key("a");
  w.null();
  w.key("b");
  w.value(true);
  w.end_object();
  w.begin_array();
  w.end_array();
  w.value(7);
  w.end_array();
  w.key("nested");
  w.begin_object();
  w.key("x");
  w.begin_object();
  w.key("y");
  w.begin_array();
  w.value("z");
  w.end_array();
  w.end_object();
  w.key("n");
  w.value(false);
  w.end_object();
  w.key("count");
  w.value(static_cast<uint64_t>(18446744073709551615ULL));
  w.key("negative");
  w.value(-5);
  w.end_object();
  w.finish();
  CHECK(out == dump_json(tree));
}
