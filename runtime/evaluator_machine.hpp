#pragma once
// Internal to the evaluator: the expression machine. One Machine evaluates IR expressions for one
// policy on one document: it owns the frame of local slots and the step budget, and reads params
// and document roots by index. No name is looked up and nothing is shared between machines.

#include <cstdint>
#include <string>
#include <vector>

#include "lang/ir.hpp"
#include "runtime/evaluator_ops.hpp"

namespace capguard {

// A runtime error at a node of the policy (a RuntimeError from an operator or a built-in, with
// the span of the node that raised it), or the step budget running out.
struct EvalFailure {
  Span span;
  std::string message;
};

class Machine {
 public:
  Machine(const std::vector<Value>& params, const std::vector<Value>& roots, uint32_t frame_size,
          uint64_t step_budget)
      : params_(params), roots_(roots), frame_(frame_size), steps_left_(step_budget) {}

  // Evaluates `e`. Throws EvalFailure.
  Value eval(const ir::Expr& e);
  std::vector<Value>& frame() { return frame_; }

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

  [[noreturn]] static void fail_at(Span span, std::string message) {
    throw EvalFailure{span, std::move(message)};
  }

 private:
  // Evaluates `e` without copying when the result already lives somewhere (a slot, a param, a
  // constant, a field of one of those); otherwise stores it in `tmp`. The pointer stays valid
  // while `tmp` and the frame slot are untouched.
  const Value* eval_ref(const ir::Expr& e, Value& tmp);
  bool eval_bool(const ir::Expr& e, const char* what);
  Value eval_call(const ir::Expr& e);
  Value eval_quantifier(const ir::Expr& e);
  Value eval_comprehension(const ir::Expr& e);
  Value eval_binary(const ir::Expr& e);
  void tick(const ir::Expr& e) {
    if (--steps_left_ == 0)
      fail_at(e.span, "step budget exceeded: the policy does too much work on this input");
  }

  const std::vector<Value>& params_;
  const std::vector<Value>& roots_;
  std::vector<Value> frame_;
  uint64_t steps_left_;
};

}  // namespace capguard
