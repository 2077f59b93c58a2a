// `capguard trace` rendering: short-circuit marking, pairing rules with findings and errors per
// service, and the text and JSON forms (cli/common/trace_render.hpp).

#include <catch2/catch.hpp>

#include "cli/common/trace_render.hpp"
#include "lang/compile/pipeline.hpp"
#include "runtime/documents/document_schema.hpp"
#include "runtime/documents/inputs.hpp"
#include "runtime/eval/evaluator.hpp"

using namespace capguard;
using namespace capguard::cli;

namespace {

ir::Expr leaf() {
  return ir::Expr{};
}

ir::Expr node(ir::Op op, ir::ExprList args) {
  ir::Expr e;
  e.op = op;
  e.args = std::move(args);
  return e;
}

std::vector<TraceTerm> terms(std::vector<std::string> values) {
  std::vector<TraceTerm> out;
  for (std::string& v : values) out.push_back(TraceTerm{"t", std::move(v), Span{}});
  return out;
}

// Compiles `policy_text`, loads `compose` and traces policy `id` on it.
InputTrace trace_text(const std::string& policy_text, const std::string& id,
                      const std::string& compose, std::optional<ir::Program>& program) {
  Diagnostics diags;
  FileId file = add_source("trace_render.policy", policy_text);
  program = compile_policies({file}, document_schema(), diags, runtime_compile_options());
  INFO(render(diags));
  REQUIRE(program);
  LoadedInput in = load_input_text("compose.yaml", compose, InputFormat::Compose, diags);
  INFO(render(diags));
  REQUIRE(in.ok);
  int index = program->policy_index(id);
  REQUIRE(index >= 0);
  InputTrace t;
  t.input = in.name;
  t.ok = in.ok;
  for (const Value& s : in.document.get("services")->as_list()) {
    t.services.push_back(s.get("name")->as_string());
  }
  t.trace = trace_policy(*program, static_cast<size_t>(index), in.document, {}, in.name);
  return t;
}

}  // namespace

TEST_CASE("skipped_terms follows and/or/not short-circuiting left to right", "[trace]") {
  using ir::Op;
  // a and b: b skipped when a is false, evaluated when a is true.
  ir::Expr and2 = node(Op::And, {leaf(), leaf()});
  CHECK(skipped_terms(and2, terms({"false", "true"})) == std::vector<bool>{false, true});
  CHECK(skipped_terms(and2, terms({"true", "false"})) == std::vector<bool>{false, false});
  // a or (b and c): a true skips both; a false, b false skips c.
  ir::Expr or_and = node(Op::Or, {leaf(), node(Op::And, {leaf(), leaf()})});
  CHECK(skipped_terms(or_and, terms({"true", "true", "true"})) ==
        std::vector<bool>{false, true, true});
  CHECK(skipped_terms(or_and, terms({"false", "false", "true"})) ==
        std::vector<bool>{false, false, true});
  // not a or b: `not false` is true, so b is skipped.
  ir::Expr not_or = node(Op::Or, {node(Op::Not, {leaf()}), leaf()});
  CHECK(skipped_terms(not_or, terms({"false", "false"})) == std::vector<bool>{false, true});
  CHECK(skipped_terms(not_or, terms({"true", "false"})) == std::vector<bool>{false, false});
  // An error stops the evaluation: whatever follows is skipped.
  CHECK(skipped_terms(or_and, terms({"error: boom", "true", "true"})) ==
        std::vector<bool>{false, true, true});
  // A lone term is never skipped.
  CHECK(skipped_terms(leaf(), terms({"false"})) == std::vector<bool>{false});
}

TEST_CASE("term_negations counts the `not`s above each term", "[trace]") {
  using ir::Op;
  // not a and not not b or c
  ir::Expr e = node(
      Op::Or,
      {node(Op::And, {node(Op::Not, {leaf()}), node(Op::Not, {node(Op::Not, {leaf()})})}), leaf()});
  CHECK(term_negations(e, 3) == std::vector<int>{1, 2, 0});
  CHECK(term_negations(leaf(), 1) == std::vector<int>{0});
}

TEST_CASE("group_by_service pairs each fired rule with its finding, and errors with services",
          "[trace]") {
  std::optional<ir::Program> program;
  // `a` fires but its message fails (null * 2): no finding for it, an error instead; `b` fires
  // with a finding; `c` does not fire.
  InputTrace t = trace_text(R"(policy "TR-G" {
  title "t"
  severity low
  for s in services
  deny when s.privileged message "{s.resources.pids * 2}"
}
)",
                            "TR-G", R"(services:
  a: {image: x, privileged: true}
  b: {image: x, privileged: true, pids_limit: 5}
  c: {image: x}
)",
                            program);
  const ir::Policy& policy = program->policies[0];
  std::vector<ServiceView> services = group_by_service(policy, t);
  REQUIRE(services.size() == 3);
  CHECK(services[0].name == "a");
  REQUIRE(services[0].rules.size() == 1);
  CHECK(services[0].rules[0].rule->condition == "true");
  CHECK(services[0].rules[0].finding == nullptr);
  REQUIRE(services[0].errors.size() == 1);
  CHECK(services[1].name == "b");
  REQUIRE(services[1].rules.size() == 1);
  REQUIRE(services[1].rules[0].finding != nullptr);
  CHECK(services[1].rules[0].finding->message == "10");
  CHECK(services[1].errors.empty());
  CHECK(services[2].rules[0].finding == nullptr);
  CHECK(services[2].rules[0].rule->condition == "false");

  std::string text = render_trace_text(policy, {t});
  CHECK(text.find("  service a: runtime error\n") != std::string::npos);
  CHECK(text.find("      fired, but no finding (see the error below)\n") != std::string::npos);
  CHECK(text.find("  service b: deny fired\n") != std::string::npos);
  CHECK(text.find(": 10\n") != std::string::npos);
  CHECK(text.find("  service c: did not fire\n") != std::string::npos);
}

TEST_CASE("the JSON form parses traced values and marks shortened ones", "[trace]") {
  std::optional<ir::Program> program;
  InputTrace t = trace_text(R"(policy "TR-J" {
  title "t"
  severity high
  for s in services
  let long = [s.name + "-0123456789" for x in [1,2,3,4,5,6,7,8,9,10,11,12]]
  warn when s.read_only and len(long) > 3
}
)",
                            "TR-J", R"(services:
  web: {image: x}
)",
                            program);
  nlohmann::ordered_json j = render_trace_json(program->policies[0], {t});
  CHECK(j["policy"]["id"] == "TR-J");
  CHECK(j["policy"]["severity"] == "high");
  const auto& service = j["inputs"][0]["services"][0];
  CHECK(service["name"] == "web");
  CHECK(service["fired"] == false);
  const auto& rule = service["rules"][0];
  CHECK(rule["kind"] == "warn");
  CHECK(rule["condition"]["value"] == false);
  CHECK(rule["variables"][0]["binding"] == "for");
  CHECK(rule["variables"][0]["value"] == "web");
  // The list is longer than the tracer keeps: it stays text, marked truncated.
  CHECK(rule["variables"][1]["name"] == "long");
  CHECK(rule["variables"][1]["truncated"] == true);
  CHECK(rule["variables"][1]["value"].is_string());
  REQUIRE(rule["terms"].size() == 2);
  CHECK(rule["terms"][0]["text"] == "s.read_only");
  CHECK(rule["terms"][0]["skipped"] == false);
  CHECK(rule["terms"][1]["text"] == "len(long) > 3");
  CHECK(rule["terms"][1]["value"] == true);
  CHECK(rule["terms"][1]["skipped"] == true);
  CHECK(rule["fired"] == false);
  CHECK_FALSE(rule.contains("finding"));
}

TEST_CASE("a traced value cut inside a UTF-8 character drops the cut character", "[trace]") {
  // The tracer keeps 117 bytes of a long value's JSON text: here `"`, 115 `a` and the first byte
  // of an `é`.
  std::optional<ir::Program> program;
  InputTrace t = trace_text(
      "policy \"TR-U\" {\n  title \"t\"\n  severity high\n"
      "  for s in services\n"
      "  let long = \"" +
          std::string(115, 'a') +
          "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"\n"
          "  warn when s.read_only\n}\n",
      "TR-U", "services:\n  web: {image: x}\n", program);
  std::string shown = "\"" + std::string(115, 'a') + "...";
  nlohmann::ordered_json j = render_trace_json(program->policies[0], {t});
  const auto& variable = j["inputs"][0]["services"][0]["rules"][0]["variables"][1];
  CHECK(variable["truncated"] == true);
  CHECK(variable["value"] == shown);
  std::string text = render_trace_text(program->policies[0], {t});
  CHECK(text.find("let long = " + shown + "\n") != std::string::npos);
}

TEST_CASE("the text form cuts a finding's huge message, the JSON form keeps it", "[trace]") {
  std::optional<ir::Program> program;
  std::string big(20000, 'b');
  InputTrace t = trace_text(
      "policy \"TR-M\" {\n  title \"t\"\n  severity high\n"
      "  for s in services\n"
      "  deny when true message \"{s.environment.BIG}\"\n}\n",
      "TR-M", "services:\n  web: {image: x, environment: {BIG: " + big + "}}\n", program);
  std::string text = render_trace_text(program->policies[0], {t});
  CHECK(text.size() < kMaxShownTextBytes + 1000);
  CHECK(text.find("... (cut: 20000 bytes in all)\n") != std::string::npos);
  nlohmann::ordered_json j = render_trace_json(program->policies[0], {t});
  CHECK(j["inputs"][0]["services"][0]["rules"][0]["finding"]["message"] == big);
}
