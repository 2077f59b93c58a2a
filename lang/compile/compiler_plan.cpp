// Pass 5 of the compiler: plan the reads of document elements (contract in
// lang/compile/compiler_passes.hpp).

#include <optional>
#include <set>

#include "lang/compile/compiler_passes.hpp"

namespace capguard::compiler {

namespace {

using Path = std::vector<uint32_t>;

// The slot path of a field chain starting at local `slot` (`s.caps.dropped` -> {5, 1}); nullopt
// when `e` is not such a chain or a field on the way has no slot.
std::optional<Path> chain_path(const ir::Expr& e, int32_t slot) {
  if (e.op == ir::Op::Local && e.slot == slot) return Path{};
  if (e.op != ir::Op::Field || e.index < 0 || e.args.empty()) return std::nullopt;
  std::optional<Path> p = chain_path(e.args[0], slot);
  if (p) p->push_back(static_cast<uint32_t>(e.index));
  return p;
}

void collect(const ir::Expr& e, int32_t slot, std::set<Path>& out) {
  if (e.op == ir::Op::Field) {
    if (std::optional<Path> p = chain_path(e, slot)) {
      if (p->size() > 2) p->resize(2);
      out.insert(Path{p->front()});
      out.insert(*p);
    }
  }
  for (const ir::Expr& a : e.args) collect(a, slot, out);
}

void intern_field_keys(ir::Expr& e) {
  if (e.op == ir::Op::Field && e.index >= 0) e.key = intern_key(e.name);
  for (ir::Expr& a : e.args) intern_field_keys(a);
}

// Which keys of a service's `raw` the program can observe (Program::raw_whole, raw_keys). Without
// types at this point, what may hold a service is tracked as a shape (a service, a list of them,
// deeper) from the `services` root through slots, elements, branches, lists and built-ins; a
// service's `raw` is a `raw` field (or a `["raw"]` index, or an index by a key not known) of what
// may be a service. Its keys are known only when it is read right away by a constant key; any
// other use of it (bound, passed, compared, iterated, interpolated, indexed by a computed key),
// iterating what may be a service (its entries hold raw), and any other use of a service value
// than reading its fields, binding, listing it or iterating a list of them (compared, passed to a
// built-in, interpolated, put in a set, a condition) can observe every key: then raw_whole.
class RawUse {
 public:
  explicit RawUse(const ir::Program& program) : program_(program) {}

  void run() {
    for (const ir::Policy& p : program_.policies) {
      // Slots are numbered per policy. A slot's value may come from a slot bound later in the
      // walk: bound to a fixpoint first.
      slots_.assign(p.frame_size, 0);
      do {
        changed_ = false;
        for_each_expr(p, [&](const ir::Expr& e, Use) { bind(e); });
      } while (changed_);
      for_each_expr(p, [&](const ir::Expr& e, Use use) { visit(e, use); });
    }
  }

  bool whole() const { return whole_; }
  std::vector<std::string> keys() const { return {keys_.begin(), keys_.end()}; }

 private:
  // What a value may hold: bits of kService (a service), kList (a list or set of services),
  // kNested (services deeper: lists of lists...). 0: no service.
  using Shape = unsigned;
  static constexpr Shape kService = 1, kList = 2, kNested = 4, kAny = 7;

  // A list of values of shape `m`.
  static Shape lifted(Shape m) {
    return ((m & kService) ? kList : 0) | ((m & (kList | kNested)) ? kNested : 0);
  }
  // The elements of a value of shape `m` (iterating a service itself is flagged by visit()).
  static Shape element(Shape m) {
    return ((m & kList) ? kService : 0) | ((m & kNested) ? (kList | kNested) : 0);
  }

  // How a parent uses the value of `e`: Observed (compared, passed to a built-in, a condition,
  // interpolated...), Passed (bound to a slot, put in a list: a service may be, its raw not),
  // Iterated (a list of services may be, a service or its raw not: its entries hold raw), Located
  // (a rule's `at`: only the value's span is read).
  enum class Use { Observed, Passed, Iterated, Located };

  // Calls f(expr, use) on each root expression of policy `p`, binding the steps' slots.
  template <typename F>
  void for_each_expr(const ir::Policy& p, F&& f) {
    for (const ir::Step& s : p.steps) {
      if (s.kind == ir::StepKind::For) bind_slot(s.slot, element(shape(s.expr)));
      if (s.kind == ir::StepKind::Let) bind_slot(s.slot, shape(s.expr));
      Use use = s.kind == ir::StepKind::Rule  ? Use::Observed
                : s.kind == ir::StepKind::For ? Use::Iterated
                                              : Use::Passed;
      f(s.expr, use);
      if (s.at) f(*s.at, Use::Located);
      if (s.message) {
        for (const ir::TemplatePart& part : s.message->parts) {
          if (part.expr) f(*part.expr, Use::Observed);
        }
      }
    }
  }

  void bind_slot(int32_t slot, Shape m) {
    if (slot < 0 || m == 0) return;
    auto i = static_cast<size_t>(slot);
    if (slots_.size() <= i) slots_.resize(i + 1, 0);
    if ((slots_[i] | m) != slots_[i]) {
      slots_[i] |= m;
      changed_ = true;
    }
  }

  void bind(const ir::Expr& e) {
    switch (e.op) {
      case ir::Op::Let:
        bind_slot(e.slot, shape(e.args[0]));
        break;
      case ir::Op::Any:
      case ir::Op::All:
      case ir::Op::Count:
      case ir::Op::ListComp:
      case ir::Op::SetComp:
        bind_slot(e.slot, element(shape(e.args[0])));
        break;
      default:
        break;
    }
    for (const ir::Expr& a : e.args) bind(a);
  }

  static bool constant_text(const ir::Expr& e) { return e.is_const() && e.value.is_string(); }

  Shape shape(const ir::Expr& e) const {
    switch (e.op) {
      case ir::Op::Root:
        // `services`; any other root (none in `check`) could hold anything.
        return e.name == "services" ? kList : kAny;
      case ir::Op::Local:
        return e.slot >= 0 && static_cast<size_t>(e.slot) < slots_.size()
                   ? slots_[static_cast<size_t>(e.slot)]
                   : 0;
      case ir::Op::Index:
        // An element of a list of services; a field by a constant key is not a service.
        return constant_text(e.args[1]) ? 0 : element(shape(e.args[0]));
      case ir::Op::If:
        return shape(e.args[1]) | shape(e.args[2]);
      case ir::Op::Let:
        return shape(e.args[1]);
      case ir::Op::MakeList:
      case ir::Op::MakeSet: {
        Shape m = 0;
        for (const ir::Expr& a : e.args) m |= shape(a);
        return lifted(m);
      }
      case ir::Op::ListComp:
      case ir::Op::SetComp:
        return lifted(shape(e.args[1]));
      case ir::Op::Add:
      case ir::Op::Union:
      case ir::Op::Intersect:
      case ir::Op::Sub: {
        Shape m = 0;
        for (const ir::Expr& a : e.args) m |= shape(a);
        return m;
      }
      case ir::Op::Call:
        for (const ir::Expr& a : e.args) {
          if (shape(a) != 0) return kAny;  // a built-in may return any part of its arguments
        }
        return 0;
      default:  // a field of a service is not one (its raw is raw_map()), nor a scalar
        return 0;
    }
  }

  // Whether `e` may be a service's raw mapping.
  bool raw_map(const ir::Expr& e) const {
    if (e.op == ir::Op::Field) return e.name == "raw" && (shape(e.args[0]) & kService);
    if (e.op == ir::Op::Index) {
      const ir::Expr& key = e.args[1];
      return (shape(e.args[0]) & kService) &&
             (!key.is_const() || (constant_text(key) && key.value.as_string() == "raw"));
    }
    return false;
  }

  void visit(const ir::Expr& e, Use use) {
    if (raw_map(e) && use != Use::Located) whole_ = true;
    Shape m = shape(e);
    if (m != 0 && use == Use::Observed) whole_ = true;
    if ((m & kService) && use == Use::Iterated) whole_ = true;
    // An item of a list: as observed as the list; bound to a slot when the list is iterated.
    Use item = use == Use::Iterated ? Use::Passed : use;
    switch (e.op) {
      case ir::Op::Field:
        if (raw_map(e.args[0])) {
          keys_.insert(e.name);
          visit_raw_parts(e.args[0]);
        } else {
          visit(e.args[0], Use::Passed);
        }
        return;
      case ir::Op::Index:
        if (raw_map(e.args[0]) && constant_text(e.args[1])) {
          keys_.insert(e.args[1].value.as_string());
          visit_raw_parts(e.args[0]);
        } else {
          // Indexing a service's raw by a computed key may reach any key (raw_map() flags it).
          visit(e.args[0], Use::Passed);
        }
        visit(e.args[1], Use::Observed);
        return;
      case ir::Op::Let:
        visit(e.args[0], Use::Passed);  // the slot is followed where it is used
        visit(e.args[1], use);
        return;
      case ir::Op::If:
        visit(e.args[0], Use::Observed);
        visit(e.args[1], use);
        visit(e.args[2], use);
        return;
      case ir::Op::Add:
        for (const ir::Expr& a : e.args) visit(a, use);  // lists joined: used as the result is
        return;
      case ir::Op::MakeList:
        for (const ir::Expr& a : e.args) visit(a, item);
        return;
      case ir::Op::ListComp:
      case ir::Op::SetComp:
        visit(e.args[0], Use::Iterated);  // the elements are bound to the slot
        // A set's items are compared with each other.
        visit(e.args[1], e.op == ir::Op::SetComp ? Use::Observed : item);
        for (size_t i = 2; i < e.args.size(); ++i) visit(e.args[i], Use::Observed);
        return;
      case ir::Op::Any:
      case ir::Op::All:
      case ir::Op::Count:
        visit(e.args[0], Use::Iterated);
        for (size_t i = 1; i < e.args.size(); ++i) visit(e.args[i], Use::Observed);
        return;
      default:
        // Everything else observes its operands (compared, a built-in's argument, a set's item...).
        for (const ir::Expr& a : e.args) visit(a, Use::Observed);
        return;
    }
  }

  // What a raw-map expression read by a constant key was taken from: visited as usual (the map
  // itself is not observed whole).
  void visit_raw_parts(const ir::Expr& raw) {
    visit(raw.args[0], Use::Passed);
    if (raw.op == ir::Op::Index) visit(raw.args[1], Use::Observed);
  }

  const ir::Program& program_;
  std::vector<Shape> slots_;  // per slot of the policy walked
  bool changed_ = false;
  bool whole_ = false;
  std::set<std::string> keys_;
};

}  // namespace

void plan_raw_keys(ir::Program& program) {
  RawUse use(program);
  use.run();
  program.raw_whole = use.whole();
  program.raw_keys = use.whole() ? std::vector<std::string>{} : use.keys();
}

void plan_reads(Unit& unit) {
  for_each_root_expr(unit, [](ir::Expr& e) { intern_field_keys(e); });
  ir::Program& program = unit.program;
  std::vector<std::set<Path>> paths(program.roots.size());
  for (const ir::Policy& policy : program.policies) {
    for (size_t i = 0; i < policy.steps.size(); ++i) {
      const ir::Step& loop = policy.steps[i];
      if (loop.kind != ir::StepKind::For || loop.expr.op != ir::Op::Root) continue;
      auto root = static_cast<size_t>(loop.expr.index);
      if (root >= paths.size()) continue;
      for (size_t j = i + 1; j < policy.steps.size(); ++j) {
        const ir::Step& step = policy.steps[j];
        collect(step.expr, loop.slot, paths[root]);
        if (step.at) collect(*step.at, loop.slot, paths[root]);
        if (step.message) {
          for (const ir::TemplatePart& part : step.message->parts) {
            if (part.expr) collect(*part.expr, loop.slot, paths[root]);
          }
        }
      }
    }
  }
  program.element_paths.clear();
  program.element_reads.clear();
  for (const std::set<Path>& set : paths) {
    program.element_paths.emplace_back(set.begin(), set.end());
    // The set is sorted: a path's one-slot prefix comes before its two-slot paths.
    std::vector<ir::Program::ElementRead>& reads = program.element_reads.emplace_back();
    for (const Path& path : set) {
      if (reads.empty() || reads.back().slot != path[0]) reads.push_back({path[0], -1});
      if (path.size() > 1 && reads.back().then < 0) {
        reads.back().then = static_cast<int32_t>(path[1]);
      }
    }
  }
  plan_raw_keys(program);
}

}  // namespace capguard::compiler
