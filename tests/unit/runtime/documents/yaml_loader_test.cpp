// YAML/JSON loading: typing of scalars, spans, anchors and merge keys, tags, limits, errors.
#include <random>

#include <catch2/catch.hpp>

#include "lang/core/diagnostics.hpp"
#include "lang/core/file_read.hpp"
#include "runtime/documents/yaml_loader.hpp"
#include "runtime/documents/yaml_scalar.hpp"

using namespace capguard;

namespace {

struct Parsed {
  YamlDocument doc;
  Diagnostics diags;
  std::string json() const { return to_json_text(doc.root); }
  std::string errors() const { return render(diags); }
};

Parsed parse(const std::string& text, const YamlLimits& limits = {}) {
  Parsed p;
  FileId f = add_source("t.yaml", text);
  p.doc = parse_yaml_document(f, p.diags, limits);
  return p;
}

// "t.yaml:L:C: error: message" of the first diagnostic.
std::string first_error(const Parsed& p) {
  REQUIRE(!p.diags.all().empty());
  const Diagnostic& d = p.diags.all().front();
  return location(d.span) + ": " + d.message;
}

}  // namespace

TEST_CASE("plain scalars are typed as compose-go (YAML 1.2 core) types them") {
  Parsed p = parse(
      "a: true\nb: False\nc: yes\nd: off\ne: 42\nf: 0x1F\ng: 0o17\nh: 0777\ni: 1_000\n"
      "j: 1.5\nk: .inf\nl: ~\nm: null\nn:\no: 80:80\np: 2001-12-14\nq: -7\nr: 1e3\ns: 08\n");
  INFO(p.errors());
  REQUIRE(p.doc.ok);
  CHECK(p.json() ==
        R"({"a":true,"b":false,"c":"yes","d":"off","e":42,"f":31,"g":15,"h":511,"i":1000,)"
        R"("j":1.5,"k":null,"l":null,"m":null,"n":null,"o":"80:80","p":"2001-12-14","q":-7,)"
        R"("r":1000.0,"s":8.0})");
}

TEST_CASE("quoted and block scalars are strings; core tags convert") {
  Parsed p =
      parse("a: \"true\"\nb: '42'\nc: |\n  x\nd: !!str 12\ne: !!int \"12\"\nf: !!bool \"true\"\n");
  INFO(p.errors());
  REQUIRE(p.doc.ok);
  CHECK(p.json() == R"({"a":"true","b":"42","c":"x\n","d":"12","e":12,"f":true})");
}

TEST_CASE("a core tag that does not fit its text is an error at the scalar") {
  Parsed p = parse("a: !!int abc\n");
  CHECK_FALSE(p.doc.ok);
  CHECK(first_error(p) == "t.yaml:1:4: cannot read \"abc\" as tag:yaml.org,2002:int");
}

TEST_CASE("parse_go_int follows strconv.ParseInt base 0") {
  CHECK(parse_go_int("9223372036854775807") == INT64_MAX);
  CHECK(parse_go_int("-9223372036854775808") == INT64_MIN);
  CHECK_FALSE(parse_go_int("9223372036854775808"));
  CHECK(parse_go_int("+12") == 12);
  CHECK(parse_go_int("0b101") == 5);
  CHECK_FALSE(parse_go_int("0x"));
  CHECK_FALSE(parse_go_int("12a"));
}

TEST_CASE("every value keeps its line and column") {
  Parsed p = parse("services:\n  web:\n    image: \"nginx:1.27\"\n    ports:\n      - 80:80\n");
  REQUIRE(p.doc.ok);
  const Value* web = p.doc.root.get("services")->get("web");
  REQUIRE(web);
  const Value* image = web->get("image");
  CHECK(image->span().line == 3);
  CHECK(image->span().column == 12);
  CHECK(image->span().length == 12);
  CHECK(written_text(image->span()) == "\"nginx:1.27\"");
  const Value& port = web->get("ports")->as_list().at(0);
  CHECK(port.span().line == 5);
  CHECK(port.span().column == 9);
  CHECK(written_text(port.span()) == "80:80");
  CHECK(web->get("ports")->span().line == 5);
  CHECK(web->get("ports")->span().column == 7);
}

TEST_CASE("JSON input goes through the same path with positions") {
  Parsed p = parse(
      "[\n  {\"Id\": \"abc\",\n   \"HostConfig\": {\"Privileged\": true, \"CapAdd\": null}}\n]\n");
  INFO(p.errors());
  REQUIRE(p.doc.ok);
  CHECK(p.json() == R"([{"Id":"abc","HostConfig":{"Privileged":true,"CapAdd":null}}])");
  const Value* priv = p.doc.root.as_list()[0].get("HostConfig")->get("Privileged");
  CHECK(priv->span().line == 3);
  CHECK(priv->span().column == 33);
  CHECK(p.doc.root.as_list()[0].get("HostConfig")->get("CapAdd")->is_null());
  CHECK(p.doc.root.as_list()[0].get("HostConfig")->span().column == 18);
}

TEST_CASE("anchors, aliases and merge keys") {
  Parsed p = parse(
      "x-base: &base\n  image: busybox\n  user: root\nx-net: &net\n  network_mode: host\n"
      "  user: nobody\nservices:\n  a:\n    <<: *base\n    user: app\n  b:\n    <<: [*net, *base]\n"
      "  c: *base\n");
  INFO(p.errors());
  REQUIRE(p.doc.ok);
  const Value* s = p.doc.root.get("services");
  CHECK(to_json_text(*s->get("a")) == R"({"image":"busybox","user":"app"})");
  // Earlier merged maps win: user comes from *net.
  CHECK(to_json_text(*s->get("b")) ==
        R"({"network_mode":"host","user":"nobody","image":"busybox"})");
  CHECK(to_json_text(*s->get("c")) == R"({"image":"busybox","user":"root"})");
  // Aliased values keep the span where they were written.
  CHECK(s->get("a")->get("image")->span().line == 2);
}

TEST_CASE("a merge key needs mappings") {
  Parsed p = parse("a: &a [1]\nb:\n  <<: *a\n");
  CHECK_FALSE(p.doc.ok);
  CHECK(first_error(p) == "t.yaml:3:3: a merge key (<<) list may only hold mappings");
  Parsed q = parse("b:\n  <<: 3\n");
  CHECK(first_error(q) == "t.yaml:2:3: a merge key (<<) takes a mapping or a list of mappings");
}

TEST_CASE("custom tags are kept for the merge step") {
  Parsed p = parse(
      "services:\n  web:\n    ports: !reset []\n    command: !override [a]\n    user: !reset\n");
  INFO(p.errors());
  REQUIRE(p.doc.ok);
  const Value* web = p.doc.root.get("services")->get("web");
  REQUIRE(p.doc.tags.find(web->get("ports")->span()));
  CHECK(*p.doc.tags.find(web->get("ports")->span()) == "!reset");
  CHECK(*p.doc.tags.find(web->get("command")->span()) == "!override");
  REQUIRE(p.doc.tags.find(web->get("user")->span()));
  CHECK(*p.doc.tags.find(web->get("user")->span()) == "!reset");
  CHECK(p.doc.tags.find(web->span()) == nullptr);
}

TEST_CASE("duplicate keys are an error at the second key") {
  Parsed p = parse("services:\n  web:\n    image: a\n    image: b\n");
  CHECK_FALSE(p.doc.ok);
  CHECK(p.doc.root.is_null());
  CHECK(first_error(p) == "t.yaml:4:5: mapping key \"image\" already defined at line 3");
}

TEST_CASE("duplicate keys are found in large mappings too") {
  std::string text;
  for (int i = 1; i <= 40; ++i) text += "k" + std::to_string(i) + ": " + std::to_string(i) + "\n";
  Parsed ok = parse(text);
  REQUIRE(ok.doc.ok);
  CHECK(ok.doc.root.as_map().size() == 40);
  CHECK(ok.doc.root.as_map()[39].first == "k40");
  Parsed p = parse(text + "k3: again\n");
  CHECK(first_error(p) == "t.yaml:41:1: mapping key \"k3\" already defined at line 3");
  Parsed q = parse(text + "<<: {k41: x, k2: y}\nk20: z\n");
  CHECK(first_error(q) == "t.yaml:42:1: mapping key \"k20\" already defined at line 20");
}

TEST_CASE("syntax errors are diagnostics at the parser's mark") {
  Parsed p = parse("services:\n  web:\n    image: [a, b\n");
  CHECK_FALSE(p.doc.ok);
  CHECK(p.diags.error_count() == 1);
  // yaml-cpp notices an unclosed bracket at the end of the text.
  CHECK(first_error(p) == "t.yaml:4:1: invalid YAML: end of sequence flow not found");
  Parsed q = parse("a: b: c\n");
  CHECK_FALSE(q.doc.ok);
  CHECK(first_error(q) == "t.yaml:1:5: invalid YAML: illegal map value");
  Parsed r = parse("a: *nope\n");
  CHECK_FALSE(r.doc.ok);
  CHECK(first_error(r) == "t.yaml:1:4: invalid YAML: the referenced anchor is not defined");
}

TEST_CASE("a byte order mark does not shift columns; CRLF line ends are fine") {
  Parsed p = parse("\xEF\xBB\xBFimage: nginx\r\nuser: \"0\"\r\n");
  REQUIRE(p.doc.ok);
  CHECK(p.doc.root.get("image")->span().column == 11);
  CHECK(written_text(p.doc.root.get("image")->span()) == "nginx");
  CHECK(written_text(p.doc.root.get("user")->span()) == "\"0\"");
  Parsed e = parse(
      "\xEF\xBB\xBF"
      "a: [1\n");
  CHECK(first_error(e) == "t.yaml:2:1: invalid YAML: end of sequence flow not found");
  Parsed c = parse(
      "\xEF\xBB\xBF"
      "a: b: c\n");
  CHECK(first_error(c) == "t.yaml:1:8: invalid YAML: illegal map value");
}

TEST_CASE("a second document is an error; an empty text is null") {
  Parsed p = parse("a: 1\n---\nb: 2\n");
  CHECK_FALSE(p.doc.ok);
  CHECK(first_error(p) == "t.yaml:2:1: a compose file holds one YAML document; found a second one");
  Parsed e = parse("# nothing\n");
  CHECK(e.doc.ok);
  CHECK(e.doc.root.is_null());
}

TEST_CASE("limits: depth, alias expansion, scalar length") {
  YamlLimits limits;
  limits.max_depth = 4;
  Parsed deep = parse("a: {b: {c: {d: {e: 1}}}}\n", limits);
  CHECK_FALSE(deep.doc.ok);
  CHECK(first_error(deep) == "t.yaml:1:16: nesting deeper than 4 levels");
  Parsed ok = parse("a: {b: {c: 1}}\n", limits);
  CHECK(ok.doc.ok);

  // Billion laughs: each level doubles... here tenfold, 10^7 nodes at the last level.
  std::string laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'h'; ++c) {
    std::string prev(1, static_cast<char>(c - 1));
    laughs += std::string(1, c) + ": &" + c + " [*" + prev + ", *" + prev + ", *" + prev + ", *" +
              prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev +
              ", *" + prev + "]\n";
  }
  Parsed bomb = parse(laughs);
  CHECK_FALSE(bomb.doc.ok);
  CHECK(first_error(bomb).find("document expands to more than 1000000 nodes") != std::string::npos);

  // Chained aliases each adding depth: every anchor is 3 deep and holds the previous one.
  YamlLimits ten;
  ten.max_depth = 10;
  Parsed chain = parse("a: &a [[[1]]]\nb: &b [[[*a]]]\nc: &c [[[*b]]]\nd: [*c]\n", ten);
  CHECK_FALSE(chain.doc.ok);
  CHECK(first_error(chain) == "t.yaml:4:5: nesting deeper than 10 levels (through aliases)");
  CHECK(parse("a: &a [[[1]]]\nb: &b [[[*a]]]\nc: &c [[[*b]]]\nd: *c\n", ten).doc.ok);

  YamlLimits small;
  small.max_scalar_bytes = 8;
  Parsed big = parse("a: 123456789\n", small);
  CHECK(first_error(big) == "t.yaml:1:4: scalar of 9 bytes exceeds the limit of 8 bytes");
}

TEST_CASE("very deep nesting is refused without a crash") {
  std::string text(100000, '[');
  Parsed p = parse(text);
  CHECK_FALSE(p.doc.ok);
  CHECK(p.diags.error_count() == 1);
}

TEST_CASE("a text past the input limit is read only by the JSON path") {
  set_max_input_bytes(64);
  set_max_json_input_bytes(size_t{1} << 20);
  std::string items;
  for (int i = 0; i < 40; ++i) items += std::to_string(i) + ", ";
  Diagnostics d;
  YamlDocument ok = parse_yaml_document(add_source("big.json", "[" + items + "40]"), d);
  CHECK(ok.ok);
  CHECK(ok.root.as_list().size() == 41);
  CHECK(render(d).empty());
  Diagnostics d2;
  YamlDocument bad = parse_yaml_document(add_source("bad.json", "[" + items + "]"), d2);
  CHECK_FALSE(bad.ok);
  CHECK(render(d2) ==
        "bad.json: error: file is larger than the limit of 64 bytes (CAPGUARD_MAX_INPUT_BYTES "
        "sets it); a larger input is read only when it is strict JSON (RFC 8259), and this one is "
        "not\n");
  set_max_input_bytes(kDefaultMaxInputBytes);
  set_max_json_input_bytes(kDefaultMaxJsonInputBytes);
}

TEST_CASE("read_file: missing, folder, too large") {
  Diagnostics d;
  CHECK_FALSE(read_file("/nonexistent/compose.yaml", d));
  CHECK(render(d) == "/nonexistent/compose.yaml: error: no such file\n");
  Diagnostics d2;
  CHECK_FALSE(read_file(CAPGUARD_SOURCE_DIR, d2));
  CHECK(d2.has_errors());
  set_max_input_bytes(10);
  Diagnostics d3;
  CHECK_FALSE(read_file(std::string(CAPGUARD_SOURCE_DIR) + "/CMakeLists.txt", d3));
  set_max_input_bytes(kDefaultMaxInputBytes);
  CHECK(d3.all().at(0).message ==
        "file is larger than the limit of 10 bytes (CAPGUARD_MAX_INPUT_BYTES sets it)");
  Diagnostics d4;
  auto id = read_file(std::string(CAPGUARD_SOURCE_DIR) + "/CMakeLists.txt", d4);
  REQUIRE(id);
  CHECK(source(*id).text().find("project(capguard") != std::string::npos);
}

TEST_CASE("fuzz: random and truncated inputs never throw or crash") {
  const std::string seed_text =
      "x-a: &a {image: \"nginx\", cap_add: [NET_ADMIN]}\nservices:\n  web:\n    <<: *a\n"
      "    ports: !reset ['80:80', {target: 80}]\n    environment:\n      - A=${B:-c}\n"
      "    command: |\n      sh -c 'echo'\n  db: {image: postgres, user: \"0:0\"}\n";
  std::mt19937 rng(12345);
  const std::string alphabet = "{}[]:,-&*!|>'\"#\n \t<a1?%@`\\";
  for (int round = 0; round < 1500; ++round) {
    std::string text = seed_text.substr(0, rng() % (seed_text.size() + 1));
    int mutations = static_cast<int>(rng() % 4);
    for (int m = 0; m < mutations && !text.empty(); ++m)
      text[rng() % text.size()] = alphabet[rng() % alphabet.size()];
    Parsed p;
    REQUIRE_NOTHROW(p = parse(text));
    // Either a tree or at least one error, never both missing.
    CHECK((p.doc.ok || p.diags.has_errors()));
    for (const Diagnostic& d : p.diags.all()) CHECK(d.span.file != 0);
  }
}
