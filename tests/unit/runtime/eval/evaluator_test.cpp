// The evaluator on hand-built IR: each construct, findings, errors, budget, threads.

#include <optional>
#include <thread>

#include <catch2/catch.hpp>

#include "lang/compile/ir.hpp"
#include "runtime/eval/evaluator.hpp"
#include "runtime/eval/evaluator_ops.hpp"

using namespace capguard;

namespace {

ir::Expr c(Value v) {
  ir::Expr e;
  e.op = ir::Op::Const;
  e.value = std::move(v);
  return e;
}
ir::Expr op(ir::Op o, ir::ExprList args, Span span = {}) {
  ir::Expr e;
  e.op = o;
  e.args = std::move(args);
  e.span = span;
  return e;
}
ir::Expr local(int32_t slot) {
  ir::Expr e;
  e.op = ir::Op::Local;
  e.slot = slot;
  return e;
}
ir::Expr root(int32_t index) {
  ir::Expr e;
  e.op = ir::Op::Root;
  e.index = index;
  return e;
}
ir::Expr field(ir::Expr object, std::string name, int32_t slot = -1, bool optional = false) {
  ir::Expr e = op(ir::Op::Field, {});
  e.args.push_back(std::move(object));
  e.name = std::move(name);
  e.index = slot;
  e.optional = optional;
  e.span = Span{1, 7, 3, 1};
  return e;
}
ir::Expr binder(ir::Op o, int32_t slot, ir::ExprList args) {
  ir::Expr e = op(o, std::move(args));
  e.slot = slot;
  return e;
}

Value str(const char* s) {
  return Value::string(s);
}
Value list(std::initializer_list<Value> items) {
  return Value::list(List(items));
}
Value set(std::initializer_list<Value> items) {
  return Value::set(List(items));
}
Value caps_of(std::initializer_list<const char*> names) {
  caps::Mask m = 0;
  for (const char* n : names) m |= caps::bit(*caps::parse(n));
  return Value::caps(m);
}

// Evaluates a closed expression; fails the test on a runtime error.
Value run(const ir::Expr& e, uint32_t frame = 4) {
  ir::Program program;
  Value result;
  ExpressionError error;
  INFO(error.message);
  bool ok = evaluate_expression(program, e, frame, Value(), {}, result, error);
  if (!ok) FAIL("runtime error: " << error.message);
  return result;
}
// The runtime error message of a closed expression ("" when it succeeds).
std::string run_error(const ir::Expr& e) {
  ir::Program program;
  Value result;
  ExpressionError error;
  return evaluate_expression(program, e, 4, Value(), {}, result, error) ? "" : error.message;
}

ir::Expr bin(ir::Op o, Value a, Value b) {
  return op(o, {c(std::move(a)), c(std::move(b))});
}

}  // namespace

TEST_CASE("and/or short-circuit and require bools") {
  ir::Expr boom = bin(ir::Op::Div, Value::integer(1), Value::integer(0));
  CHECK(run(op(ir::Op::And, {c(Value::boolean(false)), boom})) == Value::boolean(false));
  CHECK(run(op(ir::Op::Or, {c(Value::boolean(true)), boom})) == Value::boolean(true));
  CHECK(run_error(op(ir::Op::And, {c(Value::boolean(true)), boom})) == "division by zero");
  CHECK(run_error(op(ir::Op::Or, {c(Value::integer(1)), c(Value::boolean(true))}))
            .find("must be a bool, got int") != std::string::npos);
  CHECK(run(op(ir::Op::Not, {c(Value::boolean(false))})) == Value::boolean(true));
}

TEST_CASE("in on lists, sets, caps, maps and strings") {
  CHECK(run(bin(ir::Op::In, str("b"), list({str("a"), str("b")}))).as_bool());
  CHECK_FALSE(run(bin(ir::Op::In, str("c"), set({str("a"), str("b")}))).as_bool());
  CHECK(run(bin(ir::Op::In, str("cap_net_admin"), caps_of({"NET_ADMIN"}))).as_bool());
  CHECK(run(bin(ir::Op::In, caps_of({"NET_ADMIN"}), caps_of({"NET_ADMIN", "CHOWN"}))).as_bool());
  CHECK_FALSE(run(bin(ir::Op::In, caps_of({"SYS_ADMIN"}), caps_of({"CHOWN"}))).as_bool());
  CHECK_FALSE(run(bin(ir::Op::In, str("NOT_A_CAP"), caps_of({"CHOWN"}))).as_bool());
  Value m = Value::map({{"k", Value::integer(1)}});
  CHECK(run(bin(ir::Op::In, str("k"), m)).as_bool());
  CHECK(run(bin(ir::Op::NotIn, str("x"), m)).as_bool());
  CHECK(run(bin(ir::Op::In, str("ell"), str("hello"))).as_bool());
  CHECK_FALSE(run(bin(ir::Op::In, str("a"), Value())).as_bool());
  CHECK(run_error(bin(ir::Op::In, str("a"), Value::integer(3))).find("cannot use `in`") == 0);
}

TEST_CASE("set algebra on caps, sets and lists") {
  Value a = caps_of({"CHOWN", "NET_ADMIN"});
  CHECK(run(bin(ir::Op::Sub, a, caps_of({"CHOWN"}))) == caps_of({"NET_ADMIN"}));
  CHECK(run(bin(ir::Op::Union, a, list({str("sys_admin")}))) ==
        caps_of({"CHOWN", "NET_ADMIN", "SYS_ADMIN"}));
  CHECK(run(bin(ir::Op::Intersect, a, str("CAP_CHOWN"))) == caps_of({"CHOWN"}));
  CHECK(run_error(bin(ir::Op::Sub, a, list({str("BOGUS")}))) == "unknown capability \"BOGUS\"");
  CHECK(run(bin(ir::Op::Union, set({str("b")}), set({str("a")}))) == set({str("a"), str("b")}));
  // Lists as sets: the left operand's order, no duplicates.
  Value l = list({str("z"), str("a"), str("z"), str("m")});
  CHECK(run(bin(ir::Op::Sub, l, list({str("a")}))) == list({str("z"), str("m")}));
  CHECK(run(bin(ir::Op::Intersect, l, set({str("m"), str("z")}))) == list({str("z"), str("m")}));
  CHECK(run(bin(ir::Op::Union, l, list({str("b"), str("a")}))) ==
        list({str("z"), str("a"), str("m"), str("b")}));
  CHECK(run(bin(ir::Op::Eq, caps_of({"CHOWN"}), list({str("cap_chown")}))).as_bool());
}

TEST_CASE("arithmetic on ints, floats, sizes, durations, strings and lists") {
  CHECK(run(bin(ir::Op::Add, Value::integer(2), Value::integer(3))) == Value::integer(5));
  CHECK(run(bin(ir::Op::Add, Value::integer(2), Value::number(0.5))) == Value::number(2.5));
  CHECK(run(bin(ir::Op::Div, Value::integer(7), Value::integer(2))) == Value::integer(3));
  CHECK(run(bin(ir::Op::Mod, Value::integer(7), Value::integer(4))) == Value::integer(3));
  CHECK(run_error(bin(ir::Op::Mod, Value::integer(7), Value::integer(0))) == "division by zero");
  CHECK(run_error(bin(ir::Op::Mul, Value::integer(INT64_MAX), Value::integer(2))) ==
        "integer overflow in *");
  Value mib = Value::size(1 << 20);
  CHECK(run(bin(ir::Op::Mul, mib, Value::integer(256))) == Value::size(256 << 20));
  CHECK(run(bin(ir::Op::Add, mib, mib)) == Value::size(2 << 20));
  CHECK(run(bin(ir::Op::Div, Value::size(512 << 20), Value::size(256 << 20))) ==
        Value::number(2.0));
  CHECK(run(bin(ir::Op::Lt, Value::duration(30), Value::duration(60))).as_bool());
  CHECK(run_error(bin(ir::Op::Add, mib, Value::duration(1))) ==
        "cannot apply + to size and duration");
  CHECK(run(bin(ir::Op::Add, str("ab"), str("cd"))) == str("abcd"));
  CHECK(run(bin(ir::Op::Add, list({str("a")}), list({str("a")}))) == list({str("a"), str("a")}));
  CHECK(run(op(ir::Op::Neg, {c(Value::duration(5))})) == Value::duration(-5));
}

TEST_CASE("comparisons with null: == and != compare, ordering is an error") {
  CHECK(run(bin(ir::Op::Eq, Value(), Value())).as_bool());
  CHECK(run(bin(ir::Op::Ne, Value(), Value::integer(0))).as_bool());
  CHECK(run_error(bin(ir::Op::Lt, Value(), Value::integer(1))) ==
        "cannot compare null with int using <");
  CHECK(run(bin(ir::Op::Ge, Value::integer(2), Value::number(1.5))).as_bool());
  CHECK(run(bin(ir::Op::Lt, str("abc"), str("abd"))).as_bool());
}

TEST_CASE("field and index access; optional access on null") {
  Value m = Value::map({{"a", Value::integer(1)}, {"b", Value::map({{"c", str("x")}})}});
  CHECK(run(field(c(m), "a", 0)) == Value::integer(1));
  CHECK(run(field(c(m), "a", 1)) == Value::integer(1));  // a wrong slot hint still finds the key
  CHECK(run(field(field(c(m), "b"), "c", 0)) == str("x"));
  CHECK(run(field(c(m), "missing")).is_null());
  CHECK(run_error(field(field(c(m), "missing"), "x")).find("cannot read .x of null") == 0);
  CHECK(run(field(field(c(m), "missing"), "x", -1, true)).is_null());
  CHECK(run_error(field(c(Value::integer(3)), "x")) == "cannot read .x of a int");
  Value l = list({str("a"), str("b")});
  CHECK(run(bin(ir::Op::Index, l, Value::integer(1))) == str("b"));
  CHECK(run(bin(ir::Op::Index, l, Value::integer(-1))) == str("b"));
  CHECK(run(bin(ir::Op::Index, l, Value::integer(5))).is_null());
  CHECK(run(bin(ir::Op::Index, m, str("a"))) == Value::integer(1));
  ir::Expr opt = bin(ir::Op::Index, Value(), Value::integer(0));
  CHECK_FALSE(run_error(opt).empty());
  opt.optional = true;
  CHECK(run(opt).is_null());
}

TEST_CASE("quantifiers and comprehensions over lists and maps") {
  Value xs = list({Value::integer(1), Value::integer(5), Value::integer(10)});
  ir::Expr gt4 = op(ir::Op::Gt, {local(0), c(Value::integer(4))});
  CHECK(run(binder(ir::Op::Any, 0, {c(xs), gt4})).as_bool());
  CHECK_FALSE(run(binder(ir::Op::All, 0, {c(xs), gt4})).as_bool());
  CHECK(run(binder(ir::Op::Count, 0, {c(xs), gt4})) == Value::integer(2));
  CHECK(run(binder(ir::Op::Count, 0, {c(xs)})) == Value::integer(3));
  CHECK(run(binder(ir::Op::All, 0, {c(list({})), gt4})).as_bool());
  ir::Expr doubled = op(ir::Op::Mul, {local(0), c(Value::integer(2))});
  CHECK(run(binder(ir::Op::ListComp, 0, {c(xs), doubled, gt4})) ==
        list({Value::integer(10), Value::integer(20)}));
  // Map entries bind as {key, value}.
  Value env = Value::map({{"B", str("2")}, {"A", str("1")}});
  CHECK(run(binder(ir::Op::SetComp, 1, {c(env), field(local(1), "key")})) ==
        set({str("A"), str("B")}));
  CHECK(run(binder(ir::Op::ListComp, 1, {c(env), field(local(1), "value")})) ==
        list({str("2"), str("1")}));
  // Capabilities iterate as names.
  CHECK(run(binder(ir::Op::ListComp, 0, {c(caps_of({"CHOWN", "KILL"})), local(0)})) ==
        list({str("CHOWN"), str("KILL")}));
  CHECK(run_error(binder(ir::Op::Any, 0, {c(Value::integer(1)), gt4})) ==
        "cannot iterate over a int");
}

TEST_CASE("let binds a slot for the rest of an expression") {
  ir::Expr let =
      binder(ir::Op::Let, 2, {c(Value::integer(20)), op(ir::Op::Add, {local(2), local(2)})});
  CHECK(run(let) == Value::integer(40));
  CHECK(run(op(ir::Op::If, {c(Value::boolean(false)), c(str("a")), c(str("b"))})) == str("b"));
  CHECK(run(op(ir::Op::MakeCaps, {c(str("chown")), c(caps_of({"KILL"}))})) ==
        caps_of({"CHOWN", "KILL"}));
  CHECK(run(op(ir::Op::MakeSet, {c(str("b")), c(str("a")), c(str("b"))})) ==
        set({str("a"), str("b")}));
}

namespace {

// A program with one policy: for s in services; deny when s.privileged == true
// message "{s.name} is privileged"; and a second policy that divides by s.n.
ir::Program sample_program() {
  ir::Program p;
  p.roots = {"services"};
  ir::Policy priv;
  priv.meta.id = "P1";
  priv.meta.title = "privileged";
  priv.meta.severity = Severity::High;
  ir::Step f;
  f.kind = ir::StepKind::For;
  f.slot = 0;
  f.expr = root(0);
  priv.steps.push_back(f);
  ir::Step r;
  r.kind = ir::StepKind::Rule;
  r.expr = op(ir::Op::Eq, {field(local(0), "privileged"), c(Value::boolean(true))});
  r.default_at_slot = 0;
  ir::Template t;
  ir::TemplatePart name_part;
  name_part.expr = field(local(0), "name");
  ir::TemplatePart text;
  text.text = " is privileged";
  t.parts = {name_part, text};
  r.message = t;
  priv.steps.push_back(r);
  priv.frame_size = 1;
  priv.service_slot = 0;
  p.policies.push_back(priv);

  ir::Policy div = priv;
  div.meta.id = "P2";
  div.meta.title = "ratio";
  div.steps[1].expr = op(
      ir::Op::Gt, {op(ir::Op::Div, {c(Value::integer(10)), field(local(0), "n")}, Span{1, 9, 5, 1}),
                   c(Value::integer(1))});
  div.steps[1].message.reset();
  p.policies.push_back(div);
  return p;
}

Value service(const char* name, bool privileged, int64_t n, uint32_t line) {
  return Value::map(
      {{"name", str(name)}, {"privileged", Value::boolean(privileged)}, {"n", Value::integer(n)}},
      Span{2, line, 3, 0});
}

}  // namespace

TEST_CASE("policies produce findings with service, message, span; errors stay per service") {
  ir::Program p = sample_program();
  Value doc =
      Value::map({{"services", list({service("web", true, 0, 4), service("db", false, 2, 9)})}});
  EvalResult r = evaluate(p, doc, {}, "compose.yaml");
  REQUIRE(r.findings.size() == 2);
  CHECK(r.findings[0].policy == "P1");
  CHECK(r.findings[0].service == "web");
  CHECK(r.findings[0].message == "web is privileged");
  CHECK(r.findings[0].severity == Severity::High);
  CHECK(r.findings[0].input == "compose.yaml");
  CHECK(r.findings[0].span.line == 4);  // default `at`: the service value
  // P2 fails for web (10 / 0) and still fires for db (10 / 2 > 1) with the title as message.
  CHECK(r.findings[1].policy == "P2");
  CHECK(r.findings[1].service == "db");
  CHECK(r.findings[1].message == "ratio");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].policy == "P2");
  CHECK(r.errors[0].service == "web");
  CHECK(r.errors[0].message == "division by zero");
  CHECK(r.errors[0].policy_span.line == 9);
}

TEST_CASE("a subset of policies can be selected") {
  ir::Program p = sample_program();
  Value doc = Value::map({{"services", list({service("web", true, 1, 4)})}});
  std::vector<size_t> only_second = {1};
  EvalOptions options;
  options.policies = &only_second;
  EvalResult r = evaluate(p, doc, {}, "x", options);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].policy == "P2");
}

TEST_CASE("the step budget stops a policy with an error, never a pass") {
  ir::Program p = sample_program();
  List many;
  for (int i = 0; i < 200; ++i) many.push_back(service("s", true, 1, 1));
  Value doc = Value::map({{"services", Value::list(many)}});
  EvalOptions options;
  options.step_budget = 50;
  std::vector<size_t> first = {0};
  options.policies = &first;
  EvalResult r = evaluate(p, doc, {}, "x", options);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("step budget exceeded") == 0);
  CHECK(r.findings.size() < 20);  // the budget stops the policy, not just one service
}

TEST_CASE("a rule condition that is not a bool is an error") {
  ir::Program p = sample_program();
  p.policies.resize(1);
  p.policies[0].steps[1].expr = field(local(0), "name");
  Value doc = Value::map({{"services", list({service("web", true, 1, 4)})}});
  EvalResult r = evaluate(p, doc, {}, "x");
  CHECK(r.findings.empty());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message == "the rule's condition must be a bool, got string");
}

TEST_CASE("evaluation is safe on several threads with one program") {
  ir::Program p = sample_program();
  std::vector<std::thread> threads;
  std::vector<size_t> counts(4);
  for (size_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      List services;
      for (size_t i = 0; i <= t; ++i) services.push_back(service("s", true, 1, 1));
      Value doc = Value::map({{"services", Value::list(services)}});
      size_t n = 0;
      for (int k = 0; k < 500; ++k) n += evaluate(p, doc, {}, "x").findings.size();
      counts[t] = n;
    });
  }
  for (std::thread& th : threads) th.join();
  for (size_t t = 0; t < 4; ++t) CHECK(counts[t] == 500 * (t + 1) * 2);
}

TEST_CASE("an error outside the services loop names no service, even after other policies") {
  ir::Program p = sample_program();
  p.policies.resize(1);
  ir::Policy early = p.policies[0];
  early.meta.id = "EARLY";
  ir::Step let;
  let.kind = ir::StepKind::Let;
  let.slot = 1;
  let.expr = op(ir::Op::Div, {c(Value::integer(1)), c(Value::integer(0))}, Span{1, 3, 1, 1});
  early.steps.insert(early.steps.begin(), let);
  early.frame_size = 2;
  p.policies.push_back(early);
  Value doc = Value::map({{"services", list({service("web", true, 1, 4)})}});
  EvalResult r = evaluate(p, doc, {}, "x");
  REQUIRE(r.findings.size() == 1);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].policy == "EARLY");
  CHECK(r.errors[0].service.empty());
  CHECK(r.errors[0].policy_span.line == 3);
}

TEST_CASE("an `at` value without a location falls back to the default `at`") {
  ir::Program p = sample_program();
  p.policies.resize(1);
  p.policies[0].steps[1].at = op(ir::Op::Add, {field(local(0), "n"), c(Value::integer(1))});
  ir::Program located = sample_program();
  located.policies.resize(1);
  located.policies[0].steps[1].at = field(local(0), "name");
  Value name_with_span = Value::string("web", Span{2, 5, 9, 3});
  Value svc = Value::map(
      {{"name", name_with_span}, {"privileged", Value::boolean(true)}, {"n", Value::integer(1)}},
      Span{2, 4, 3, 0});
  Value doc = Value::map({{"services", list({svc})}});
  EvalResult computed = evaluate(p, doc, {}, "x");
  REQUIRE(computed.findings.size() == 1);
  CHECK(computed.findings[0].span.line == 4);  // the service
  EvalResult direct = evaluate(located, doc, {}, "x");
  REQUIRE(direct.findings.size() == 1);
  CHECK(direct.findings[0].span.line == 5);  // the name itself
}

TEST_CASE("==, !=, in and not in agree with ops:: for every pair of kinds (the fast paths)") {
  // The evaluator decides same-kind scalars, different kinds and caps-in-caps inline; ops::equal
  // and ops::contains are the definition. Every pair of these values must give the same answer
  // (or the same failure) both ways.
  std::vector<Value> values = {Value(),
                               Value::boolean(true),
                               Value::boolean(false),
                               Value::integer(0),
                               Value::integer(1),
                               Value::number(1.0),
                               Value::number(2.5),
                               str(""),
                               str("ALL"),
                               str("NET_RAW"),
                               Value::size(1),
                               Value::duration(1),
                               caps_of({}),
                               caps_of({"NET_RAW"}),
                               caps_of({"NET_RAW", "SYS_ADMIN"}),
                               Value::caps(caps::kAll),
                               list({str("NET_RAW")}),
                               list({}),
                               Value::set(List{str("NET_RAW"), str("CHOWN")}),
                               Value::map({{"NET_RAW", Value::boolean(true)}})};
  for (const Value& a : values) {
    for (const Value& b : values) {
      INFO(to_json_text(a) << " (" << kind_name(a.kind()) << ") vs " << to_json_text(b) << " ("
                           << kind_name(b.kind()) << ")");
      bool eq = ops::equal(a, b);
      CHECK(run(bin(ir::Op::Eq, a, b)).as_bool() == eq);
      CHECK(run(bin(ir::Op::Ne, a, b)).as_bool() == !eq);
      std::optional<bool> in;
      try {
        in = ops::contains(b, a);
      } catch (const RuntimeError&) {
      }
      if (in) {
        CHECK(run(bin(ir::Op::In, a, b)).as_bool() == *in);
        CHECK(run(bin(ir::Op::NotIn, a, b)).as_bool() == !*in);
      } else {
        CHECK(!run_error(bin(ir::Op::In, a, b)).empty());
        CHECK(!run_error(bin(ir::Op::NotIn, a, b)).empty());
      }
    }
  }
}

namespace {

ir::Expr call_of(BuiltinId id, ir::ExprList args) {
  ir::Expr e = op(ir::Op::Call, std::move(args));
  e.builtin = id;
  e.span = Span{1, 4, 2, 9};
  return e;
}

// The result (or "error: MESSAGE") of a closed expression, and the fewest steps it needs.
std::pair<std::string, uint64_t> outcome(const ir::Expr& e) {
  ir::Program program;
  Value result;
  ExpressionError error;
  std::string text = evaluate_expression(program, e, 4, Value(), {}, result, error)
                         ? (result.is_bool() ? (result.as_bool() ? "true" : "false") : "?")
                         : "error: " + error.message;
  uint64_t steps = 1;
  while (!evaluate_expression(program, e, 4, Value(), {}, result, error, steps) &&
         error.message.find("step budget exceeded") == 0 && steps < 100) {
    ++steps;
  }
  return {text, steps};
}

}  // namespace

TEST_CASE("starts_with and ends_with of a sum: as with the sum built first") {
  // eval_call decides starts_with(S, A + B) without building A + B; the answer, the errors and
  // the steps must be those of the built sum (the same call with a constant second argument:
  // the sum's step replaces the constant's, its constant operands cost none) and those of
  // contains(S, A + B), which takes the general path.
  std::vector<Value> values = {str(""),         str("/"),          str("/var"),       str("/var/"),
                               str("/var/run"), str("run"),        str("/var/run/x"), str("x"),
                               Value::null(),   Value::integer(3), list({str("a")})};
  int fast = 0;
  for (BuiltinId id : {builtin::StartsWith, builtin::EndsWith}) {
    for (const Value& s : values) {
      for (const Value& a : values) {
        for (const Value& b : values) {
          INFO(to_display(s) << " / " << to_display(a) << " + " << to_display(b));
          auto got = outcome(call_of(id, {c(s), op(ir::Op::Add, {c(a), c(b)}, Span{1, 4, 20, 5})}));
          // The reference: the sum computed by the evaluator's own `+` into a constant.
          std::string want;
          ir::Expr sum = op(ir::Op::Add, {c(a), c(b)}, Span{1, 4, 20, 5});
          ir::Program program;
          Value built;
          ExpressionError error;
          if (!evaluate_expression(program, sum, 4, Value(), {}, built, error)) {
            want = "error: " + error.message;
          } else {
            auto ref = outcome(call_of(id, {c(s), c(built)}));
            want = ref.first;
            CHECK(got.second == ref.second);
            if (s.is_string() && a.is_string() && b.is_string()) ++fast;
          }
          CHECK(got.first == want);
          auto same_shape =
              outcome(call_of(builtin::Contains, {c(s), op(ir::Op::Add, {c(a), c(b)})}));
          CHECK(got.second == same_shape.second);
        }
      }
    }
  }
  CHECK(fast == 2 * 8 * 8 * 8);
}
