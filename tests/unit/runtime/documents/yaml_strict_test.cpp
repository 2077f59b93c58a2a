// What yaml-cpp accepts and YAML does not: each gap of runtime/documents/yaml_strict.hpp, through
// parse_yaml_document, with its FILE:LINE:COL; and the valid look-alikes that must stay accepted.
#include <catch2/catch.hpp>

#include "lang/core/diagnostics.hpp"
#include "runtime/documents/yaml_loader.hpp"
#include "runtime/documents/yaml_strict.hpp"

using namespace capguard;

namespace {

// "LINE:COL message" of the first error, or "ok".
std::string verdict(const std::string& text) {
  Diagnostics d;
  YamlDocument doc = parse_yaml_document(add_source("s.yaml", text), d);
  if (doc.ok) return "ok";
  const Diagnostic& e = d.all().at(0);
  return std::to_string(e.span.line) + ":" + std::to_string(e.span.column) + " " + e.message;
}

}  // namespace

TEST_CASE("a quoted scalar left open is an error at its opening quote") {
  const std::string dq = "double-quoted scalar is not closed: no \" before the end of the file";
  const std::string sq = "single-quoted scalar is not closed: no ' before the end of the file";
  CHECK(verdict("services:\n  web:\n    command: \"a\n\n") == "3:14 " + dq);
  CHECK(verdict("a: \"b\n") == "1:4 " + dq);
  CHECK(verdict("a: \"b\n# c\n") == "1:4 " + dq);
  CHECK(verdict("a: \"b\nc: d\n") == "1:4 " + dq);
  CHECK(verdict("a: \"x\\\"\n\n") == "1:4 " + dq);  // the only quote is escaped
  CHECK(verdict("a: 'b\n\n\n") == "1:4 " + sq);
  CHECK(verdict("a: 'it''s\n\n") == "1:4 " + sq);
  CHECK(verdict("a: [b, \"c\n").rfind("1:", 0) == 0);
  // Closed ones, over lines, with escapes and doubled quotes, stay valid.
  CHECK(verdict("a: \"b\n  c\"\n") == "ok");
  CHECK(verdict("a: \"x\\\"y\"\n") == "ok");
  CHECK(verdict("a: 'it''s'\n") == "ok");
  CHECK(verdict("a: \"\"\nb: ''\n") == "ok");
  CHECK(verdict("\xEF\xBB\xBF"
                "a: \"b\"\n") == "ok");
  CHECK(verdict("a: &x \"b\"\nc: *x\n") == "ok");
}

TEST_CASE("an empty entry in a flow collection is an error") {
  CHECK(verdict("a: [b, , c]\n") == "1:8 empty entry in a flow sequence: remove the extra comma");
  CHECK(verdict("a: [, b]\n") == "1:5 empty entry in a flow sequence: remove the extra comma");
  CHECK(verdict("a: [b,,c]\n") == "1:7 empty entry in a flow sequence: remove the extra comma");
  CHECK(verdict("a: {x: 1, , y: 2}\n") ==
        "1:11 empty entry in a flow mapping: remove the extra comma");
  // A trailing comma, an explicit null, an empty value and an anchored empty node are YAML.
  CHECK(verdict("a: [b, ]\n") == "ok");
  CHECK(verdict("a: [b, ~, null]\n") == "ok");
  CHECK(verdict("a: {x: , y: 1}\n") == "ok");
  CHECK(verdict("a: {x: 1, }\n") == "ok");
  CHECK(verdict("a: [x, &y , z]\n") == "ok");
}

TEST_CASE("a directive needs a document start") {
  CHECK(verdict("%YAML 1.2\na: 1\n") ==
        "1:1 a directive (`%...`) must be followed by a `---` line before the document");
  CHECK(verdict("%YAML 1.2\n---\na: 1\n") == "ok");
  CHECK(verdict("# c\n%YAML 1.2\n# d\n--- \na: 1\n") == "ok");
  CHECK(directive_without_document_start("a: 1\n%x\n") == std::nullopt);
}

TEST_CASE("text yaml-cpp reads as a second document is named for what it is") {
  const std::string after =
      "text after the end of the document: an indentation mistake, or a "
      "mapping key after a list?";
  CHECK(verdict("- a\nb: c\n") == "2:1 " + after);
  CHECK(verdict("a: 1\n---\nb: 2\n") ==
        "2:1 a compose file holds one YAML document; found a second one");
  CHECK(verdict("a: 1\n...\n\nb\n") ==
        "4:1 a compose file holds one YAML document; found a second one");
}
