#include "runtime/eval/not_checked.hpp"

#include <algorithm>
#include <set>

namespace capguard {
namespace {

struct Reads {
  std::set<std::string> fields;
  bool whole = false;
};

// The fields read off local `slot` in `e`.
void collect(const ir::Expr& e, int32_t slot, Reads& out) {
  if (e.op == ir::Op::Field && !e.args.empty() && e.args[0].op == ir::Op::Local &&
      e.args[0].slot == slot) {
    out.fields.insert(e.name);
    for (size_t i = 1; i < e.args.size(); ++i) collect(e.args[i], slot, out);
    return;
  }
  if (e.op == ir::Op::Local && e.slot == slot) out.whole = true;
  for (const ir::Expr& a : e.args) collect(a, slot, out);
}

Reads policy_reads(const ir::Program& program, size_t index) {
  Reads out;
  const ir::Policy& policy = program.policies.at(index);
  if (policy.service_slot < 0) return out;
  std::vector<ir::Step> deferred;
  for (const ir::Step& step : ir::steps_of(program, index, deferred)) {
    if (step.kind == ir::StepKind::For && step.slot == policy.service_slot) continue;
    collect(step.expr, policy.service_slot, out);
    if (step.message) {
      for (const ir::TemplatePart& part : step.message->parts) {
        if (part.expr) collect(*part.expr, policy.service_slot, out);
      }
    }
  }
  // Reading `unknown` is how a policy guards itself; it is not a field to check.
  out.fields.erase("unknown");
  return out;
}

}  // namespace

std::vector<NotChecked> find_not_checked(const ir::Program& program,
                                         const std::vector<size_t>* selected, const Value& document,
                                         const std::string& input) {
  std::vector<NotChecked> out;
  const Value* services = document.get("services");
  if (services == nullptr || !services->is_sequence()) return out;
  std::vector<size_t> order;
  if (selected != nullptr) {
    order = *selected;
  } else {
    for (size_t i = 0; i < program.policies.size(); ++i) order.push_back(i);
  }
  std::vector<Reads> reads;  // computed once, when a service has an unknown field
  for (const Value& service : services->as_list()) {
    const Value* unknown = service.get("unknown");
    if (unknown == nullptr || !unknown->is_sequence() || unknown->as_list().empty()) continue;
    if (reads.empty()) {
      for (size_t i : order) reads.push_back(policy_reads(program, i));
    }
    const Value* name = service.get("name");
    for (size_t k = 0; k < order.size(); ++k) {
      NotChecked nc;
      for (const Value& field : unknown->as_list()) {
        if (!field.is_string()) continue;
        if (reads[k].whole || reads[k].fields.count(field.as_string()) != 0) {
          if (nc.fields.empty()) nc.span = field.span();
          nc.fields.push_back(field.as_string());
        }
      }
      if (nc.fields.empty()) continue;
      nc.policy = program.policies.at(order[k]).meta.id;
      nc.input = input;
      nc.service = name != nullptr && name->is_string() ? name->as_string() : "";
      out.push_back(std::move(nc));
    }
  }
  return out;
}

}  // namespace capguard
