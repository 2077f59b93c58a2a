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
// types at this point, "may hold a service" is tracked from the `services` root through slots,
// elements, branches and built-ins; a service's `raw` is a `raw` field (or a `["raw"]` index, or
// an index by a key not known) of such a value. Its keys are known only when it is read right
// away by a constant key; any other use of it (bound, passed, compared, iterated, interpolated,
// indexed by a computed key), and any use of a service value other than reading its fields,
// iterating, binding or listing it (compared, passed to a built-in, interpolated, a condition),
// can observe every key: then raw_whole.
class RawUse {
 public:
  explicit RawUse(const ir::Program& program) : program_(program) {}

  void run() {
    for (const ir::Policy& p : program_.policies) {
      // Slots are numbered per policy. A slot's value may come from a slot bound later in the
      // walk: bound to a fixpoint first.
      tainted_.assign(p.frame_size, false);
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
  // How a parent uses the value of `e`: Observed (compared, passed to a built-in, a condition,
  // interpolated...), Passed (bound to a slot, iterated, listed: a service may be, its raw not),
  // Located (a rule's `at`: only the value's span is read).
  enum class Use { Observed, Passed, Located };

  // Calls f(expr, use) on each root expression of policy `p`.
  template <typename F>
  void for_each_expr(const ir::Policy& p, F&& f) {
    for (const ir::Step& s : p.steps) {
      if (s.kind == ir::StepKind::For) bind_slot(s.slot, services(s.expr));
      if (s.kind == ir::StepKind::Let) bind_slot(s.slot, services(s.expr));
      f(s.expr, s.kind == ir::StepKind::Rule ? Use::Observed : Use::Passed);
      if (s.at) f(*s.at, Use::Located);
      if (s.message) {
        for (const ir::TemplatePart& part : s.message->parts) {
          if (part.expr) f(*part.expr, Use::Observed);
        }
      }
    }
  }

  void bind_slot(int32_t slot, bool service) {
    if (slot < 0 || !service) return;
    auto i = static_cast<size_t>(slot);
    if (tainted_.size() <= i) tainted_.resize(i + 1, false);
    if (!tainted_[i]) {
      tainted_[i] = true;
      changed_ = true;
    }
  }

  void bind(const ir::Expr& e) {
    switch (e.op) {
      case ir::Op::Let:
      case ir::Op::Any:
      case ir::Op::All:
      case ir::Op::Count:
      case ir::Op::ListComp:
      case ir::Op::SetComp:
        if (!e.args.empty()) bind_slot(e.slot, services(e.args[0]));
        break;
      default:
        break;
    }
    for (const ir::Expr& a : e.args) bind(a);
  }

  static bool constant_text(const ir::Expr& e) { return e.is_const() && e.value.is_string(); }

  // Whether `e` may be a service or hold one (a list of them...).
  bool services(const ir::Expr& e) const {
    switch (e.op) {
      case ir::Op::Root:
        return true;
      case ir::Op::Local:
        return e.slot >= 0 && static_cast<size_t>(e.slot) < tainted_.size() &&
               tainted_[static_cast<size_t>(e.slot)];
      case ir::Op::Index:
        // An element of a list of services; a service's field by a constant key is not one.
        return services(e.args[0]) && !constant_text(e.args[1]);
      case ir::Op::If:
        return services(e.args[1]) || services(e.args[2]);
      case ir::Op::Let:
        return services(e.args[1]);
      case ir::Op::ListComp:
      case ir::Op::SetComp:
        return services(e.args[1]);
      case ir::Op::MakeList:
      case ir::Op::MakeSet:
      case ir::Op::Call:
      case ir::Op::Add:
      case ir::Op::Union:
      case ir::Op::Intersect:
      case ir::Op::Sub:
        for (const ir::Expr& a : e.args) {
          if (services(a)) return true;
        }
        return false;
      default:  // a field of a service is not one (its raw is raw_map()), nor a scalar
        return false;
    }
  }

  // Whether `e` may be a service's raw mapping.
  bool raw_map(const ir::Expr& e) const {
    if (e.op == ir::Op::Field) return e.name == "raw" && services(e.args[0]);
    if (e.op == ir::Op::Index) {
      const ir::Expr& key = e.args[1];
      return services(e.args[0]) &&
             (!key.is_const() || (constant_text(key) && key.value.as_string() == "raw"));
    }
    return false;
  }

  void visit(const ir::Expr& e, Use use) {
    if (raw_map(e) && use != Use::Located) whole_ = true;
    if (services(e) && use == Use::Observed) whole_ = true;
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
      case ir::Op::MakeList:
      case ir::Op::Add:
        // A list's items are as observed as the list.
        for (const ir::Expr& a : e.args) visit(a, use);
        return;
      case ir::Op::ListComp:
        visit(e.args[0], Use::Passed);  // iterated: the elements are bound to the slot
        visit(e.args[1], use);
        for (size_t i = 2; i < e.args.size(); ++i) visit(e.args[i], Use::Observed);
        return;
      case ir::Op::Any:
      case ir::Op::All:
      case ir::Op::Count:
        visit(e.args[0], Use::Passed);
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
  std::vector<bool> tainted_;
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
