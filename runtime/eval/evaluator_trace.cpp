#include "runtime/eval/evaluator_trace.hpp"

#include "runtime/eval/evaluator_machine.hpp"

namespace capguard {

namespace {

constexpr size_t kMaxValueText = 120;

std::string shortened(std::string text) {
  if (text.size() <= kMaxValueText) return text;
  text.resize(kMaxValueText - 3);
  return text + "...";
}

// The policy text a span covers (its first line).
std::string span_text(const Span& span) {
  if (!span.known()) return "";
  std::string_view line = source(span.file).line_text(span.line);
  size_t begin = span.column > 0 ? span.column - 1 : 0;
  if (begin >= line.size()) return "";
  size_t length = span.length > 0 ? span.length : line.size() - begin;
  return std::string(line.substr(begin, length));
}

class Tracer : public RuleObserver {
 public:
  Tracer(const ir::Policy& policy, std::vector<TraceRule>& out) : policy_(policy), out_(out) {}

  void rule(size_t step, Machine& m, const std::string& service) override {
    const ir::Step& rule = policy_.steps[step];
    TraceRule t;
    t.step = step;
    t.kind = rule.rule_kind;
    t.span = rule.span;
    t.service = service;
    for (size_t i = 0; i < step; ++i) {
      const ir::Step& s = policy_.steps[i];
      if (s.kind == ir::StepKind::Rule) continue;
      const Value& v = m.slot(s.slot);
      bool is_service = s.slot == policy_.service_slot;
      t.variables.push_back(
          {s.name, is_service ? to_json_text(Value::string(service)) : shortened(to_json_text(v))});
    }
    std::vector<const ir::Expr*> parts;
    collect_terms(rule.expr, parts);
    for (const ir::Expr* part : parts) {
      t.terms.push_back({span_text(part->span), value_text(*part, m), part->span});
    }
    t.condition = value_text(rule.expr, m);
    out_.push_back(std::move(t));
  }

 private:
  // The operands of the top-level boolean operators, left to right.
  static void collect_terms(const ir::Expr& e, std::vector<const ir::Expr*>& out) {
    if (e.op == ir::Op::And || e.op == ir::Op::Or || e.op == ir::Op::Not) {
      for (const ir::Expr& a : e.args) collect_terms(a, out);
      return;
    }
    out.push_back(&e);
  }

  static std::string value_text(const ir::Expr& e, Machine& m) {
    try {
      return shortened(to_json_text(m.eval(e)));
    } catch (const EvalFailure& f) {
      if (f.fatal) throw;  // the budget: the policy run reports it
      return "error: " + f.message;
    }
  }

  const ir::Policy& policy_;
  std::vector<TraceRule>& out_;
};

}  // namespace

Trace trace_policy(const ir::Program& program, size_t policy, const Value& document,
                   const std::vector<Value>& params, const std::string& input,
                   const EvalOptions& options) {
  Trace trace;
  std::vector<Value> roots = resolve_roots(program, document);
  const ir::Policy& p = program.policies.at(policy);
  Machine machine(params, roots, p.frame_size, options.step_budget);
  Tracer tracer(p, trace.rules);
  run_policy(program, policy, machine, input, options, trace.result, &tracer);
  return trace;
}

}  // namespace capguard
