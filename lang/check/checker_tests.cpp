// Test blocks: unique names per package, param overrides that name existing params with values of
// their types, expectations that name existing policies (and a rule kind the policy has), and at
// least one input and one expectation.

#include <fmt/format.h>

#include "lang/check/checker_context.hpp"
#include "lang/check/checker_types.hpp"

namespace capguard::checker {

namespace {

bool has_rule_of_kind(const ast::Policy& p, RuleKind kind) {
  for (const ast::Clause& c : p.body) {
    const auto* r = std::get_if<ast::Rule>(&c.node);
    if (r && r->kind == kind) return true;
  }
  return false;
}

// The param a test override names: `name` in the test's package, or `alias.name`.
const ParamInfo* find_param(Context& ctx, size_t module, const ast::TestParam& tp) {
  std::string package = ctx.module_package[module];
  std::string name = tp.name;
  size_t dot = name.rfind('.');
  if (dot != std::string::npos) {
    auto alias = ctx.imports[module].find(name.substr(0, dot));
    if (alias == ctx.imports[module].end()) {
      ctx.error(tp.span, fmt::format("unknown package alias `{}`", name.substr(0, dot)));
      return nullptr;
    }
    package = alias->second;
    name = name.substr(dot + 1);
  }
  const PackageInfo& pkg = ctx.packages.at(package);
  auto it = pkg.params.find(name);
  if (it != pkg.params.end()) return &it->second;
  std::vector<std::string> names;
  for (const auto& [n, info] : pkg.params) names.push_back(n);
  ctx.error(tp.span, fmt::format("unknown param `{}`{}", tp.name, did_you_mean_hint(name, names)));
  return nullptr;
}

void check_expectation(Context& ctx, const ast::Expectation& x) {
  auto policy = ctx.policies.find(x.policy);
  if (policy == ctx.policies.end()) {
    ctx.error(x.span, fmt::format("unknown policy `{}`{}", x.policy,
                                  did_you_mean_hint(x.policy, ctx.policy_ids)));
    return;
  }
  if (!has_rule_of_kind(*policy->second, x.kind)) {
    std::string kind(rule_kind_name(x.kind));
    ctx.error(x.span,
              fmt::format("policy `{}` has no `{}` rule, so this expectation can never "
                          "hold",
                          x.policy, kind),
              {make_note(policy->second->id_span, "the policy is declared here")});
  }
  if (x.count && *x.count < 0) ctx.error(x.span, "an expected count cannot be negative");
  if (x.line && *x.line < 1) ctx.error(x.span, "an expected line number starts at 1");
}

void check_test(Context& ctx, size_t module, const ast::Test& t) {
  if (t.inputs.empty()) ctx.error(t.span, fmt::format("test `{}` has no `input`", t.name));
  if (t.expectations.empty()) ctx.error(t.span, fmt::format("test `{}` has no `expect`", t.name));
  std::map<std::string, const ast::TestParam*> overridden;
  for (const ast::TestParam& tp : t.params) {
    auto prev = overridden.find(tp.name);
    if (prev != overridden.end()) {
      ctx.error(tp.span, fmt::format("param `{}` is set twice", tp.name),
                {make_note(prev->second->span, "first set here")});
      continue;
    }
    overridden[tp.name] = &tp;
    const ParamInfo* param = find_param(ctx, module, tp);
    if (!param || !tp.value) continue;
    check_constant(ctx, module, *tp.value, param->type,
                   fmt::format("the value of param `{}`", tp.name));
  }
  for (const ast::Expectation& x : t.expectations) check_expectation(ctx, x);
}

}  // namespace

void check_tests(Context& ctx) {
  std::map<std::string, std::map<std::string, const ast::Test*>> names;  // package -> name
  for (size_t i = 0; i < ctx.modules.size(); ++i) {
    auto& seen = names[ctx.module_package[i]];
    for (const ast::Test& t : ctx.modules[i].tests) {
      auto prev = seen.find(t.name);
      if (prev != seen.end()) {
        ctx.error(t.span, fmt::format("duplicate test name \"{}\"", t.name),
                  {make_note(prev->second->span, "first declared here")});
      } else {
        seen[t.name] = &t;
      }
      check_test(ctx, i, t);
    }
  }
}

}  // namespace capguard::checker
