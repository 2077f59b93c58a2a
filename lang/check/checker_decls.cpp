// Package-level declarations: collecting params, functions, policy ids and imports across all
// modules (with duplicates reported at the second place and a note at the first), written types,
// and param defaults.

#include <algorithm>

#include <fmt/format.h>

#include "lang/check/builtins.hpp"
#include "lang/check/checker_context.hpp"
#include "lang/check/checker_expr.hpp"
#include "lang/check/checker_types.hpp"
#include "lang/core/caps.hpp"

namespace capguard::checker {

namespace {

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += ".";
    out += p;
  }
  return out;
}

const std::vector<std::string>& scalar_type_names() {
  static const std::vector<std::string> names = {"bool", "int",      "float", "string",
                                                 "size", "duration", "caps"};
  return names;
}

TypeKind scalar_kind(const std::string& name) {
  if (name == "bool") return TypeKind::Bool;
  if (name == "int") return TypeKind::Int;
  if (name == "float") return TypeKind::Float;
  if (name == "string") return TypeKind::String;
  if (name == "size") return TypeKind::Size;
  if (name == "duration") return TypeKind::Duration;
  return TypeKind::Caps;
}

void collect_module(Context& ctx, size_t index) {
  const ast::Module& m = ctx.modules[index];
  const std::string& package = ctx.module_package[index];
  PackageInfo& pkg = ctx.packages[package];
  for (const ast::Param& p : m.params) {
    auto prev = pkg.params.find(p.name);
    if (prev != pkg.params.end()) {
      ctx.error(p.span, fmt::format("duplicate param `{}`", p.name),
                {make_note(prev->second.decl->span, "first declared here")});
      continue;
    }
    pkg.params[p.name] =
        ParamInfo{&p, index, Context::qualify(package, p.name), resolve_type_ref(ctx, p.type)};
  }
  for (const ast::Function& f : m.functions) {
    auto prev = pkg.functions.find(f.name);
    if (prev != pkg.functions.end()) {
      ctx.error(f.span, fmt::format("duplicate function `{}`", f.name),
                {make_note(prev->second.decl->span, "first declared here")});
      continue;
    }
    auto param = pkg.params.find(f.name);
    if (param != pkg.params.end()) {
      ctx.error(f.span, fmt::format("function `{}` has the name of a param", f.name),
                {make_note(param->second.decl->span, "the param is declared here")});
    }
    if (find_builtin(f.name)) {
      ctx.error(f.span, fmt::format("function `{}` has the name of a built-in function", f.name));
    }
    FnInfo info{&f, index, Context::qualify(package, f.name), {}};
    for (const ast::FnParam& fp : f.params) {
      info.declared.push_back(fp.type ? resolve_type_ref(ctx, *fp.type) : nullptr);
    }
    pkg.functions[f.name] = std::move(info);
    ctx.function_order.push_back(Context::qualify(package, f.name));
  }
  for (const ast::Policy& p : m.policies) {
    auto prev = ctx.policies.find(p.id);
    if (prev != ctx.policies.end()) {
      ctx.error(p.id_span, fmt::format("duplicate policy id `{}`", p.id),
                {make_note(prev->second->id_span, "first declared here")});
      continue;
    }
    ctx.policies[p.id] = &p;
    ctx.policy_ids.push_back(p.id);
  }
}

void collect_imports(Context& ctx, size_t index) {
  std::vector<std::string> packages;
  for (const auto& [name, info] : ctx.packages) {
    if (!name.empty()) packages.push_back(name);
  }
  std::map<std::string, const ast::Import*> seen;
  for (const ast::Import& imp : ctx.modules[index].imports) {
    std::string target = join(imp.path);
    auto known = ctx.packages.find(target);
    if (target.empty() || known == ctx.packages.end()) {
      ctx.error(imp.span,
                fmt::format("unknown package `{}`{}", target, did_you_mean_hint(target, packages)));
      continue;
    }
    std::string alias = imp.alias.empty() && !imp.path.empty() ? imp.path.back() : imp.alias;
    auto prev = seen.find(alias);
    if (prev != seen.end()) {
      ctx.error(imp.span, fmt::format("duplicate import alias `{}`", alias),
                {make_note(prev->second->span, "first imported here")});
      continue;
    }
    seen[alias] = &imp;
    ctx.imports[index][alias] = target;
  }
}

// Capability names written as strings in a param default or override (["NET_ADMIN"] for a caps
// param) are checked like the bare names are.
void check_capability_strings(Context& ctx, const ast::Expr& e) {
  const std::vector<ast::ExprPtr>* items = nullptr;
  if (const auto* l = std::get_if<ast::ListLiteral>(&e.node)) items = &l->items;
  if (const auto* s = std::get_if<ast::SetLiteral>(&e.node)) items = &s->items;
  if (!items) return;
  std::vector<std::string> candidates = caps::all_names();
  candidates.push_back("ALL");
  for (const ast::ExprPtr& item : *items) {
    const auto* lit = std::get_if<ast::Literal>(&item->node);
    if (!lit || !lit->value.is_string()) continue;
    const std::string& text = lit->value.as_string();
    if (caps::parse(text)) continue;
    ctx.error(item->span,
              fmt::format("unknown capability `{}`{}", text,
                          did_you_mean_hint(caps::canonical_spelling(text), candidates)));
  }
}

}  // namespace

TypePtr resolve_type_ref(Context& ctx, const ast::TypeRef& ref) {
  const auto& scalars = scalar_type_names();
  bool is_scalar = std::find(scalars.begin(), scalars.end(), ref.name) != scalars.end();
  bool is_container = ref.name == "list" || ref.name == "set" || ref.name == "map";
  auto object = ctx.schema.objects.find(ref.name);
  if (is_container) {
    if (ref.args.size() != 1) {
      ctx.error(ref.span,
                fmt::format("`{}` takes one type argument, e.g. {}[string]", ref.name, ref.name));
      return any_type();
    }
    TypePtr elem = resolve_type_ref(ctx, ref.args[0]);
    if (ref.name == "list") return list_of(elem);
    if (ref.name == "set") return set_of(elem);
    return map_of(elem);
  }
  if (!is_scalar && object == ctx.schema.objects.end()) {
    std::vector<std::string> candidates = scalars;
    for (const char* c : {"list", "set", "map"}) candidates.push_back(c);
    for (const auto& [name, type] : ctx.schema.objects) candidates.push_back(name);
    ctx.error(ref.span, fmt::format("unknown type `{}`{}", ref.name,
                                    did_you_mean_hint(ref.name, candidates)));
    return any_type();
  }
  if (!ref.args.empty()) {
    ctx.error(ref.span, fmt::format("type `{}` takes no type arguments", ref.name));
  }
  return is_scalar ? scalar_type(scalar_kind(ref.name)) : object->second;
}

void collect_declarations(Context& ctx) {
  for (const ast::Module& m : ctx.modules) ctx.module_package.push_back(join(m.package));
  for (size_t i = 0; i < ctx.modules.size(); ++i) collect_module(ctx, i);
  for (size_t i = 0; i < ctx.modules.size(); ++i) collect_imports(ctx, i);
}

// Checks a constant (param default, test override) against a declared type; `what` names it.
void check_constant(Context& ctx, size_t module, const ast::Expr& value, const TypePtr& type,
                    const std::string& what) {
  std::vector<Diagnostic> out;
  ExprChecker ec(ctx, module, out, ctx.result.modules[module].types);
  ec.constant_only = true;
  TypePtr t = ec.check(value);
  for (Diagnostic& d : out) ctx.emit(std::move(d));
  if (!out.empty()) return;
  if (!assignable(*t, *type, false)) {
    std::string hint;
    if (is_numeric(*t) && type->kind == TypeKind::Size) hint = "; write a unit, e.g. 256M";
    if (is_numeric(*t) && type->kind == TypeKind::Duration) hint = "; write a unit, e.g. 30s";
    ctx.error(value.span,
              fmt::format("{} must be {}, got {}{}", what, type_name(*type), type_name(*t), hint));
    return;
  }
  if (type->kind == TypeKind::Caps) check_capability_strings(ctx, value);
}

void check_params(Context& ctx) {
  for (size_t i = 0; i < ctx.modules.size(); ++i) {
    const PackageInfo& pkg = ctx.packages.at(ctx.module_package[i]);
    for (const ast::Param& p : ctx.modules[i].params) {
      auto it = pkg.params.find(p.name);
      if (it == pkg.params.end() || it->second.decl != &p || !p.default_value) continue;
      check_constant(ctx, i, *p.default_value, it->second.type,
                     fmt::format("the default of param `{}`", p.name));
    }
  }
}

}  // namespace capguard::checker
