// Tracing a policy: variables in scope and the value of each part of each rule's condition.

#include <catch2/catch.hpp>

#include "lang/compile/pipeline.hpp"
#include "runtime/documents/document_schema.hpp"
#include "runtime/eval/evaluator.hpp"
#include "runtime/eval/evaluator_trace.hpp"

using namespace capguard;

TEST_CASE("a trace explains each rule per service, parts skipped by short-circuit included") {
  Diagnostics diags;
  FileId file = add_source("trace.policy", R"(policy "TR-1" {
  title "t"
  severity low
  for s in services
  let n = len(s.name)
  deny when s.privileged and n > 3
  warn when s.user?.uid == 0 or 10 / (n - 2) > 1
}
)");
  std::optional<ir::Program> program =
      compile_policies({file}, document_schema(), diags, runtime_compile_options());
  INFO(render(diags));
  REQUIRE(program);
  auto svc = [](const char* name, bool privileged, Value user) {
    return Value::map({{"name", Value::string(name)},
                       {"privileged", Value::boolean(privileged)},
                       {"user", user}});
  };
  Value doc = Value::map(
      {{"services", Value::list({svc("web", true, Value::map({{"uid", Value::integer(0)}})),
                                 svc("db", false, Value())})}});
  Trace t = trace_policy(*program, 0, doc, {}, "in");

  REQUIRE(t.rules.size() == 4);
  const TraceRule& web_deny = t.rules[0];
  CHECK(web_deny.service == "web");
  CHECK(web_deny.kind == RuleKind::Deny);
  CHECK(web_deny.span.line == 6);
  REQUIRE(web_deny.variables.size() == 2);
  CHECK(web_deny.variables[0].name == "s");
  CHECK(web_deny.variables[0].value == "\"web\"");
  CHECK(web_deny.variables[1].name == "n");
  CHECK(web_deny.variables[1].value == "3");
  REQUIRE(web_deny.terms.size() == 2);
  CHECK(web_deny.terms[0].text == "s.privileged");
  CHECK(web_deny.terms[0].value == "true");
  CHECK(web_deny.terms[1].text == "n > 3");
  CHECK(web_deny.terms[1].value == "false");
  CHECK(web_deny.condition == "false");

  const TraceRule& web_warn = t.rules[1];
  CHECK(web_warn.condition == "true");
  REQUIRE(web_warn.terms.size() == 2);
  CHECK(web_warn.terms[0].value == "true");
  CHECK(web_warn.terms[1].text == "10 / (n - 2) > 1");
  CHECK(web_warn.terms[1].value == "true");

  // db: n = 2, so the right part divides by zero; the left part (null user) is false.
  const TraceRule& db_warn = t.rules[3];
  CHECK(db_warn.service == "db");
  CHECK(db_warn.terms[0].value == "false");
  CHECK(db_warn.terms[1].value == "error: division by zero");
  CHECK(db_warn.condition == "error: division by zero");

  // The run itself reports as evaluate() does.
  EvalResult plain = evaluate(*program, doc, {}, "in");
  REQUIRE(t.result.findings.size() == plain.findings.size());
  REQUIRE(t.result.errors.size() == 1);
  CHECK(t.result.errors[0].service == "db");
  CHECK(t.result.findings.size() == 1);
}
