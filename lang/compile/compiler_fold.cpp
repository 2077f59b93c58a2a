// Pass 2 of the compiler: constant folding (contract in lang/compile/compiler_passes.hpp).

#include <algorithm>

#include "lang/compile/compiler_passes.hpp"

namespace capguard::compiler {

namespace {

// What a subexpression depends on: the document or params (`external`), or local slots bound
// outside it (`free_slots`). An expression with neither is closed: its value is fixed.
struct Dependencies {
  bool external = false;
  std::vector<int32_t> free_slots;

  bool closed() const { return !external && free_slots.empty(); }
  void add(const Dependencies& d) {
    external = external || d.external;
    for (int32_t s : d.free_slots) {
      if (std::find(free_slots.begin(), free_slots.end(), s) == free_slots.end()) {
        free_slots.push_back(s);
      }
    }
  }
  void unbind(int32_t slot) {
    free_slots.erase(std::remove(free_slots.begin(), free_slots.end(), slot), free_slots.end());
  }
};

bool is_binder(ir::Op op) {
  switch (op) {
    case ir::Op::Let:
    case ir::Op::Any:
    case ir::Op::All:
    case ir::Op::Count:
    case ir::Op::ListComp:
    case ir::Op::SetComp:
      return true;
    default:
      return false;
  }
}

bool all_const(const ir::Expr& e) {
  return std::all_of(e.args.begin(), e.args.end(), [](const ir::Expr& a) { return a.is_const(); });
}

void make_const(ir::Expr& e, Value v) {
  Span span = e.span;
  e = ir::Expr();
  e.op = ir::Op::Const;
  e.span = span;
  // A folded value keeps its own span when it has one (a literal), else the expression's.
  e.value = v.span().known() ? std::move(v) : v.with_span(span);
}

// Literal collections of constants need no evaluator.
bool fold_literal(ir::Expr& e) {
  if (!all_const(e)) return false;
  if (e.op == ir::Op::MakeList || e.op == ir::Op::MakeSet) {
    List items;
    for (const ir::Expr& a : e.args) items.push_back(a.value);
    Value v = e.op == ir::Op::MakeList ? Value::list(std::move(items), e.span)
                                       : Value::set(std::move(items), e.span);
    make_const(e, v);
    return true;
  }
  if (e.op == ir::Op::MakeCaps) {
    caps::Mask m = 0;
    for (const ir::Expr& a : e.args) {
      if (a.value.kind() == Kind::Caps) {
        m |= a.value.as_caps();
        continue;
      }
      if (!a.value.is_string()) return false;
      std::optional<int> n = caps::parse(a.value.as_string());
      if (!n) return false;  // left for run time, which reports the unknown name
      m |= *n < 0 ? caps::kAll : caps::bit(*n);
    }
    make_const(e, Value::caps(m, e.span));
    return true;
  }
  return false;
}

// Reductions that keep the result whatever the other operand holds.
bool fold_control(ir::Expr& e) {
  const ir::Expr& first = e.args.empty() ? e : e.args[0];
  if (!first.is_const() || !first.value.is_bool()) return false;
  bool b = first.value.as_bool();
  if (e.op == ir::Op::If) {
    ir::Expr chosen = std::move(e.args[b ? 1 : 2]);
    e = std::move(chosen);
    return true;
  }
  if ((e.op == ir::Op::And && !b) || (e.op == ir::Op::Or && b)) {
    make_const(e, Value::boolean(b));
    return true;
  }
  return false;
}

Dependencies fold(ir::Expr& e, const CompileOptions& options) {
  Dependencies deps;
  switch (e.op) {
    case ir::Op::Const:
      return deps;
    case ir::Op::Param:
    case ir::Op::Root:
      deps.external = true;
      return deps;
    case ir::Op::Local:
      deps.free_slots.push_back(e.slot);
      return deps;
    default:
      break;
  }
  for (size_t i = 0; i < e.args.size(); ++i) {
    Dependencies d = fold(e.args[i], options);
    // The bound variable is free in every operand but the first (the collection or the value).
    if (is_binder(e.op) && i > 0) d.unbind(e.slot);
    deps.add(d);
  }
  if (fold_literal(e)) return Dependencies();
  if ((e.op == ir::Op::If || e.op == ir::Op::And || e.op == ir::Op::Or) && fold_control(e)) {
    return e.is_const() ? Dependencies() : fold(e, options);
  }
  if (e.op == ir::Op::Call &&
      (!options.is_pure_builtin || !options.is_pure_builtin(static_cast<BuiltinId>(e.builtin)))) {
    deps.external = true;  // an impure call makes everything around it unfoldable too
    return deps;
  }
  if (!deps.closed() || !options.evaluate_constant) return deps;
  Value v;
  if (options.evaluate_constant(e, v)) make_const(e, std::move(v));
  return deps;
}

}  // namespace

void fold_constants(ir::Expr& e, const CompileOptions& options) {
  fold(e, options);
}

void fold_program(Unit& unit, const CompileOptions& options) {
  for_each_root_expr(unit, [&](ir::Expr& e) { fold(e, options); });
}

}  // namespace capguard::compiler
