#pragma once
// Internal to the evaluator: the expression machine. One Machine evaluates IR expressions for one
// policy on one document: it owns the frame of local slots and the step budget, and reads params
// and document roots by index. No name is looked up and nothing is shared between machines.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lang/compile/ir.hpp"
#include "runtime/eval/evaluator.hpp"
#include "runtime/eval/evaluator_ops.hpp"

namespace capguard {

// A runtime error at a node of the policy (a RuntimeError from an operator or a built-in, with
// the span of the node that raised it), or the step budget running out.
struct EvalFailure {
  Span span;
  std::string message;
  bool fatal = false;  // the step budget: stops the whole policy, not one service
};

class Machine {
 public:
  Machine(const std::vector<Value>& params, const std::vector<Value>& roots, uint32_t frame_size,
          uint64_t step_budget)
      : params_(params),
        roots_(roots),
        slots_(frame_size, &null_),
        owned_(frame_size),
        steps_left_(step_budget) {}

  // Evaluates `e`. Throws EvalFailure.
  Value eval(const ir::Expr& e);
  // Evaluates `e` without copying when the result already lives somewhere (a slot, a param, a
  // constant, a field of one of those); otherwise stores it in `tmp`. The pointer stays valid
  // while `tmp` and the frame slot are untouched.
  const Value* eval_ref(const ir::Expr& e, Value& tmp) {
    // The leaves inline (a comparison's constant, a loop variable); the rest out of line.
    switch (e.op) {
      case ir::Op::Const:
        return &e.value;
      case ir::Op::Local:
        return &slot(e.slot);
      case ir::Op::Param:
        return &params_[static_cast<size_t>(e.index)];
      case ir::Op::Root:
        return &roots_[static_cast<size_t>(e.index)];
      default:
        return eval_ref_node(e, tmp);
    }
  }
  // eval_ref() counting the same steps as eval(), for callers that replaced an eval() by it:
  // the step budget runs out at the same node either way.
  const Value* eval_ref_counted(const ir::Expr& e, Value& tmp);
  // Evaluates `e`, which must give a bool ("WHAT must be a bool, got KIND" otherwise).
  bool eval_bool(const ir::Expr& e, const char* what);

  // The frame. A slot refers to a value that lives elsewhere (an element of the collection a
  // `for` iterates, which outlives the iteration) or to the slot's own storage (a `let`), so
  // binding a loop variable copies nothing. The compiler guarantees a slot is bound before it is
  // read and only read while its binder is running.
  const Value& slot(int32_t s) const { return *slots_[static_cast<size_t>(s)]; }
  void bind_ref(int32_t s, const Value& v) { slots_[static_cast<size_t>(s)] = &v; }
  void bind_value(int32_t s, Value v) {
    owned_[static_cast<size_t>(s)] = std::move(v);
    slots_[static_cast<size_t>(s)] = &owned_[static_cast<size_t>(s)];
  }
  void unbind(int32_t s) { slots_[static_cast<size_t>(s)] = &null_; }
  // Prepares the machine for another policy: a fresh budget, at least `frame_size` slots.
  void reset(uint32_t frame_size, uint64_t step_budget) {
    if (slots_.size() < frame_size) {
      slots_.resize(frame_size);
      owned_.resize(frame_size);  // may move the stored values: every slot is unbound below
    }
    // No slot may still refer to a value of the previous policy (or to moved storage).
    std::fill(slots_.begin(), slots_.end(), &null_);
    steps_left_ = step_budget;
  }

  // Iterates a collection (ops::for_each_element), converting a RuntimeError into an EvalFailure
  // at `span`.
  template <typename Body>
  void for_each(const Value& collection, Span span, Body&& body) {
    if (!collection.is_sequence() && !collection.is_map() && !collection.is_null() &&
        collection.kind() != Kind::Caps) {
      fail_at(span, std::string("cannot iterate over a ") + kind_name(collection.kind()));
    }
    ops::for_each_element(collection, body);
  }

  // Starts loading what the program will read off the elements of a collection it is about to
  // iterate: `reads` are the schema slot paths of ir::Program::element_reads. Documents are
  // trees of maps: reading one service waits on several cache misses in a row; requesting the
  // entries of every element first lets the misses overlap. A hint only; nothing is evaluated.
  static void prefetch_elements(ListView items, const std::vector<ir::Program::ElementRead>& reads);
  // Starts loading the first bytes of a document: in a compacted document (lang/core/value.hpp
  // compact()) they hold its root map, the services list and the first services' maps, which
  // otherwise arrive one cache miss after the other. A hint only.
  static void prefetch_document(const Value& document);

  [[noreturn]] static void fail_at(Span span, std::string message) {
    throw EvalFailure{span, std::move(message)};
  }

 private:
  bool eval_comparison(const ir::Expr& e);
  // "WHAT must be a bool, got KIND" at `e` (out of line: the error path).
  [[noreturn, gnu::cold, gnu::noinline]] static void not_a_bool(const ir::Expr& e, const char* what,
                                                                const Value& v);
  const Value* eval_ref_node(const ir::Expr& e, Value& tmp);  // eval_ref() of the other nodes
  // `.name` of `object` for the Field node `e` (its step already counted).
  const Value* field_of(const ir::Expr& e, const Value& object);
  const Value* field_slow(const ir::Expr& e, const Value& object);
  Value eval_call(const ir::Expr& e);
  // starts_with(S, A + B) or ends_with(S, A + B), S, A and B strings: decided without building
  // A + B (the standard library's path_in() asks it for every mount and listed folder); the
  // same steps, order of evaluation and errors as eval_call().
  Value eval_affix_of_sum(const ir::Expr& e);
  Value eval_quantifier(const ir::Expr& e);
  // `any` of ir::regex_set_shape() over a list or set by one RE2::Set search, charging the steps
  // the element-by-element evaluation would; nullopt when it must be evaluated element by
  // element (its cost not measured yet, a pattern or subject that matches() refuses, the step
  // budget too close).
  std::optional<bool> any_by_regex_set(const ir::Expr& e, const Value& collection);
  Value eval_comprehension(const ir::Expr& e);
  Value eval_binary(const ir::Expr& e);
  // Charges `work` more steps (a linear scan done as one node, such as `in` on a list), so the
  // budget bounds time and not only the number of nodes.
  void charge(const ir::Expr& e, uint64_t work) {
    if (work >= steps_left_) {
      steps_left_ = 0;
      throw EvalFailure{e.span, "step budget exceeded: the policy does too much work on this input",
                        true};
    }
    steps_left_ -= work;
  }
  void tick(const ir::Expr& e) {
    if (steps_left_ == 0 || --steps_left_ == 0) {
      throw EvalFailure{e.span, "step budget exceeded: the policy does too much work on this input",
                        true};
    }
  }

  const std::vector<Value>& params_;
  const std::vector<Value>& roots_;
  const Value null_;
  std::vector<const Value*> slots_;
  std::vector<Value> owned_;
  uint64_t steps_left_;
};

// Sees each rule of a policy run just before its condition is evaluated, with the machine in the
// state the rule sees (runtime/eval/evaluator_trace.cpp uses it to explain rules).
class RuleObserver {
 public:
  virtual ~RuleObserver() = default;
  virtual void rule(size_t step, Machine& machine, const std::string& service) = 0;
};

// Runs policy `index` on `machine` (whose params and roots are the document's), appending to
// `out`.
void run_policy(const ir::Program& program, size_t index, Machine& machine,
                const std::string& input, const EvalOptions& options, EvalResult& out,
                RuleObserver* observer = nullptr);

// The document's value of each of the program's roots (null when absent).
std::vector<Value> resolve_roots(const ir::Program& program, const Value& document);

}  // namespace capguard
