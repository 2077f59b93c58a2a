// Calls: resolution of `f(...)` and `alias.f(...)` to user functions and built-ins, arity and
// argument types.

#include <fmt/format.h>

#include "lang/check/builtins.hpp"
#include "lang/check/checker_expr.hpp"
#include "lang/check/checker_types.hpp"

namespace capguard::checker {

namespace {

std::string plural_args(size_t n) {
  return fmt::format("{} argument{}", n, n == 1 ? "" : "s");
}

// "takes 2 arguments", "takes 1 to 2 arguments", "takes at least 1 argument".
std::string arity_text(size_t min, size_t max) {
  if (min == max) return "takes " + plural_args(min);
  if (max == static_cast<size_t>(-1)) return "takes at least " + plural_args(min);
  return fmt::format("takes {} to {} arguments", min, max);
}

// Signature checks name the argument at fault ("argument 2 of starts_with must be ..."): point
// the caret at that argument; at the callee otherwise.
Span argument_span(const ast::Call& c, const std::string& message) {
  const std::string prefix = "argument ";
  if (message.compare(0, prefix.size(), prefix) != 0) return c.callee_span;
  size_t n = 0, i = prefix.size();
  while (i < message.size() && message[i] >= '0' && message[i] <= '9') {
    n = n * 10 + static_cast<size_t>(message[i++] - '0');
  }
  return n >= 1 && n <= c.args.size() ? c.args[n - 1]->span : c.callee_span;
}

}  // namespace

TypePtr ExprChecker::check_call(const ast::Expr& e, const ast::Call& c) {
  std::vector<TypePtr> args;
  for (const ast::ExprPtr& a : c.args) args.push_back(check(*a));

  size_t dot = c.callee.rfind('.');
  if (dot != std::string::npos) {
    std::string alias = c.callee.substr(0, dot);
    std::string name = c.callee.substr(dot + 1);
    const auto& imports = ctx_.imports[module_];
    auto it = imports.find(alias);
    if (it == imports.end()) {
      std::vector<std::string> aliases;
      for (const auto& [a, pkg] : imports) aliases.push_back(a);
      error(c.callee_span, fmt::format("unknown package alias `{}` (import the package with "
                                       "`import PACKAGE as {}`){}",
                                       alias, alias, did_you_mean_hint(alias, aliases)));
      return any_type();
    }
    const PackageInfo& pkg = ctx_.packages.at(it->second);
    auto fn = pkg.functions.find(name);
    if (fn == pkg.functions.end()) {
      std::vector<std::string> names;
      for (const auto& [n, info] : pkg.functions) names.push_back(n);
      error(c.callee_span, fmt::format("package `{}` has no function `{}`{}", it->second, name,
                                       did_you_mean_hint(name, names)));
      return any_type();
    }
    return call_user(e, c, fn->second, args);
  }

  if (find_local(c.callee)) {
    error(c.callee_span, fmt::format("`{}` is a local variable, not a function", c.callee));
    return any_type();
  }
  const PackageInfo* pkg = package();
  if (pkg) {
    auto fn = pkg->functions.find(c.callee);
    if (fn != pkg->functions.end()) return call_user(e, c, fn->second, args);
    if (pkg->params.count(c.callee)) {
      error(c.callee_span, fmt::format("`{}` is a param, not a function", c.callee));
      return any_type();
    }
  }
  if (find_builtin(c.callee)) return call_builtin(e, c, args);

  std::vector<std::string> candidates = builtin_names();
  if (pkg) {
    for (const auto& [n, info] : pkg->functions) candidates.push_back(n);
  }
  error(c.callee_span,
        fmt::format("unknown function `{}`{}", c.callee, did_you_mean_hint(c.callee, candidates)));
  return any_type();
}

TypePtr ExprChecker::call_user(const ast::Expr& e, const ast::Call& c, const FnInfo& fn,
                               const std::vector<TypePtr>& args) {
  Resolution r;
  r.kind = Resolution::Kind::Function;
  r.qualified = fn.qualified;
  resolve(e, r);
  if (!caller_.empty()) ctx_.calls[caller_].push_back(CallEdge{fn.qualified, c.callee_span});

  const auto& params = fn.decl->params;
  if (args.size() != params.size()) {
    error(c.callee_span,
          fmt::format("`{}` {}, got {}", c.callee, arity_text(params.size(), params.size()),
                      args.size()),
          {make_note(fn.decl->span, fmt::format("`{}` is declared here", fn.decl->name))});
    return any_type();
  }
  std::vector<TypePtr> effective;
  bool ok = true;
  for (size_t i = 0; i < params.size(); ++i) {
    const TypePtr& declared = i < fn.declared.size() ? fn.declared[i] : nullptr;
    if (!declared) {
      effective.push_back(args[i]);
      continue;
    }
    effective.push_back(declared);
    if (!assignable(*args[i], *declared, true)) {
      ok = false;
      error(c.args[i]->span,
            fmt::format("argument {} of `{}` must be {}, got {}", i + 1, c.callee,
                        name_of(declared), name_of(args[i])),
            {make_note(params[i].span,
                       fmt::format("parameter `{}` is declared here", params[i].name))});
    }
  }
  TypePtr result = ctx_.instantiate(fn, effective, c.callee_span);
  return ok ? result : any_type();
}

TypePtr ExprChecker::call_builtin(const ast::Expr& e, const ast::Call& c,
                                  const std::vector<TypePtr>& args) {
  const BuiltinSignature* sig = find_builtin(c.callee);
  Resolution r;
  r.kind = Resolution::Kind::Builtin;
  r.qualified = c.callee;
  resolve(e, r);
  if (args.size() < sig->min_args || args.size() > sig->max_args) {
    error(c.callee_span, fmt::format("`{}` {}, got {}", c.callee,
                                     arity_text(sig->min_args, sig->max_args), args.size()));
    return any_type();
  }
  std::string message;
  TypePtr result = sig->check ? sig->check(args, message) : any_type();
  if (!result) {
    error(argument_span(c, message),
          message.empty() ? fmt::format("invalid arguments to `{}`", c.callee) : message);
    return any_type();
  }
  return result;
}

}  // namespace capguard::checker
