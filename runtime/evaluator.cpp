#include "runtime/evaluator.hpp"

#include <algorithm>

#include "runtime/builtins.hpp"
#include "runtime/evaluator_machine.hpp"

namespace capguard {

namespace {

// Thrown after a fatal failure was reported inside a service's iteration: ends the policy.
struct StopPolicy {};

class PolicyRun {
 public:
  PolicyRun(const ir::Policy& policy, Machine& machine, const std::string& input, EvalResult& out,
            RuleObserver* observer)
      : policy_(policy), m_(machine), input_(input), out_(out), observer_(observer) {}

  void run() { run_steps(0); }

 private:
  std::string service_name() const {
    if (policy_.service_slot < 0) return "";
    // `name` is the first field of a normalized service; get_slot checks the key either way.
    const Value* n = m_.slot(policy_.service_slot).get_slot(0, "name");
    return n && n->is_string() ? n->as_string() : "";
  }

  void run_steps(size_t i) {
    for (; i < policy_.steps.size(); ++i) {
      const ir::Step& step = policy_.steps[i];
      switch (step.kind) {
        case ir::StepKind::Let:
          m_.bind_value(step.slot, m_.eval(step.expr));
          break;
        case ir::StepKind::Rule:
          if (observer_) observer_->rule(i, m_, service_name());
          run_rule(step);
          break;
        case ir::StepKind::For: {
          // By reference when the collection lives in a root, param or slot (no refcount
          // traffic); the slot it may live in is bound outside this loop, so stays untouched.
          Value tmp;
          const Value& collection = *m_.eval_ref_counted(step.expr, tmp);
          bool per_service = step.slot == policy_.service_slot;
          m_.for_each(collection, step.expr.span, [&](const Value& element) {
            m_.bind_ref(step.slot, element);  // `collection` keeps the element alive
            if (!per_service) {
              run_steps(i + 1);
              return true;
            }
            // An error inside one service's iteration stops that service only; the step budget
            // stops the policy.
            try {
              run_steps(i + 1);
            } catch (const EvalFailure& f) {
              report(f);
              if (f.fatal) throw StopPolicy{};
            }
            return true;
          });
          m_.unbind(step.slot);
          return;  // the loop ran the rest of the steps
        }
      }
    }
  }

  void run_rule(const ir::Step& rule) {
    if (!m_.eval_bool(rule.expr, "the rule's condition")) return;
    Span span;
    if (rule.at) {
      Value tmp;
      span = m_.eval_ref_counted(*rule.at, tmp)->span();
    }
    // A computed `at` value may have no location of its own: then the default one.
    if (!span.known() && rule.default_at_slot >= 0) span = m_.slot(rule.default_at_slot).span();
    // Built in place: a Finding is large and evaluation can produce many. The first finding of
    // a document reserves room for a typical count (a few policies firing for a few services),
    // so that the vector rarely moves its findings.
    if (out_.findings.capacity() == 0) out_.findings.reserve(16);
    Finding& f = out_.findings.emplace_back();
    try {
      write_message(rule, f.message);
    } catch (...) {
      out_.findings.pop_back();  // the message failed: an error, not a finding
      throw;
    }
    f.policy = policy_.meta.id;
    f.kind = rule.rule_kind;
    f.severity = policy_.meta.severity;
    f.title = policy_.meta.title;
    f.service = service_name();
    f.input = input_;
    f.span = span;
  }

  // The rule's message with its values interpolated (the title when it has none).
  void write_message(const ir::Step& rule, std::string& message) {
    if (!rule.message) {
      message = policy_.meta.title;
      return;
    }
    message.reserve(64);
    for (const ir::TemplatePart& part : rule.message->parts) {
      if (!part.expr) {
        message += part.text;
        continue;
      }
      Value tmp;
      const Value* v = m_.eval_ref(*part.expr, tmp);
      if (v->is_string()) {
        message += v->as_string();  // to_display of a string is the string: skip the copy
      } else {
        message += to_display(*v);
      }
    }
    // A finding's message is for people: values interpolated from a huge input are cut.
    constexpr size_t kMaxMessageBytes = 64u << 10;
    if (message.size() > kMaxMessageBytes) {
      size_t end = kMaxMessageBytes;
      while (end > 0 && (static_cast<unsigned char>(message[end]) & 0xC0) == 0x80) --end;
      message.resize(end);
      message += "...";
    }
  }

 public:
  void report(const EvalFailure& f) {
    EvalError e;
    e.policy = policy_.meta.id;
    e.input = input_;
    e.service = service_name();
    e.policy_span = f.span;
    e.message = f.message;
    out_.errors.push_back(std::move(e));
  }

 private:
  const ir::Policy& policy_;
  Machine& m_;
  const std::string& input_;
  EvalResult& out_;
  RuleObserver* observer_;
};

// One more than the highest slot an expression binds (a closed expression binds all it reads).
uint32_t frame_size_of(const ir::Expr& e) {
  uint32_t n = e.slot >= 0 ? static_cast<uint32_t>(e.slot) + 1 : 0;
  for (const ir::Expr& a : e.args) n = std::max(n, frame_size_of(a));
  return n;
}

}  // namespace

std::vector<Value> resolve_roots(const ir::Program& program, const Value& document) {
  std::vector<Value> roots;
  roots.reserve(program.roots.size());
  for (const std::string& name : program.roots) {
    const Value* v = document.get(name);
    roots.push_back(v ? *v : Value());
  }
  return roots;
}

void run_policy(const ir::Program& program, size_t index, Machine& machine,
                const std::string& input, const EvalOptions& options, EvalResult& out,
                RuleObserver* observer) {
  const ir::Policy& policy = program.policies.at(index);
  machine.reset(policy.frame_size, options.step_budget);
  PolicyRun run(policy, machine, input, out, observer);
  try {
    run.run();
  } catch (const EvalFailure& f) {
    run.report(f);
  } catch (const StopPolicy&) {
  }
}

namespace {

uint32_t max_frame(const ir::Program& program) {
  uint32_t n = 0;
  for (const ir::Policy& p : program.policies) n = std::max(n, p.frame_size);
  return n;
}

}  // namespace

void evaluate_policy(const ir::Program& program, size_t index, const Value& document,
                     const std::vector<Value>& params, const std::string& input,
                     const EvalOptions& options, EvalResult& out) {
  std::vector<Value> roots = resolve_roots(program, document);
  Machine machine(params, roots, program.policies.at(index).frame_size, options.step_budget);
  run_policy(program, index, machine, input, options, out);
}

EvalResult evaluate(const ir::Program& program, const Value& document,
                    const std::vector<Value>& params, const std::string& input,
                    const EvalOptions& options) {
  EvalResult out;
  Machine::prefetch_document(document);
  std::vector<Value> roots = resolve_roots(program, document);
  for (size_t r = 0; r < roots.size() && r < program.element_paths.size(); ++r) {
    if (roots[r].is_sequence()) {
      Machine::prefetch_elements(roots[r].as_list(), program.element_paths[r]);
    }
  }
  // One machine for all policies: its frame is allocated once per document.
  Machine machine(params, roots, max_frame(program), options.step_budget);
  if (options.policies) {
    for (size_t i : *options.policies) run_policy(program, i, machine, input, options, out);
  } else {
    for (size_t i = 0; i < program.policies.size(); ++i) {
      run_policy(program, i, machine, input, options, out);
    }
  }
  return out;
}

bool evaluate_expression(const ir::Program& program, const ir::Expr& expr, uint32_t frame_size,
                         const Value& document, const std::vector<Value>& params, Value& result,
                         ExpressionError& error, uint64_t step_budget) {
  std::vector<Value> roots = resolve_roots(program, document);
  Machine machine(params, roots, frame_size, step_budget);
  try {
    result = machine.eval(expr);
    return true;
  } catch (const EvalFailure& f) {
    error.span = f.span;
    error.message = f.message;
    return false;
  }
}

CompileOptions runtime_compile_options() {
  CompileOptions o;
  o.evaluate_constant = [](const ir::Expr& e, Value& out) {
    static const std::vector<Value> no_values;
    Machine machine(no_values, no_values, frame_size_of(e), 1'000'000);
    try {
      out = machine.eval(e);
      return true;
    } catch (const EvalFailure&) {
      return false;
    }
  };
  o.is_pure_builtin = [](BuiltinId id) {
    const auto& sigs = builtin_signatures();
    return id < sigs.size() && sigs[id].pure;
  };
  o.regex_argument = [](BuiltinId id) { return regex_argument(id); };
  o.compile_regex = [](std::string_view pattern, std::string& err) {
    return compile_regex(pattern, err);
  };
  return o;
}

}  // namespace capguard
