#pragma once
// Internal to pass 1 of the compiler (lower, see lang/compile/compiler_passes.hpp): the lowering
// state, shared by the two halves of the pass: expressions (lang/compile/compiler_lower.cpp: names
// to slots, fields to schema slots, functions inlined) and declarations
// (lang/compile/compiler_lower_decls.cpp: params, policies and their steps, tests).

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "lang/compile/compiler_passes.hpp"

namespace capguard::compiler {

// "a.b.c" from {"a", "b", "c"}; a name qualified by its package ("name" without one).
std::string join(const std::vector<std::string>& parts);
std::string qualify(const std::string& package, const std::string& name);

class Lowerer {
 public:
  Lowerer(const std::vector<ast::Module>& modules, const CheckResult& checked, const Schema& schema,
          Unit& unit, Diagnostics& diags);
  // Lowers every module: params first (so that expressions can refer to them), then policies,
  // then tests.
  void run();

 private:
  const ModuleInfo* info() const {
    return module_ < checked_.modules.size() ? &checked_.modules[module_] : nullptr;
  }

  TypePtr type_of(const ast::Expr& e) const {
    if (const ModuleInfo* i = info()) {
      auto it = i->types.find(e.id);
      if (it != i->types.end()) return it->second;
    }
    return nullptr;
  }

  const Resolution* resolution_of(const ast::Expr& e) const {
    if (const ModuleInfo* i = info()) {
      auto it = i->names.find(e.id);
      if (it != i->names.end()) return &it->second;
    }
    return nullptr;
  }

  int32_t bind(const std::string& name);
  int32_t find_local(const std::string& name) const {
    for (size_t i = scope_.size(); i > scope_floor_; --i) {
      if (scope_[i - 1].first == name) return scope_[i - 1].second;
    }
    return -1;
  }

  int32_t param_index(const std::string& qualified) const {
    auto it = param_indices_.find(qualified);
    return it == param_indices_.end() ? -1 : static_cast<int32_t>(it->second);
  }

  int32_t root_index(const std::string& name);

  // ---- expressions (compiler_lower.cpp) ----
  ir::Expr node(ir::Op op, Span span);
  ir::Expr constant(Value v, Span span);
  ir::Expr broken(Span span, const std::string& message);
  ir::Expr lower(const ast::Expr& e);
  ir::Expr lower_node(const ast::Expr& e, const ast::Literal& n);
  ir::Expr capability(const std::string& name, Span span);
  ir::Expr param_ref(const std::string& qualified, const std::string& shown, Span span);
  ir::Expr lower_node(const ast::Expr& e, const ast::Name& n);
  ir::Expr lower_node(const ast::Expr& e, const ast::Field& f);
  ir::Expr lower_node(const ast::Expr& e, const ast::Index& ix);
  ir::Expr lower_node(const ast::Expr& e, const ast::Unary& u);
  ir::Expr lower_node(const ast::Expr& e, const ast::Binary& b);
  ir::Expr lower_node(const ast::Expr& e, const ast::Conditional& c);
  ir::Expr items(const ast::Expr& e, const std::vector<ast::ExprPtr>& list, ir::Op op);
  ir::Expr lower_node(const ast::Expr& e, const ast::ListLiteral& l);
  ir::Expr lower_node(const ast::Expr& e, const ast::SetLiteral& s);
  ir::Expr lower_node(const ast::Expr& e, const ast::Call& c);
  // A user function call becomes Let(p1 = a1, Let(p2 = a2, ... body)): arguments evaluated in the
  // caller's scope, the body in the function's own module and a scope holding only its
  // parameters, each in a fresh slot (or the caller's slot when the argument is a local, which
  // the body cannot reassign: every binder in it takes a fresh slot).
  ir::Expr inline_call(const ast::Expr& e, const ast::Call& c, const std::string& qualified);
  // A lower bound of the IR nodes lowering `e` creates, user functions inlined (a user call
  // itself counts 0: it becomes its arguments' Lets and the body), at most kMaxNodes. Lets the
  // outermost call of a program that would grow past the node limit be refused before building
  // millions of nodes (4^11 copies took 18 s under the sanitizers). Memoized per function.
  size_t min_nodes(const ast::Expr& e, int depth);
  size_t function_min_nodes(const std::string& qualified, int depth);
  ir::Expr lower_node(const ast::Expr& e, const ast::Quantifier& q);
  ir::Expr lower_node(const ast::Expr& e, const ast::Comprehension& c);

  // ---- declarations (compiler_lower_decls.cpp) ----
  void reset_frame();
  void lower_params();
  PolicyMetadata metadata(const ast::Policy& p);
  void lower_policy(const ast::Policy& p);
  // The qualified name of the param a test override names: NAME in the test's package, or
  // ALIAS.NAME through an import.
  std::string test_param_name(const std::string& name) const;
  void lower_test(const ast::Test& t);

  const std::vector<ast::Module>& modules_;
  const CheckResult& checked_;
  const Schema& schema_;
  Unit& unit_;
  Diagnostics& diags_;
  std::vector<std::string> packages_;  // per module
  std::map<std::string, std::pair<size_t, const ast::Function*>> functions_;
  std::map<std::string, size_t> param_indices_;
  size_t module_ = 0;
  std::vector<std::pair<std::string, int32_t>> scope_;
  size_t scope_floor_ = 0;  // locals below this index are invisible (the caller of a function)
  uint32_t next_slot_ = 0;
  int inline_depth_ = 0;
  size_t nodes_ = 0;
  std::map<std::string, size_t> function_min_nodes_;  // min_nodes of each function's body
  Span outer_call_;                                   // the outermost call being inlined
};

}  // namespace capguard::compiler
