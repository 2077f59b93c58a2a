// Loading inputs from files: folders, -f lists, errors that leave the other inputs loaded.

#include <string>

#include <catch2/catch.hpp>

#include "lang/core/file_read.hpp"
#include "runtime/documents/inputs.hpp"
#include "runtime/documents/normalize/document_json.hpp"

using namespace capguard;

namespace {

std::string golden(const std::string& rel) {
  return std::string(CAPGUARD_SOURCE_DIR) + "/tests/golden/normalize/" + rel;
}

size_t service_count(const LoadedInput& in) {
  return in.document.get("services")->as_list().size();
}

}  // namespace

TEST_CASE("a folder loads its compose file and override") {
  Diagnostics diags;
  LoadedInput in = load_input(golden("merge"), InputOptions{}, diags);
  INFO(render(diags));
  REQUIRE(in.ok);
  REQUIRE(service_count(in) == 2);
  const Value& web = in.document.get("services")->as_list()[0];
  // compose.override.yaml is merged on top of compose.yaml
  CHECK(*web.get("read_only") == Value::boolean(true));
}

TEST_CASE("-f files are one project, paths are one input each, in order") {
  Diagnostics diags;
  std::vector<LoadedInput> inputs = load_inputs(
      {golden("merge/compose.yaml")},
      {golden("user/compose.yaml"), golden("inspect/containers.json")}, InputOptions{}, diags);
  INFO(render(diags));
  REQUIRE(inputs.size() == 3);
  CHECK(inputs[0].ok);
  CHECK(service_count(inputs[0]) == 2);
  CHECK(service_count(inputs[1]) == 9);
  CHECK(service_count(inputs[2]) == 2);
  CHECK(inputs[2].document.get("services")->as_list()[0].get("source")->get("kind")->as_string() ==
        "inspect");
}

TEST_CASE("a failing input does not stop the others") {
  Diagnostics diags;
  std::vector<LoadedInput> inputs = load_inputs(
      {}, {golden("errors/not-yaml.yaml"), golden("errors/good.yaml"), golden("no-such-folder")},
      InputOptions{}, diags);
  REQUIRE(inputs.size() == 3);
  CHECK_FALSE(inputs[0].ok);
  CHECK(inputs[1].ok);
  CHECK(service_count(inputs[1]) == 1);
  CHECK_FALSE(inputs[2].ok);
  CHECK(diags.error_count() == 2);
}

TEST_CASE("--format forces the reading of a file") {
  Diagnostics diags;
  InputOptions options;
  options.format = InputFormat::Compose;
  LoadedInput in = load_input(golden("inspect/containers.json"), options, diags);
  CHECK_FALSE(in.ok);  // an inspect array is not a compose file
  Diagnostics diags2;
  options.format = InputFormat::Inspect;
  LoadedInput in2 = load_input(golden("format-flag/containers.json"), options, diags2);
  INFO(render(diags2));
  CHECK(in2.ok);
  CHECK(service_count(in2) == 1);
}

TEST_CASE("a project or inspect array past the service limit is an error, the input unchecked") {
  set_max_services(2);
  Diagnostics diags;
  LoadedInput at = load_input_text("two.yaml", "services:\n  a: {image: x}\n  b: {image: x}\n",
                                   InputFormat::Auto, diags);
  CHECK(at.ok);
  CHECK(service_count(at) == 2);
  LoadedInput past = load_input_text(
      "three.yaml", "services:\n  a: {image: x}\n  b: {image: x}\n  c: {image: x}\n",
      InputFormat::Auto, diags);
  CHECK_FALSE(past.ok);
  CHECK(service_count(past) == 0);
  REQUIRE(diags.error_count() == 1);
  CHECK(render(diags).find("three.yaml:4:3: error: more than 2 services in one compose project: "
                           "the limit (CAPGUARD_MAX_SERVICES sets it)") != std::string::npos);
  Diagnostics diags2;
  LoadedInput inspect =
      load_input_text("c.json",
                      "[{\"Id\": \"a\", \"HostConfig\": {}}, {\"Id\": \"b\", \"HostConfig\": {}},\n"
                      " {\"Id\": \"c\", \"HostConfig\": {}}]",
                      InputFormat::Auto, diags2);
  CHECK_FALSE(inspect.ok);
  CHECK(render(diags2).find("c.json:2:2: error: more than 2 containers in one docker inspect "
                            "array") != std::string::npos);
  set_max_services(kDefaultMaxServices);
}

TEST_CASE("the normalized JSON keeps every key of a large map, in order") {
  Entries entries;
  for (int i = 0; i < 300; ++i) entries.emplace_back("k" + std::to_string(i), Value::integer(i));
  nlohmann::ordered_json j = normalize::to_json(Value::map(std::move(entries)));
  REQUIRE(j.size() == 300);
  size_t i = 0;
  for (const auto& [key, value] : j.items()) {
    CHECK(key == "k" + std::to_string(i));
    CHECK(value.get<int>() == static_cast<int>(i));
    ++i;
  }
  CHECK(j["k299"].get<int>() == 299);  // lookups still work on the appended entries
}
