#include "lang/check/checker_expr.hpp"

#include <fmt/format.h>

#include "lang/check/builtins.hpp"
#include "lang/check/checker_types.hpp"
#include "lang/core/caps.hpp"

namespace capguard::checker {

namespace {

TypePtr bool_type() {
  return scalar_type(TypeKind::Bool);
}

// UPPER_CASE names that are bound to nothing are capability names (spec/language.md).
bool is_upper_name(const std::string& name) {
  if (name.empty() || name[0] < 'A' || name[0] > 'Z') return false;
  for (char c : name) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

ExprChecker::ExprChecker(Context& ctx, size_t module, std::vector<Diagnostic>& out,
                         std::unordered_map<ast::NodeId, TypePtr>& types, std::string caller)
    : ctx_(ctx), module_(module), out_(out), types_(types), caller_(std::move(caller)) {}

void ExprChecker::error(Span span, std::string message, std::vector<Diagnostic> notes) {
  Diagnostic d;
  d.span = span;
  d.message = std::move(message);
  d.notes = std::move(notes);
  out_.push_back(std::move(d));
}

const Local* ExprChecker::find_local(const std::string& name) const {
  for (auto it = locals_.rbegin(); it != locals_.rend(); ++it) {
    if (it->name == name) return &*it;
  }
  return nullptr;
}

const PackageInfo* ExprChecker::package() const {
  auto it = ctx_.packages.find(ctx_.module_package[module_]);
  return it == ctx_.packages.end() ? nullptr : &it->second;
}

void ExprChecker::resolve(const ast::Expr& e, Resolution r) {
  ctx_.result.modules[module_].names[e.id] = std::move(r);
}

TypePtr ExprChecker::use_param(const ast::Expr& e, const ParamInfo& p, const std::string& written) {
  if (constant_only) {
    error(e.span, fmt::format("only constants are allowed here; `{}` is a param", written));
    return any_type();
  }
  Resolution r;
  r.kind = Resolution::Kind::Param;
  r.qualified = p.qualified;
  resolve(e, r);
  return p.type;
}

std::vector<std::string> ExprChecker::visible_names() const {
  std::vector<std::string> names;
  for (const Local& l : locals_) names.push_back(l.name);
  if (const PackageInfo* p = package()) {
    for (const auto& [name, info] : p->params) names.push_back(name);
  }
  for (const auto& [name, type] : ctx_.schema.roots) names.push_back(name);
  return names;
}

void ExprChecker::bind(const std::string& name, Span span, TypePtr type, const ast::Expr* binder) {
  const PackageInfo* pkg = package();
  if (const Local* prev = find_local(name)) {
    error(span, fmt::format("`{}` is already bound", name),
          {make_note(prev->span, fmt::format("`{}` is bound here", name))});
  } else if (pkg && pkg->params.count(name)) {
    error(span, fmt::format("local variable `{}` shadows the param `{}`", name, name),
          {make_note(pkg->params.at(name).decl->span, "the param is declared here")});
  } else if (pkg && pkg->functions.count(name)) {
    error(span, fmt::format("local variable `{}` shadows the function `{}`", name, name),
          {make_note(pkg->functions.at(name).decl->span, "the function is declared here")});
  } else if (find_builtin(name)) {
    error(span, fmt::format("local variable `{}` shadows the built-in function `{}`", name, name));
  } else if (ctx_.schema.roots.count(name)) {
    error(span, fmt::format("local variable `{}` shadows the document root `{}`", name, name));
  }
  locals_.push_back(Local{name, span, type ? std::move(type) : any_type(), binder});
}

TypePtr ExprChecker::check(const ast::Expr& e) {
  TypePtr t = infer(e);
  if (!t) t = any_type();
  types_[e.id] = t;
  return t;
}

void ExprChecker::check_bool(const ast::Expr& e, const std::string& what) {
  TypePtr t = check(e);
  if (is_any(t) || t->kind == TypeKind::Bool) return;
  error(e.span, fmt::format("{} must be bool, got {}", what, name_of(t)));
}

TypePtr ExprChecker::iterate(const ast::Expr& collection, const TypePtr& type) {
  TypePtr elem = element_type(type);
  if (elem) return elem;
  error(collection.span,
        fmt::format("cannot iterate over {}: expected a list, set, map or caps", name_of(type)));
  return any_type();
}

TypePtr ExprChecker::infer(const ast::Expr& e) {
  return std::visit(
      [&](const auto& node) -> TypePtr {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, ast::Literal>) {
          switch (node.value.kind()) {
            case Kind::Null:
              return scalar_type(TypeKind::Null);
            case Kind::Bool:
              return bool_type();
            case Kind::Int:
              return scalar_type(TypeKind::Int);
            case Kind::Float:
              return scalar_type(TypeKind::Float);
            case Kind::String:
              return scalar_type(TypeKind::String);
            case Kind::Size:
              return scalar_type(TypeKind::Size);
            case Kind::Duration:
              return scalar_type(TypeKind::Duration);
            case Kind::Caps:
              return scalar_type(TypeKind::Caps);
            default:
              return any_type();
          }
        } else if constexpr (std::is_same_v<T, ast::Name>) {
          return check_name(e, node);
        } else if constexpr (std::is_same_v<T, ast::Field>) {
          return check_field(e, node);
        } else if constexpr (std::is_same_v<T, ast::Index>) {
          return check_index(e, node);
        } else if constexpr (std::is_same_v<T, ast::Unary>) {
          return check_unary(e, node);
        } else if constexpr (std::is_same_v<T, ast::Binary>) {
          return check_binary(e, node);
        } else if constexpr (std::is_same_v<T, ast::Conditional>) {
          return check_conditional(e, node);
        } else if constexpr (std::is_same_v<T, ast::ListLiteral>) {
          return check_items(e, node.items, false);
        } else if constexpr (std::is_same_v<T, ast::SetLiteral>) {
          return check_items(e, node.items, true);
        } else if constexpr (std::is_same_v<T, ast::Call>) {
          return check_call(e, node);
        } else if constexpr (std::is_same_v<T, ast::Quantifier>) {
          return check_quantifier(e, node);
        } else {
          return check_comprehension(e, node);
        }
      },
      e.node);
}

TypePtr ExprChecker::check_name(const ast::Expr& e, const ast::Name& n) {
  if (const Local* l = find_local(n.name)) {
    Resolution r;
    r.kind = Resolution::Kind::Local;
    r.qualified = n.name;
    r.binder = l->binder;
    resolve(e, r);
    return l->type;
  }
  const PackageInfo* pkg = package();
  if (pkg) {
    auto it = pkg->params.find(n.name);
    if (it != pkg->params.end()) {
      return use_param(e, it->second, n.name);
    }
  }
  auto root = ctx_.schema.roots.find(n.name);
  if (root != ctx_.schema.roots.end()) {
    if (constant_only) {
      error(e.span, fmt::format("only constants are allowed here; `{}` is the document", n.name));
      return any_type();
    }
    Resolution r;
    r.kind = Resolution::Kind::Root;
    r.qualified = n.name;
    resolve(e, r);
    return root->second;
  }
  if (pkg && pkg->functions.count(n.name)) {
    error(e.span, fmt::format("`{}` is a function; call it as {}(...)", n.name, n.name));
    return any_type();
  }
  if (find_builtin(n.name)) {
    error(e.span, fmt::format("`{}` is a built-in function; call it as {}(...)", n.name, n.name));
    return any_type();
  }
  if (ctx_.imports[module_].count(n.name)) {
    error(e.span, fmt::format("`{}` is a package alias; write {}.NAME", n.name, n.name));
    return any_type();
  }
  if (is_upper_name(n.name)) return check_capability(e, n.name);
  // Any one-letter name is one edit from every other: no suggestion for those.
  std::string hint = n.name.size() > 1 ? did_you_mean_hint(n.name, visible_names()) : "";
  error(e.span, fmt::format("unknown name `{}`{}", n.name, hint));
  return any_type();
}

TypePtr ExprChecker::check_capability(const ast::Expr& e, const std::string& name) {
  capability_names_.insert(e.id);
  std::optional<int> number = caps::parse(name);
  if (!number) {
    std::vector<std::string> candidates = caps::all_names();
    candidates.push_back("ALL");
    error(e.span, fmt::format("unknown capability `{}`{}", name,
                              did_you_mean_hint(caps::canonical_spelling(name), candidates)));
    return scalar_type(TypeKind::Caps);
  }
  Resolution r;
  r.kind = Resolution::Kind::Capability;
  r.qualified = name;
  r.cap = *number;
  resolve(e, r);
  return scalar_type(TypeKind::Caps);
}

TypePtr ExprChecker::check_unary(const ast::Expr& e, const ast::Unary& u) {
  if (u.op == ast::UnaryOp::Not) {
    check_bool(*u.operand, "the operand of `not`");
    return bool_type();
  }
  TypePtr t = check(*u.operand);
  if (is_any(t)) return any_type();
  if (is_numeric(*t) || t->kind == TypeKind::Size || t->kind == TypeKind::Duration) {
    return scalar_type(t->kind);
  }
  error(e.span, fmt::format("unary `-` needs a number, size or duration, got {}", name_of(t)));
  return any_type();
}

TypePtr ExprChecker::check_binary(const ast::Expr& e, const ast::Binary& b) {
  if (b.op == ast::BinaryOp::And || b.op == ast::BinaryOp::Or) {
    std::string what = fmt::format("an operand of `{}`", op_text(b.op));
    check_bool(*b.lhs, what);
    check_bool(*b.rhs, what);
    return bool_type();
  }
  TypePtr lhs = check(*b.lhs);
  TypePtr rhs = check(*b.rhs);
  std::string message;
  TypePtr result = binary_result(b.op, lhs, rhs, message);
  if (!result) {
    error(e.span, message);
    return any_type();
  }
  return result;
}

TypePtr ExprChecker::check_conditional(const ast::Expr& e, const ast::Conditional& c) {
  check_bool(*c.condition, "the condition of `if`");
  TypePtr a = check(*c.then_branch);
  TypePtr b = check(*c.else_branch);
  TypePtr u = unify(a, b);
  if (u) return u;
  error(e.span, fmt::format("the branches of `if` have different types: {} and {}", name_of(a),
                            name_of(b)));
  return any_type();
}

TypePtr ExprChecker::check_items(const ast::Expr& e, const std::vector<ast::ExprPtr>& items,
                                 bool is_set) {
  TypePtr elem;
  bool all_capabilities = !items.empty();
  for (const ast::ExprPtr& item : items) {
    TypePtr t = check(*item);
    if (!capability_names_.count(item->id)) all_capabilities = false;
    if (!elem) {
      elem = t;
      continue;
    }
    TypePtr u = unify(elem, t);
    if (!u) {
      error(item->span, fmt::format("{} item has type {}, but the items before it have type {}",
                                    is_set ? "set" : "list", name_of(t), name_of(elem)));
      u = any_type();
    }
    elem = u;
  }
  if (all_capabilities) return scalar_type(TypeKind::Caps);
  if (!elem) elem = any_type();
  return is_set ? set_of(elem) : list_of(elem);
}

TypePtr ExprChecker::check_quantifier(const ast::Expr& e, const ast::Quantifier& q) {
  TypePtr elem = iterate(*q.collection, check(*q.collection));
  size_t mark = scope_mark();
  bind(q.var, q.var_span, elem, q.collection.get());
  const char* name = q.kind == ast::QuantifierKind::Any   ? "any"
                     : q.kind == ast::QuantifierKind::All ? "all"
                                                          : "count";
  if (q.condition) check_bool(*q.condition, fmt::format("the condition of `{}`", name));
  scope_restore(mark);
  return q.kind == ast::QuantifierKind::Count ? scalar_type(TypeKind::Int) : bool_type();
}

TypePtr ExprChecker::check_comprehension(const ast::Expr& e, const ast::Comprehension& c) {
  TypePtr elem = iterate(*c.collection, check(*c.collection));
  size_t mark = scope_mark();
  bind(c.var, c.var_span, elem, c.collection.get());
  if (c.filter) check_bool(*c.filter, "the `where` condition of a comprehension");
  TypePtr result = check(*c.element);
  scope_restore(mark);
  return c.is_set ? set_of(result) : list_of(result);
}

}  // namespace capguard::checker
