#include "runtime/eval/not_checked.hpp"

#include <algorithm>
#include <set>

namespace capguard {
namespace {

// The fields read off local `slot` in `e`.
void collect(const ir::Expr& e, int32_t slot, PolicyReads& out) {
  if (e.op == ir::Op::Field && !e.args.empty() && e.args[0].op == ir::Op::Local &&
      e.args[0].slot == slot) {
    out.fields.insert(e.name);
    for (size_t i = 1; i < e.args.size(); ++i) collect(e.args[i], slot, out);
    return;
  }
  if (e.op == ir::Op::Local && e.slot == slot) out.whole = true;
  for (const ir::Expr& a : e.args) collect(a, slot, out);
}

// The service's non-empty list of unknown fields, or null.
const Value* unknown_fields(const Value& service) {
  const Value* unknown = service.get("unknown");
  if (unknown == nullptr || !unknown->is_sequence() || unknown->as_list().empty()) return nullptr;
  return unknown;
}

}  // namespace

PolicyReads policy_reads(const ir::Policy& policy, const std::vector<ir::Step>& steps) {
  PolicyReads out;
  if (policy.service_slot < 0) return out;
  for (const ir::Step& step : steps) {
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

bool has_unknown_fields(const Value& document) {
  const Value* services = document.get("services");
  if (services == nullptr || !services->is_sequence()) return false;
  for (const Value& service : services->as_list()) {
    if (unknown_fields(service)) return true;
  }
  return false;
}

std::vector<NotChecked> find_not_checked(const ir::Program& program,
                                         const std::vector<size_t>& order,
                                         const std::vector<PolicyReads>& reads,
                                         const Value& document, const std::string& input) {
  std::vector<NotChecked> out;
  const Value* services = document.get("services");
  if (services == nullptr || !services->is_sequence()) return out;
  for (const Value& service : services->as_list()) {
    const Value* unknown = unknown_fields(service);
    if (unknown == nullptr) continue;
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
