// Pass 1 of the compiler, expressions: checked AST expressions -> IR (contract in
// lang/compile/compiler_passes.hpp).

#include "lang/compile/compiler_lower.hpp"

#include <algorithm>
#include <type_traits>

#include <fmt/format.h>

#include "lang/check/builtins.hpp"

namespace capguard::compiler {

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += '.';
    out += p;
  }
  return out;
}

std::string qualify(const std::string& package, const std::string& name) {
  return package.empty() ? name : package + "." + name;
}

namespace {

ir::Op binary_op(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::Or:
      return ir::Op::Or;
    case ast::BinaryOp::And:
      return ir::Op::And;
    case ast::BinaryOp::Eq:
      return ir::Op::Eq;
    case ast::BinaryOp::Ne:
      return ir::Op::Ne;
    case ast::BinaryOp::Lt:
      return ir::Op::Lt;
    case ast::BinaryOp::Le:
      return ir::Op::Le;
    case ast::BinaryOp::Gt:
      return ir::Op::Gt;
    case ast::BinaryOp::Ge:
      return ir::Op::Ge;
    case ast::BinaryOp::In:
      return ir::Op::In;
    case ast::BinaryOp::NotIn:
      return ir::Op::NotIn;
    case ast::BinaryOp::Union:
      return ir::Op::Union;
    case ast::BinaryOp::Intersect:
      return ir::Op::Intersect;
    case ast::BinaryOp::Add:
      return ir::Op::Add;
    case ast::BinaryOp::Sub:
      return ir::Op::Sub;
    case ast::BinaryOp::Mul:
      return ir::Op::Mul;
    case ast::BinaryOp::Div:
      return ir::Op::Div;
    case ast::BinaryOp::Mod:
      return ir::Op::Mod;
  }
  return ir::Op::Eq;
}

// Inlining depth beyond which a function chain is reported (the checker rejects recursion, so
// only a pathological program reaches it).
constexpr int kMaxInlineDepth = 64;
// IR nodes in a whole program: inlining copies a function body per call, so functions calling
// each other several times could otherwise grow the program exponentially.
constexpr size_t kMaxNodes = 2'000'000;

}  // namespace

Lowerer::Lowerer(const std::vector<ast::Module>& modules, const CheckResult& checked,
                 const Schema& schema, Unit& unit, Diagnostics& diags)
    : modules_(modules), checked_(checked), schema_(schema), unit_(unit), diags_(diags) {
  for (size_t m = 0; m < modules.size(); ++m) {
    packages_.push_back(join(modules[m].package));
    for (const ast::Function& f : modules[m].functions) {
      functions_.emplace(qualify(packages_[m], f.name), std::make_pair(m, &f));
    }
  }
}

int32_t Lowerer::bind(const std::string& name) {
  int32_t slot = static_cast<int32_t>(next_slot_++);
  scope_.emplace_back(name, slot);
  return slot;
}

int32_t Lowerer::root_index(const std::string& name) {
  std::vector<std::string>& roots = unit_.program.roots;
  for (size_t i = 0; i < roots.size(); ++i) {
    if (roots[i] == name) return static_cast<int32_t>(i);
  }
  roots.push_back(name);
  return static_cast<int32_t>(roots.size() - 1);
}

ir::Expr Lowerer::node(ir::Op op, Span span) {
  if (++nodes_ == kMaxNodes) {
    // Inside an inlined body, blame the call in the policy that started the inlining.
    diags_.error(inline_depth_ > 0 ? outer_call_ : span,
                 fmt::format("the policies grow past {} IR nodes once functions are "
                             "inlined; call functions fewer times or split them",
                             kMaxNodes));
  }
  ir::Expr e;
  e.op = op;
  e.span = span;
  return e;
}

ir::Expr Lowerer::constant(Value v, Span span) {
  ir::Expr e = node(ir::Op::Const, span);
  e.value = std::move(v);
  return e;
}

ir::Expr Lowerer::broken(Span span, const std::string& message) {
  diags_.error(span, "internal compiler error: " + message);
  return constant(Value(), span);
}

ir::Expr Lowerer::lower(const ast::Expr& e) {
  return std::visit([&](const auto& n) { return lower_node(e, n); }, e.node);
}

ir::Expr Lowerer::lower_node(const ast::Expr& e, const ast::Literal& n) {
  return constant(n.value, e.span);
}

ir::Expr Lowerer::capability(const std::string& name, Span span) {
  std::optional<int> number = caps::parse(name);
  if (!number) return broken(span, fmt::format("unknown capability `{}`", name));
  return constant(Value::caps(*number < 0 ? caps::kAll : caps::bit(*number), span), span);
}

ir::Expr Lowerer::param_ref(const std::string& qualified, const std::string& shown, Span span) {
  int32_t index = param_index(qualified);
  if (index < 0) return broken(span, fmt::format("unknown param `{}`", qualified));
  ir::Expr p = node(ir::Op::Param, span);
  p.index = index;
  p.name = shown;
  return p;
}

ir::Expr Lowerer::lower_node(const ast::Expr& e, const ast::Name& n) {
  const Resolution* r = resolution_of(e);
  if (!r || r->kind == Resolution::Kind::Local) {
    int32_t slot = find_local(n.name);
    if (slot >= 0) {
      ir::Expr l = node(ir::Op::Local, e.span);
      l.slot = slot;
      l.name = n.name;
      return l;
    }
    if (r) return broken(e.span, fmt::format("no slot for local `{}`", n.name));
  }
  if (r && r->kind == Resolution::Kind::Param) return param_ref(r->qualified, n.name, e.span);
  if (r && r->kind == Resolution::Kind::Capability) return capability(n.name, e.span);
  if ((r && r->kind == Resolution::Kind::Root) || (!r && schema_.roots.count(n.name))) {
    ir::Expr root = node(ir::Op::Root, e.span);
    root.index = root_index(n.name);
    root.name = n.name;
    return root;
  }
  if (!r) {
    std::string qualified = qualify(packages_[module_], n.name);
    if (param_index(qualified) >= 0) return param_ref(qualified, n.name, e.span);
    if (caps::parse(n.name)) return capability(n.name, e.span);
  }
  return broken(e.span, fmt::format("unresolved name `{}`", n.name));
}

ir::Expr Lowerer::lower_node(const ast::Expr& e, const ast::Field& f) {
  // `alias.param` resolves on the field expression itself.
  if (const Resolution* r = resolution_of(e); r && r->kind == Resolution::Kind::Param) {
    return param_ref(r->qualified, r->qualified, e.span);
  }
  ir::Expr out = node(ir::Op::Field, e.span);
  out.name = f.field;
  out.optional = f.optional;
  TypePtr object_type = type_of(*f.object);
  if (object_type && object_type->kind == TypeKind::Object) {
    out.index = object_type->slot_of(f.field);
  }
  out.args.push_back(lower(*f.object));
  return out;
}

ir::Expr Lowerer::lower_node(const ast::Expr& e, const ast::Index& ix) {
  ir::Expr out = node(ir::Op::Index, e.span);
  out.optional = ix.optional;
  out.args.push_back(lower(*ix.object));
  out.args.push_back(lower(*ix.index));
  return out;
}

ir::Expr Lowerer::lower_node(const ast::Expr& e, const ast::Unary& u) {
  ir::Expr out = node(u.op == ast::UnaryOp::Not ? ir::Op::Not : ir::Op::Neg, e.span);
  out.args.push_back(lower(*u.operand));
  return out;
}

ir::Expr Lowerer::lower_node(const ast::Expr& e, const ast::Binary& b) {
  ir::Expr out = node(binary_op(b.op), e.span);
  out.args.push_back(lower(*b.lhs));
  out.args.push_back(lower(*b.rhs));
  return out;
}

ir::Expr Lowerer::lower_node(const ast::Expr& e, const ast::Conditional& c) {
  ir::Expr out = node(ir::Op::If, e.span);
  out.args.push_back(lower(*c.condition));
  out.args.push_back(lower(*c.then_branch));
  out.args.push_back(lower(*c.else_branch));
  return out;
}

ir::Expr Lowerer::items(const ast::Expr& e, const std::vector<ast::ExprPtr>& list, ir::Op op) {
  TypePtr t = type_of(e);
  ir::Expr out = node(t && t->kind == TypeKind::Caps ? ir::Op::MakeCaps : op, e.span);
  for (const ast::ExprPtr& item : list) out.args.push_back(lower(*item));
  return out;
}

ir::Expr Lowerer::lower_node(const ast::Expr& e, const ast::ListLiteral& l) {
  return items(e, l.items, ir::Op::MakeList);
}

ir::Expr Lowerer::lower_node(const ast::Expr& e, const ast::SetLiteral& s) {
  return items(e, s.items, ir::Op::MakeSet);
}

ir::Expr Lowerer::lower_node(const ast::Expr& e, const ast::Call& c) {
  const Resolution* r = resolution_of(e);
  if (r && r->kind == Resolution::Kind::Function) return inline_call(e, c, r->qualified);
  const BuiltinSignature* sig = find_builtin(r ? r->qualified : c.callee);
  if (!sig) return broken(e.span, fmt::format("unresolved function `{}`", c.callee));
  ir::Expr out = node(ir::Op::Call, e.span);
  out.builtin = sig->id;
  out.name = std::string(sig->name);
  for (const ast::ExprPtr& a : c.args) out.args.push_back(lower(*a));
  return out;
}

// A user function call becomes Let(p1 = a1, Let(p2 = a2, ... body)): arguments evaluated in the
// caller's scope, the body in the function's own module and a scope holding only its
// parameters, each in a fresh slot (or the caller's slot when the argument is a local, which
// the body cannot reassign: every binder in it takes a fresh slot).
ir::Expr Lowerer::inline_call(const ast::Expr& e, const ast::Call& c,
                              const std::string& qualified) {
  auto it = functions_.find(qualified);
  if (it == functions_.end())
    return broken(e.span, fmt::format("unknown function `{}`", qualified));
  const auto [fn_module, fn] = it->second;
  if (nodes_ >= kMaxNodes) return constant(Value(), e.span);  // already reported
  if (inline_depth_ == 0 && nodes_ + min_nodes(e, 0) >= kMaxNodes) {
    // Lowering it would reach the limit: the same error node() reports, without the work.
    diags_.error(e.span, fmt::format("the policies grow past {} IR nodes once functions are "
                                     "inlined; call functions fewer times or split them",
                                     kMaxNodes));
    nodes_ = kMaxNodes;
    return constant(Value(), e.span);
  }
  if (inline_depth_ >= kMaxInlineDepth) {
    diags_.error(e.span, fmt::format("calls nest deeper than {} functions", kMaxInlineDepth));
    return constant(Value(), e.span);
  }
  std::vector<ir::Expr> args;
  for (const ast::ExprPtr& a : c.args) args.push_back(lower(*a));
  if (inline_depth_ == 0) outer_call_ = e.span;

  size_t saved_module = module_, saved_floor = scope_floor_, saved_size = scope_.size();
  module_ = fn_module;
  scope_floor_ = scope_.size();
  // An argument that is already a local (the common `f(s)`) is aliased, not copied.
  std::vector<int32_t> slots;
  for (size_t i = 0; i < fn->params.size(); ++i) {
    if (i < args.size() && args[i].op == ir::Op::Local) {
      scope_.emplace_back(fn->params[i].name, args[i].slot);
      slots.push_back(-1);
    } else {
      slots.push_back(bind(fn->params[i].name));
    }
  }
  ++inline_depth_;
  ir::Expr body = lower(*fn->body);
  --inline_depth_;
  scope_.resize(saved_size);
  scope_floor_ = saved_floor;
  module_ = saved_module;

  for (size_t i = args.size(); i-- > 0;) {
    if (i >= slots.size() || slots[i] < 0) continue;
    ir::Expr let = node(ir::Op::Let, e.span);
    let.slot = slots[i];
    let.name = fn->params[i].name;
    let.args.push_back(std::move(args[i]));
    let.args.push_back(std::move(body));
    body = std::move(let);
  }
  return body;
}

size_t Lowerer::function_min_nodes(const std::string& qualified, int depth) {
  auto memo = function_min_nodes_.find(qualified);
  if (memo != function_min_nodes_.end()) return memo->second;
  auto it = functions_.find(qualified);
  // Past the inlining depth limit the lowering stops with an error: count nothing.
  if (it == functions_.end() || depth >= kMaxInlineDepth) return 0;
  size_t n = min_nodes(*it->second.second->body, depth + 1);
  function_min_nodes_.emplace(qualified, n);
  return n;
}

size_t Lowerer::min_nodes(const ast::Expr& e, int depth) {
  size_t n = 0;
  auto add = [&](size_t k) { n = std::min(kMaxNodes, n + k); };
  auto sub = [&](const ast::ExprPtr& child) {
    if (child) add(min_nodes(*child, depth));
  };
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, ast::Call>) {
          for (const ast::ExprPtr& a : x.args) sub(a);
          const Resolution* r = resolution_of(e);
          if (r && r->kind == Resolution::Kind::Function) {
            add(function_min_nodes(r->qualified, depth));
          } else {
            add(1);
          }
        } else if constexpr (std::is_same_v<T, ast::Field>) {
          add(1);
          const Resolution* r = resolution_of(e);
          if (!r || r->kind != Resolution::Kind::Param) sub(x.object);
        } else if constexpr (std::is_same_v<T, ast::Index>) {
          add(1);
          sub(x.object);
          sub(x.index);
        } else if constexpr (std::is_same_v<T, ast::Unary>) {
          add(1);
          sub(x.operand);
        } else if constexpr (std::is_same_v<T, ast::Binary>) {
          add(1);
          sub(x.lhs);
          sub(x.rhs);
        } else if constexpr (std::is_same_v<T, ast::Conditional>) {
          add(1);
          sub(x.condition);
          sub(x.then_branch);
          sub(x.else_branch);
        } else if constexpr (std::is_same_v<T, ast::ListLiteral> ||
                             std::is_same_v<T, ast::SetLiteral>) {
          add(1);
          for (const ast::ExprPtr& item : x.items) sub(item);
        } else if constexpr (std::is_same_v<T, ast::Quantifier>) {
          add(1);
          sub(x.collection);
          sub(x.condition);
        } else if constexpr (std::is_same_v<T, ast::Comprehension>) {
          add(1);
          sub(x.collection);
          sub(x.element);
          sub(x.filter);
        } else {
          add(1);  // a literal or a name: one node
        }
      },
      e.node);
  return n;
}

ir::Expr Lowerer::lower_node(const ast::Expr& e, const ast::Quantifier& q) {
  ir::Op op = q.kind == ast::QuantifierKind::Any   ? ir::Op::Any
              : q.kind == ast::QuantifierKind::All ? ir::Op::All
                                                   : ir::Op::Count;
  ir::Expr out = node(op, e.span);
  out.args.push_back(lower(*q.collection));
  size_t mark = scope_.size();
  out.slot = bind(q.var);
  out.name = q.var;
  if (q.condition) out.args.push_back(lower(*q.condition));
  scope_.resize(mark);
  return out;
}

ir::Expr Lowerer::lower_node(const ast::Expr& e, const ast::Comprehension& c) {
  ir::Expr out = node(c.is_set ? ir::Op::SetComp : ir::Op::ListComp, e.span);
  out.args.push_back(lower(*c.collection));
  size_t mark = scope_.size();
  out.slot = bind(c.var);
  out.name = c.var;
  out.args.push_back(lower(*c.element));
  if (c.filter) out.args.push_back(lower(*c.filter));
  scope_.resize(mark);
  return out;
}

}  // namespace capguard::compiler
