// Merge rules of compose-spec 13-merge.md, on parsed YAML.
#include <catch2/catch.hpp>

#include "lang/core/diagnostics.hpp"
#include "runtime/documents/compose/merge.hpp"
#include "runtime/documents/yaml_loader.hpp"

using namespace capguard;

namespace {

struct Merged {
  Value value;
  std::string json() const { return to_json_text(value); }
};

Merged merge_texts(const std::string& a, const std::string& b) {
  Diagnostics d;
  YamlDocument da = parse_yaml_document(add_source("a.yaml", a), d);
  YamlDocument db = parse_yaml_document(add_source("b.yaml", b), d);
  INFO(render(d));
  REQUIRE(da.ok);
  REQUIRE(db.ok);
  YamlTags tags = da.tags;
  tags.append(db.tags);
  return {merge_compose(apply_reset_tags(da.root, tags), db.root, tags)};
}

std::string web(const Merged& m) {
  return to_json_text(*m.value.get("services")->get("web"));
}

}  // namespace

TEST_CASE("mappings merge, the later file winning; new services are added") {
  Merged m = merge_texts("services:\n  web: {image: a, user: root}\n",
                         "services:\n  web: {image: b, read_only: true}\n  db: {image: pg}\n");
  CHECK(m.json() ==
        R"({"services":{"web":{"image":"b","user":"root","read_only":true},"db":{"image":"pg"}}})");
}

TEST_CASE("sequences append; command, entrypoint and healthcheck.test are replaced") {
  Merged m = merge_texts(
      "services:\n  web:\n    dns: [1.1.1.1]\n    command: [echo, foo]\n    entrypoint: sh\n"
      "    healthcheck: {test: [CMD, a], interval: 5s}\n",
      "services:\n  web:\n    dns: [8.8.8.8]\n    command: [echo, bar]\n    entrypoint: [bash]\n"
      "    healthcheck: {test: [CMD, b]}\n");
  CHECK(web(m) == R"({"dns":["1.1.1.1","8.8.8.8"],"command":["echo","bar"],"entrypoint":["bash"],)"
                  R"("healthcheck":{"test":["CMD","b"],"interval":"5s"}})");
}

TEST_CASE("ports are unique by their full key") {
  Merged m = merge_texts(
      "services:\n  web:\n    ports: ['80:80', {target: 443, published: 8443}]\n",
      "services:\n  web:\n    ports: ['80:80', '81:81', {target: 443, published: 8443, "
      "host_ip: 127.0.0.1}, {target: 443, published: 8443, protocol: tcp, mode: host}]\n");
  CHECK(web(m) ==
        R"({"ports":["80:80",{"target":443,"published":8443,"protocol":"tcp","mode":"host"},)"
        R"("81:81",{"target":443,"published":8443,"host_ip":"127.0.0.1"}]})");
}

TEST_CASE("volumes, devices, secrets and configs are unique by target") {
  Merged m = merge_texts(
      "services:\n  web:\n    volumes: ['./a:/data', '/cache']\n    devices: ['/dev/a:/dev/x']\n"
      "    secrets: [s1, {source: s2, target: /etc/s2}]\n    configs: [c1]\n",
      "services:\n  web:\n    volumes: [{type: bind, source: ./b, target: /data}, "
      "'./c:/cache:ro']\n"
      "    devices: ['/dev/b:/dev/x', '/dev/c']\n    secrets: [{source: s3, target: s1}, s2]\n"
      "    configs: [{source: c2, target: /c1}]\n");
  CHECK(web(m) ==
        R"({"volumes":[{"type":"bind","source":"./b","target":"/data"},"./c:/cache:ro"],)"
        R"("devices":["/dev/b:/dev/x","/dev/c"],)"
        R"("secrets":[{"source":"s3","target":"s1"},{"source":"s2","target":"/etc/s2"},"s2"],)"
        R"("configs":[{"source":"c2","target":"/c1"}]})");
}

TEST_CASE("environment and labels merge as mappings from either form") {
  Merged m = merge_texts(
      "services:\n  web:\n    environment: [A=1, B=2, C]\n    labels: {x: '1'}\n"
      "    extra_hosts: ['db:10.0.0.1']\n",
      "services:\n  web:\n    environment: {B: '3', D: '4'}\n    labels: [y=2, x=3]\n"
      "    extra_hosts: {db: 10.0.0.2, cache: 10.0.0.3}\n");
  CHECK(web(m) == R"({"environment":{"A":"1","B":"3","C":null,"D":"4"},"labels":{"x":"3","y":"2"},)"
                  R"("extra_hosts":{"db":"10.0.0.2","cache":"10.0.0.3"}})");
}

TEST_CASE("cap_add and friends append without repeats; networks and build mix forms") {
  Merged m = merge_texts(
      "services:\n  web:\n    cap_add: [NET_ADMIN]\n    networks: [front]\n    build: ./app\n",
      "services:\n  web:\n    cap_add: [NET_ADMIN, SYS_TIME]\n    networks: {back: {aliases: "
      "[b]}}\n"
      "    build: {dockerfile: Dockerfile.dev}\n");
  CHECK(web(m) ==
        R"({"cap_add":["NET_ADMIN","SYS_TIME"],"networks":{"front":null,"back":{"aliases":["b"]}},)"
        R"("build":{"context":"./app","dockerfile":"Dockerfile.dev"}})");
}

TEST_CASE("logging merges for the same driver, else is replaced") {
  Merged same = merge_texts("services:\n  web:\n    logging: {driver: syslog, options: {a: '1'}}\n",
                            "services:\n  web:\n    logging: {options: {b: '2'}}\n");
  CHECK(web(same) == R"({"logging":{"driver":"syslog","options":{"a":"1","b":"2"}}})");
  Merged other =
      merge_texts("services:\n  web:\n    logging: {driver: syslog, options: {a: '1'}}\n",
                  "services:\n  web:\n    logging: {driver: json-file, options: {b: '2'}}\n");
  CHECK(web(other) == R"({"logging":{"driver":"json-file","options":{"b":"2"}}})");
}

TEST_CASE("!reset removes and !override replaces") {
  Merged m = merge_texts(
      "services:\n  web:\n    ports: ['80:80']\n    user: root\n    environment: {A: '1', B: '2'}\n"
      "    cap_add: [ALL]\n",
      "services:\n  web:\n    ports: !reset []\n    user: !reset null\n    environment:\n"
      "      B: !reset\n    cap_add: !override [CHOWN]\n");
  CHECK(web(m) == R"({"environment":{"A":"1"},"cap_add":["CHOWN"]})");
}

TEST_CASE("a null in the later file keeps the earlier value") {
  Merged m = merge_texts("services:\n  web: {image: a, command: [x]}\n",
                         "services:\n  web:\n    command:\n  db:\n");
  CHECK(m.json() == R"({"services":{"web":{"image":"a","command":["x"]},"db":null}})");
}

TEST_CASE("!reset in a file merged onto nothing just drops the key") {
  Diagnostics d;
  YamlDocument doc = parse_yaml_document(
      add_source("r.yaml", "services:\n  web:\n    image: a\n    ports: !reset ['1:1']\n"), d);
  REQUIRE(doc.ok);
  CHECK(to_json_text(apply_reset_tags(doc.root, doc.tags)) ==
        R"({"services":{"web":{"image":"a"}}})");
}

TEST_CASE("merged values keep the span of the file that wrote them") {
  Merged m = merge_texts("services:\n  web:\n    image: a\n    user: root\n",
                         "services:\n  web:\n    image: b\n");
  const Value* w = m.value.get("services")->get("web");
  CHECK(source_name(w->get("image")->span().file) == "b.yaml");
  CHECK(w->get("image")->span().line == 3);
  CHECK(source_name(w->get("user")->span().file) == "a.yaml");
  CHECK(w->get("user")->span().line == 4);
}

TEST_CASE("merge_service: extends-style merge of two service mappings") {
  Diagnostics d;
  Value base = parse_yaml(add_source("s.yaml", "{image: a, command: [x], volumes: ['a:/a']}"), d);
  Value over = parse_yaml(add_source("o.yaml", "{command: [y], volumes: ['b:/a', 'c:/c']}"), d);
  CHECK(to_json_text(merge_service(base, over, {})) ==
        R"({"image":"a","command":["y"],"volumes":["b:/a","c:/c"]})");
}
