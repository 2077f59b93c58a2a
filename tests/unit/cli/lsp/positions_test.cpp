#include <catch2/catch.hpp>

#include "cli/lsp/positions.hpp"

using namespace capguard;
using namespace capguard::lsp;

TEST_CASE("UTF-16 columns and byte columns convert both ways") {
  std::string line = "a\xC3\xA9\xF0\x9F\x94\x92z";  // a é 🔒 z: bytes 1,2,4,1; UTF-16 1,1,2,1
  CHECK(utf16_units(line, 1) == 1);
  CHECK(utf16_units(line, 3) == 2);
  CHECK(utf16_units(line, 7) == 4);
  CHECK(utf16_units(line, 8) == 5);
  CHECK(byte_column(line, 0) == 0);
  CHECK(byte_column(line, 2) == 3);
  CHECK(byte_column(line, 4) == 7);
  CHECK(byte_column(line, 99) == line.size());
  CHECK(utf16_units("\xff\xfe", 2) == 2);  // invalid UTF-8: one unit a byte
}

TEST_CASE("lines and offsets of a text") {
  std::string text = "one\r\ntwo\nthree";
  CHECK(line_of(text, 0) == "one");
  CHECK(line_of(text, 1) == "two");
  CHECK(line_of(text, 2) == "three");
  CHECK(line_of(text, 3).empty());
  CHECK(offset_of(text, {1, 1}) == 6);
  CHECK(offset_of(text, {2, 99}) == text.size());
  CHECK(offset_of(text, {9, 0}) == text.size());
}

TEST_CASE("a span becomes a range on its first line") {
  FileId f = add_source("range.policy", "x\n  s.\xC3\xA9t\xC3\xA9\n");
  // `été` at byte column 5 (1-based), 5 bytes long
  nlohmann::json r = range_of(Span{f, 2, 5, 5});
  CHECK(r["start"]["line"] == 1);
  CHECK(r["start"]["character"] == 4);
  CHECK(r["end"]["character"] == 7);
  // length 0: one character; past the end of the line: still one column
  CHECK(range_of(Span{f, 2, 5, 0})["end"]["character"] == 5);
  CHECK(range_of(Span{f, 1, 2, 0})["end"]["character"] == 2);
  CHECK(range_of(Span{})["end"]["character"] == 1);
}

TEST_CASE("file URIs and paths") {
  CHECK(path_of_uri("file:///a/b%20c.policy") == "/a/b c.policy");
  CHECK(path_of_uri("file://localhost/a.policy") == "/a.policy");
  CHECK(path_of_uri("untitled:Untitled-1").empty());
  CHECK(path_of_uri("file:///a%2") == "/a%2");
  CHECK(uri_of_path("/a/b c.policy") == "file:///a/b%20c.policy");
  CHECK(path_of_uri(uri_of_path("/tmp/\xC3\xA9 #x")) == "/tmp/\xC3\xA9 #x");
}
