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

}  // namespace

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
}

}  // namespace capguard::compiler
