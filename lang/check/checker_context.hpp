#pragma once
// The checker's shared state (internal to lang/checker_*.cpp): the package-level declarations of
// all modules, imports, the call graph and the memo of checked function instances.
//
// Passes, composed in lang/check/checker.cpp:
//   1. collect (checker_decls.cpp): packages, params, functions, imports, policy ids; duplicates.
//   2. params (checker_decls.cpp): declared types and defaults.
//   3. functions (checker_functions.cpp): every body once with its declared types (Any where
//      unannotated), then again per distinct argument-type tuple at call sites.
//   4. policies (checker_policies.cpp): metadata and bodies.
//   5. tests (checker_tests.cpp): param overrides, expectations.
//   6. recursion (checker_recursion.cpp): cycles in the call graph gathered by 3 and 4.

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "lang/check/checker.hpp"
#include "lang/core/diagnostics.hpp"
#include "lang/core/types.hpp"
#include "lang/syntax/ast.hpp"

namespace capguard::checker {

struct ParamInfo {
  const ast::Param* decl = nullptr;
  size_t module = 0;
  std::string qualified;
  TypePtr type;  // set by the params pass; Any when the declared type is unknown
};

struct FnInfo {
  const ast::Function* decl = nullptr;
  size_t module = 0;
  std::string qualified;
  std::vector<TypePtr> declared;  // per parameter; nullptr when unannotated
};

struct PackageInfo {
  std::map<std::string, ParamInfo> params;
  std::map<std::string, FnInfo> functions;
};

struct CallEdge {
  std::string callee;  // qualified
  Span span;           // of the call
};

Diagnostic make_note(Span span, std::string message);

class Context {
 public:
  Context(const std::vector<ast::Module>& modules, const Schema& schema, Diagnostics& diags,
          CheckResult& result);

  const std::vector<ast::Module>& modules;
  const Schema& schema;
  CheckResult& result;

  std::map<std::string, PackageInfo> packages;              // by dotted package name ("" for none)
  std::vector<std::string> module_package;                  // per module
  std::vector<std::map<std::string, std::string>> imports;  // per module: alias -> package
  std::map<std::string, const ast::Policy*> policies;       // by id, across all modules
  std::vector<std::string> policy_ids;                      // for "did you mean"

  // Call graph: caller (qualified) -> calls, in source order.
  std::map<std::string, std::vector<CallEdge>> calls;
  std::vector<std::string> function_order;  // qualified names in declaration order

  // Function instances: result type by "qualified(arg types)"; `active` guards recursion.
  std::map<std::string, TypePtr> instances;
  std::set<std::string> active;
  // Per module: expression ids whose type an argument-specific instance has set (see
  // checker_functions.cpp: instances that disagree leave Any).
  std::vector<std::unordered_set<ast::NodeId>> specialized;

  // Reports a diagnostic once: an identical message at an identical place is dropped (function
  // bodies are checked more than once).
  void emit(Diagnostic d);
  void error(Span span, std::string message, std::vector<Diagnostic> notes = {});
  // Hands the diagnostics to the caller's Diagnostics in source order (file, line, column), so
  // that the report reads top to bottom whatever pass found each mistake.
  void flush();

  // "pkg.name", or "name" without a package.
  static std::string qualify(const std::string& package, const std::string& name);
  const FnInfo* find_function(const std::string& qualified) const;

  // The result type of calling `fn` with `args` (already checked against declared types),
  // checking the body for this argument-type tuple the first time. `call` is the call's span (for
  // a note on errors that only this instance shows); unknown for the declaration-time check.
  TypePtr instantiate(const FnInfo& fn, const std::vector<TypePtr>& args, Span call);

 private:
  Diagnostics& diags_;
  std::set<std::string> seen_;
  std::vector<Diagnostic> pending_;
};

// The passes, in order (see above).
void collect_declarations(Context& ctx);
void check_params(Context& ctx);
void check_functions(Context& ctx);
void check_policies(Context& ctx);
void check_tests(Context& ctx);
void check_recursion(Context& ctx);

// Resolves a written type (`list[string]`, `service`); reports unknown names with a suggestion
// and returns Any for them.
TypePtr resolve_type_ref(Context& ctx, const ast::TypeRef& ref);
// Checks a constant expression (param default, test override: no params, no document) against a
// declared type; `what` names it in messages ("the default of param `x`").
void check_constant(Context& ctx, size_t module, const ast::Expr& value, const TypePtr& type,
                    const std::string& what);

}  // namespace capguard::checker
