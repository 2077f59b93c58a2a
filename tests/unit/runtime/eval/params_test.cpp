// Param values: parsing --param text by declared type, params files, names and errors.

#include <cstdio>
#include <fstream>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "runtime/eval/params.hpp"

using namespace capguard;

namespace {

ir::Param param(const std::string& qualified, const std::string& short_name, TypePtr type,
                Value def) {
  ir::Param p;
  p.name = qualified;
  p.short_name = short_name;
  p.type = std::move(type);
  p.default_value = std::move(def);
  return p;
}

ir::Program program() {
  ir::Program p;
  p.params.push_back(param("acme.allowed", "allowed", scalar_type(TypeKind::Caps),
                           Value::caps(caps::bit(*caps::parse("CHOWN")))));
  p.params.push_back(
      param("acme.max_memory", "max_memory", scalar_type(TypeKind::Size), Value::size(512 << 20)));
  p.params.push_back(
      param("acme.trusted", "trusted", list_of(scalar_type(TypeKind::String)), Value::list({})));
  p.params.push_back(
      param("acme.ports", "ports", set_of(scalar_type(TypeKind::Int)), Value::set({})));
  p.params.push_back(
      param("other.allowed", "allowed", scalar_type(TypeKind::Caps), Value::caps(0)));
  p.params.push_back(
      param("acme.strict", "strict", scalar_type(TypeKind::Bool), Value::boolean(false)));
  return p;
}

Value parse(const std::string& text, TypePtr t) {
  std::string error;
  std::optional<Value> v = parse_param_text(text, *t, error);
  INFO(error);
  REQUIRE(v);
  return *v;
}
std::string parse_error(const std::string& text, TypePtr t) {
  std::string error;
  std::optional<Value> v = parse_param_text(text, *t, error);
  CHECK_FALSE(v);
  return error;
}

caps::Mask mask(std::initializer_list<const char*> names) {
  caps::Mask m = 0;
  for (const char* n : names) m |= caps::bit(*caps::parse(n));
  return m;
}

}  // namespace

TEST_CASE("param text is parsed by the declared type") {
  CHECK(parse("true", scalar_type(TypeKind::Bool)) == Value::boolean(true));
  CHECK(parse(" 42 ", scalar_type(TypeKind::Int)) == Value::integer(42));
  CHECK(parse("1.5", scalar_type(TypeKind::Float)) == Value::number(1.5));
  CHECK(parse("3", scalar_type(TypeKind::Float)) == Value::number(3.0));
  CHECK(parse("a b", scalar_type(TypeKind::String)) == Value::string("a b"));
  CHECK(parse("256M", scalar_type(TypeKind::Size)) == Value::size(256 << 20));
  CHECK(parse("1m30s", scalar_type(TypeKind::Duration)) == Value::duration(90'000'000'000));
  CHECK(parse("NET_ADMIN,cap_chown", scalar_type(TypeKind::Caps)) ==
        Value::caps(mask({"NET_ADMIN", "CHOWN"})));
  CHECK(parse("[KILL]", scalar_type(TypeKind::Caps)) == Value::caps(mask({"KILL"})));
  CHECK(parse("a, b", list_of(scalar_type(TypeKind::String))) ==
        Value::list({Value::string("a"), Value::string("b")}));
  CHECK(parse("[\"x\", \"y\"]", list_of(scalar_type(TypeKind::String))) ==
        Value::list({Value::string("x"), Value::string("y")}));
  CHECK(parse("443,80,443", set_of(scalar_type(TypeKind::Int))) ==
        Value::set({Value::integer(80), Value::integer(443)}));
  CHECK(parse("{\"a\": 1}", any_type()) == Value::map({{"a", Value::integer(1)}}));
}

TEST_CASE("bad param text says what was expected") {
  CHECK(parse_error("yes", scalar_type(TypeKind::Bool)) ==
        "expected a bool (true or false), got \"yes\"");
  CHECK(parse_error("12x", scalar_type(TypeKind::Int)) == "expected an int, got \"12x\"");
  CHECK(parse_error("NET_ADMN", scalar_type(TypeKind::Caps)) ==
        "unknown capability \"NET_ADMN\"; did you mean NET_ADMIN?");
  CHECK(parse_error("1,x", list_of(scalar_type(TypeKind::Int))) == "expected an int, got \"x\"");
  CHECK(parse_error("2 parsecs", scalar_type(TypeKind::Size)).find("invalid size") == 0);
}

TEST_CASE("overrides by name: qualified, unique short names, then errors") {
  ir::Program p = program();
  ParamOverrides o;
  o.texts = {{"max_memory", "1G"}, {"acme.allowed", "KILL"}, {"strict", "true"}};
  Diagnostics diags;
  std::optional<std::vector<Value>> values = resolve_params(p, o, diags);
  INFO(render(diags));
  REQUIRE(values);
  CHECK((*values)[1] == Value::size(1 << 30));
  CHECK((*values)[0] == Value::caps(mask({"KILL"})));
  CHECK((*values)[5] == Value::boolean(true));
  CHECK((*values)[2] == Value::list({}));  // default kept

  ParamOverrides bad;
  bad.texts = {{"allowed", "KILL"}, {"max_memroy", "1G"}, {"strict", "maybe"}};
  Diagnostics errors;
  CHECK_FALSE(resolve_params(p, bad, errors));
  std::string text = render(errors);
  CHECK(text.find("param `allowed` is ambiguous") != std::string::npos);
  CHECK(text.find("unknown param `max_memroy`; did you mean `max_memory`?") != std::string::npos);
  CHECK(text.find("param `acme.strict` must be bool: expected a bool") != std::string::npos);
  CHECK(errors.error_count() == 3);
}

TEST_CASE("params files are coerced to the declared types; the command line wins") {
  ir::Program p = program();
  std::string path = "/tmp/capguard-params-test-" + std::to_string(::getpid()) + ".yaml";
  {
    std::ofstream out(path);
    out << "acme.trusted: [docker:dind, nginx]\nmax_memory: 2G\nports: [80, 80, 443]\n";
  }
  ParamOverrides o;
  Diagnostics diags;
  REQUIRE(load_params_file(path, o, diags));
  o.texts = {{"max_memory", "64M"}};
  std::optional<std::vector<Value>> values = resolve_params(p, o, diags);
  INFO(render(diags));
  REQUIRE(values);
  CHECK((*values)[2] == Value::list({Value::string("docker:dind"), Value::string("nginx")}));
  CHECK((*values)[1] == Value::size(64 << 20));
  CHECK((*values)[3] == Value::set({Value::integer(80), Value::integer(443)}));

  {
    std::ofstream out(path);
    out << "strict: 3\n";
  }
  ParamOverrides wrong;
  Diagnostics errors;
  REQUIRE(load_params_file(path, wrong, errors));
  CHECK_FALSE(resolve_params(p, wrong, errors));
  CHECK(render(errors).find(
            ":1:9: error: param `acme.strict` must be bool: expected bool, got int") !=
        std::string::npos);
  std::remove(path.c_str());
}

TEST_CASE("--param needs NAME=VALUE") {
  std::string name, value, error;
  CHECK(split_param_flag("a.b=x=y", name, value, error));
  CHECK(name == "a.b");
  CHECK(value == "x=y");
  CHECK_FALSE(split_param_flag("novalue", name, value, error));
  CHECK(error == "--param expects NAME=VALUE, got \"novalue\"");
}
