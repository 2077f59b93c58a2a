// Unknown Compose keys: errors at the top level, warnings in services, each at the key's place.

#include <catch2/catch.hpp>

#include "lang/core/diagnostics.hpp"
#include "runtime/documents/compose/project.hpp"

using namespace capguard;

namespace {

std::string load_diagnostics(const std::string& text, bool& ok) {
  Diagnostics diags;
  ok = load_compose_text("keys.yaml", text, diags).has_value();
  return render(diags);
}

}  // namespace

TEST_CASE("unknown service keys are warnings at the key, in block and flow style") {
  bool ok = false;
  std::string out = load_diagnostics(R"(services:
  a: {image: "x:1", "privilegd": true}
  b:
    image: "x:1"
    read-only: true
    x-extra: fine
    labels: {privilegd: "a label value, not a key of b"}
)",
                                     ok);
  REQUIRE(ok);
  CHECK(out.find("keys.yaml:2:22: warning: service \"a\": unknown key \"privilegd\" (did you "
                 "mean \"privileged\"?)") != std::string::npos);
  CHECK(out.find("keys.yaml:5:5: warning: service \"b\": unknown key \"read-only\" (did you mean "
                 "\"read_only\"?)") != std::string::npos);
  CHECK(out.find("x-extra") == std::string::npos);
  CHECK(out.find("error") == std::string::npos);
}

TEST_CASE("unknown top-level keys are errors; v1-format files are named as such") {
  bool ok = false;
  std::string out = load_diagnostics("version: '2'\nweb:\n  image: nginx\nservice:\n  a: {}\n", ok);
  CHECK(ok);  // the errors are reported; the rest of the project is still loaded and checked
  CHECK(out.find("keys.yaml:2:1: error: unknown top-level key \"web\"; services written at the "
                 "top level are the Compose v1 format") != std::string::npos);
  CHECK(out.find("keys.yaml:4:1: error: unknown top-level key \"service\" (did you mean "
                 "\"services\"?)") != std::string::npos);
  ok = false;
  out = load_diagnostics(
      "name: p\nx-anchors: &a {image: x}\nservices: {a: *a}\nvolumes: {}\nnetworks: {}\n"
      "secrets: {}\nconfigs: {}\nmodels: {}\n",
      ok);
  CHECK(ok);
  CHECK(out.empty());
}
