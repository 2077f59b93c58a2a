#include "runtime/eval/evaluator.hpp"

#include <optional>

#include <algorithm>
#include <iterator>

#include "runtime/eval/builtins.hpp"
#include "runtime/eval/evaluator_machine.hpp"
#include "runtime/eval/not_checked.hpp"
#include "runtime/eval/regex_set.hpp"

namespace capguard {

namespace {

// Thrown after a fatal failure was reported inside a service's iteration: ends the policy.
struct StopPolicy {};

class PolicyRun {
 public:
  PolicyRun(const ir::Policy& policy, const std::vector<ir::Step>& steps, Machine& machine,
            const std::string& input, EvalResult& out, RuleObserver* observer)
      : policy_(policy),
        steps_(steps),
        m_(machine),
        input_(input),
        out_(out),
        observer_(observer) {}

  void run() { run_steps(0); }

 private:
  // The service the steps are running for: the `name` of the value bound to the policy's service
  // slot ("" when the policy has none or the value has no name). Looked up when first asked for
  // (findings are rarer than iterations) and kept until the slot is bound again.
  const std::string& service_name() {
    if (!service_) {
      service_ = &kNoService;
      if (service_value_) {
        // `name` is the first field of a normalized service (an interned key in a compacted
        // document); get_slot finds it by key otherwise.
        static const std::string* const name_key = intern_key("name");
        const Value* n = nullptr;
        if (service_value_->is_map()) {
          EntriesView entries = service_value_->as_map();
          if (!entries.empty() && entries[0].first.address() == name_key) {
            n = &entries[0].second;
          } else {
            n = service_value_->get_slot(0, "name");
          }
        }
        if (n && n->is_string()) service_ = &n->as_string();
      }
    }
    return *service_;
  }
  void bind_service(const Value* service) {
    service_value_ = service;
    service_ = nullptr;
  }

  void run_steps(size_t i) {
    for (; i < steps_.size(); ++i) {
      const ir::Step& step = steps_[i];
      switch (step.kind) {
        case ir::StepKind::Let:
          m_.bind_value(step.slot, m_.eval(step.expr));
          if (step.slot == policy_.service_slot) bind_service(&m_.slot(step.slot));
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
          // The common shape `for s in services deny when ...`: one rule after the loop, run
          // directly (what run_steps(i + 1) would do, without its loop for every element).
          const ir::Step* only_rule =
              i + 2 == steps_.size() && steps_[i + 1].kind == ir::StepKind::Rule && !observer_
                  ? &steps_[i + 1]
                  : nullptr;
          m_.for_each(collection, step.expr.span, [&](const Value& element) {
            m_.bind_ref(step.slot, element);  // `collection` keeps the element alive
            if (!per_service) {
              run_steps(i + 1);
              return true;
            }
            bind_service(&element);
            // An error inside one service's iteration stops that service only; the step budget
            // stops the policy.
            try {
              if (only_rule) {
                run_rule(*only_rule);
              } else {
                run_steps(i + 1);
              }
            } catch (const EvalFailure& f) {
              report(f);
              if (f.fatal) throw StopPolicy{};
            }
            return true;
          });
          m_.unbind(step.slot);
          if (per_service) bind_service(nullptr);
          return;  // the loop ran the rest of the steps
        }
      }
    }
  }

  void run_rule(const ir::Step& rule) {
    if (m_.eval_bool(rule.expr, "the rule's condition")) add_finding(rule);
  }

  // The rule fired: its finding (out of line, so that evaluating a condition that does not fire
  // pays nothing for what building a finding needs).
  [[gnu::noinline]] void add_finding(const ir::Step& rule) {
    Span span;
    if (rule.at) {
      Value tmp;
      span = m_.eval_ref_counted(*rule.at, tmp)->span();
    }
    // A computed `at` value may have no location of its own: then the default one.
    if (!span.known() && rule.default_at_slot >= 0) span = m_.slot(rule.default_at_slot).span();
    // The finding's text goes into the result's FindingText; the message is written last, so
    // that a failure while writing it leaves no finding behind.
    if (!out_.text) out_.text = std::make_shared<FindingText>();
    FindingText& text = *out_.text;
    if (out_.findings.capacity() == 0) out_.findings.reserve(16);
    Finding f;
    f.message = write_message(rule, text);
    f.policy = policy_.meta.id;
    f.kind = rule.rule_kind;
    f.severity = policy_.meta.severity;
    f.title = policy_.meta.title;
    f.service = text.add(service_name());
    if (input_text_.data() == nullptr) input_text_ = text.add(input_);
    f.input = input_text_;
    f.span = span;
    out_.findings.push_back(std::move(f));
  }

  // The rule's message with its values interpolated (the title when it has none), written into
  // `text`. The text parts and string values are gathered first and copied once; from the first
  // part that is not a string the message is built as a string and then copied.
  std::string_view write_message(const ir::Step& rule, FindingText& text) {
    if (!rule.message) return policy_.meta.title;  // lives in the program
    const std::vector<ir::TemplatePart>& parts = rule.message->parts;
    constexpr size_t kGathered = 8;
    std::string_view pieces[kGathered];
    size_t total = 0;
    size_t k = 0;
    std::string message;
    bool building = false;  // a part was not a string: the rest goes through `message`
    for (; k < parts.size() && k < kGathered; ++k) {
      const ir::TemplatePart& part = parts[k];
      if (part.expr) {
        Value tmp;
        const Value* v = m_.eval_ref(*part.expr, tmp);
        if (!v->is_string() || v == &tmp) {
          building = true;
          message.reserve(total + 32);
          for (size_t i = 0; i < k; ++i) message += pieces[i];
          append_value(*v, message);
          ++k;
          break;
        }
        pieces[k] = v->as_string();  // lives in the document or the program
      } else {
        pieces[k] = part.text;
      }
      total += pieces[k].size();
    }
    if (!building && k == parts.size() && total <= kMaxMessageBytes) {
      return text.join(pieces, k, total);
    }
    if (!building) {
      for (size_t i = 0; i < k; ++i) message += pieces[i];
    }
    for (; k < parts.size(); ++k) {
      const ir::TemplatePart& part = parts[k];
      if (part.expr) {
        Value tmp;
        append_value(*m_.eval_ref(*part.expr, tmp), message);
      } else {
        message += part.text;
      }
    }
    // A finding's message is for people: values interpolated from a huge input are cut.
    if (message.size() > kMaxMessageBytes) {
      size_t end = kMaxMessageBytes;
      while (end > 0 && (static_cast<unsigned char>(message[end]) & 0xC0) == 0x80) --end;
      message.resize(end);
      message += "...";
    }
    return text.add(message);
  }

  static constexpr size_t kMaxMessageBytes = 64u << 10;

  static void append_value(const Value& v, std::string& message) {
    if (v.is_string()) {
      message += v.as_string();  // to_display of a string is the string: no copy
    } else {
      message += to_display(v);
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
    // What the error leaves unchecked: this policy on this service (on every service of the
    // input when it stopped outside one).
    NotChecked nc;
    nc.policy = e.policy;
    nc.input = input_;
    nc.service = e.service;
    if (service_value_ != nullptr) nc.span = service_value_->span();
    nc.reason = "evaluation failed: " + e.message;
    out_.not_checked.push_back(std::move(nc));
    out_.errors.push_back(std::move(e));
  }

 private:
  const ir::Policy& policy_;
  const std::vector<ir::Step>& steps_;  // the policy's (ir::steps_of)
  Machine& m_;
  const std::string& input_;
  EvalResult& out_;
  RuleObserver* observer_;
  static inline const std::string kNoService;
  std::string_view input_text_;           // `input` in the result's FindingText, once copied
  const Value* service_value_ = nullptr;  // bound to the service slot, if any
  const std::string* service_ = nullptr;  // its name, once looked up
};

// One more than the highest slot an expression binds (a closed expression binds all it reads).
uint32_t frame_size_of(const ir::Expr& e) {
  uint32_t n = e.slot >= 0 ? static_cast<uint32_t>(e.slot) + 1 : 0;
  for (const ir::Expr& a : e.args) n = std::max(n, frame_size_of(a));
  return n;
}

// Runs policy `index`, whose steps are `steps`.
void run_policy_steps(const ir::Program& program, size_t index, const std::vector<ir::Step>& steps,
                      Machine& machine, const std::string& input, const EvalOptions& options,
                      EvalResult& out, RuleObserver* observer) {
  const ir::Policy& policy = program.policies.at(index);
  machine.reset(policy.frame_size, options.step_budget);
  PolicyRun run(policy, steps, machine, input, out, observer);
  try {
    run.run();
  } catch (const EvalFailure& f) {
    run.report(f);
  } catch (const StopPolicy&) {
  }
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
  // Deferred steps are loaded for this run and freed after it (ir::Program::load_steps).
  std::vector<ir::Step> deferred;
  run_policy_steps(program, index, ir::steps_of(program, index, deferred), machine, input, options,
                   out, observer);
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
  for (size_t r = 0; r < roots.size() && r < program.element_reads.size(); ++r) {
    if (roots[r].is_sequence()) {
      Machine::prefetch_elements(roots[r].as_list(), program.element_reads[r]);
    }
  }
  // One machine for all policies: its frame is allocated once per document.
  Machine machine(params, roots, max_frame(program), options.step_budget);
  std::vector<size_t> order;
  if (options.policies) {
    order = *options.policies;
  } else {
    for (size_t i = 0; i < program.policies.size(); ++i) order.push_back(i);
  }
  // What each policy reads off a service, when some service has unknown fields: taken from the
  // steps that run, so that deferred steps are loaded once.
  bool unknown_fields = has_unknown_fields(document);
  std::vector<PolicyReads> reads;
  // The nodes' argument lists of each policy's deferred steps come from one arena, rewound after
  // the policy (ir::ExprArena): a bump each instead of a malloc and a free.
  ir::ExprArena arena;
  for (size_t i : order) {
    bool deferred_steps = program.policies[i].steps_deferred;
    {
      // Deferred steps are loaded for this run, into the arena, and freed after it
      // (ir::Program::load_steps); loaded ones (several inputs, a benchmark) are used as they are.
      std::optional<ir::ExprArena::Scope> scope;
      if (deferred_steps) scope.emplace(arena);
      std::vector<ir::Step> deferred;
      const std::vector<ir::Step>& steps = ir::steps_of(program, i, deferred);
      run_policy_steps(program, i, steps, machine, input, options, out, nullptr);
      if (unknown_fields) reads.push_back(policy_reads(program.policies[i], steps));
    }
    if (deferred_steps) arena.rewind();
  }
  std::vector<NotChecked> unknown = unknown_fields
                                        ? find_not_checked(program, order, reads, document, input)
                                        : std::vector<NotChecked>{};
  out.not_checked.insert(out.not_checked.end(), std::make_move_iterator(unknown.begin()),
                         std::make_move_iterator(unknown.end()));
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
  o.make_regex_set_cache = [] { return std::make_shared<ir::RegexSetCache>(); };
  return o;
}

}  // namespace capguard
