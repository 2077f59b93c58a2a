#pragma once
// Expression checking (internal to the checker): resolves every Name and Call, infers the type of
// every expression and records both in the module's side tables.
//
// Never cascades: an expression whose type cannot be determined (after an error) gets Any, which
// every rule accepts. Diagnostics go to a caller-provided vector so that a function body checked
// for one call site can be reported with a note about that call.

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "lang/check/checker_context.hpp"

namespace capguard::checker {

struct Local {
  std::string name;
  Span span;
  TypePtr type;
  const ast::Expr* binder = nullptr;
};

class ExprChecker {
 public:
  // `types` is where inferred types go (the module's table, or a scratch table for an argument-
  // specific function instance). `caller` is the qualified function whose body is being checked
  // ("" in policies, params, tests), for the call graph.
  ExprChecker(Context& ctx, size_t module, std::vector<Diagnostic>& out,
              std::unordered_map<ast::NodeId, TypePtr>& types, std::string caller = "");

  TypePtr check(const ast::Expr& e);
  // Checks `e` and requires a bool; `what` names the place ("the condition of `deny`").
  void check_bool(const ast::Expr& e, const std::string& what);
  // The element type bound by iterating `collection` (already checked, of type `type`); reports
  // a non-iterable collection and gives Any.
  TypePtr iterate(const ast::Expr& collection, const TypePtr& type);

  // Binds a local variable; a name that shadows a local, param, function, built-in or schema
  // root is reported (and bound anyway, to avoid follow-on errors).
  void bind(const std::string& name, Span span, TypePtr type, const ast::Expr* binder);
  size_t scope_mark() const { return locals_.size(); }
  void scope_restore(size_t mark) { locals_.resize(mark); }

  // In param defaults and test overrides only constants are allowed: no params, no `services`.
  bool constant_only = false;

  void error(Span span, std::string message, std::vector<Diagnostic> notes = {});

 private:
  TypePtr infer(const ast::Expr& e);
  TypePtr check_name(const ast::Expr& e, const ast::Name& n);
  TypePtr check_capability(const ast::Expr& e, const std::string& name);
  TypePtr check_field(const ast::Expr& e, const ast::Field& f);
  TypePtr check_index(const ast::Expr& e, const ast::Index& ix);
  TypePtr check_unary(const ast::Expr& e, const ast::Unary& u);
  TypePtr check_binary(const ast::Expr& e, const ast::Binary& b);
  TypePtr check_conditional(const ast::Expr& e, const ast::Conditional& c);
  TypePtr check_items(const ast::Expr& e, const std::vector<ast::ExprPtr>& items, bool is_set);
  TypePtr check_call(const ast::Expr& e, const ast::Call& c);
  TypePtr call_user(const ast::Expr& e, const ast::Call& c, const FnInfo& fn,
                    const std::vector<TypePtr>& args);
  TypePtr call_builtin(const ast::Expr& e, const ast::Call& c, const std::vector<TypePtr>& args);
  TypePtr check_quantifier(const ast::Expr& e, const ast::Quantifier& q);
  TypePtr check_comprehension(const ast::Expr& e, const ast::Comprehension& c);

  const Local* find_local(const std::string& name) const;
  const PackageInfo* package() const;
  void resolve(const ast::Expr& e, Resolution r);
  // `e` names the param `p`, written `written` (`name` or `alias.name`): resolved to it, or an
  // error when only constants are allowed. Returns the param's type (Any after the error).
  TypePtr use_param(const ast::Expr& e, const ParamInfo& p, const std::string& written);
  // Names visible here, for "did you mean" on an unknown name.
  std::vector<std::string> visible_names() const;

  Context& ctx_;
  size_t module_;
  std::vector<Diagnostic>& out_;
  std::unordered_map<ast::NodeId, TypePtr>& types_;
  std::string caller_;
  std::vector<Local> locals_;
  std::unordered_set<ast::NodeId> capability_names_;  // Name nodes read as capabilities
};

}  // namespace capguard::checker
