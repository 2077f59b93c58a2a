// Pass 1 of the compiler, declarations: params, policies (metadata and steps) and tests
// (contract in lang/compile/compiler_passes.hpp).

#include <fmt/format.h>

#include "lang/compile/compiler_lower.hpp"
#include "lang/compile/compiler_types.hpp"

namespace capguard::compiler {

void Lowerer::run() {
  for (module_ = 0; module_ < modules_.size(); ++module_) lower_params();
  for (module_ = 0; module_ < modules_.size(); ++module_) {
    for (const ast::Policy& p : modules_[module_].policies) lower_policy(p);
  }
  for (module_ = 0; module_ < modules_.size(); ++module_) {
    for (const ast::Test& t : modules_[module_].tests) lower_test(t);
  }
}

void Lowerer::reset_frame() {
  scope_.clear();
  scope_floor_ = 0;
  next_slot_ = 0;
}

void Lowerer::lower_params() {
  for (const ast::Param& p : modules_[module_].params) {
    ir::Param out;
    out.name = qualify(packages_[module_], p.name);
    out.short_name = p.name;
    out.type = resolve_type(p.type, schema_);
    out.span = p.span;
    param_indices_[out.name] = unit_.program.params.size();
    unit_.program.params.push_back(std::move(out));
    reset_frame();
    unit_.param_defaults.push_back(p.default_value ? lower(*p.default_value)
                                                   : constant(Value(), p.span));
  }
}

PolicyMetadata Lowerer::metadata(const ast::Policy& p) {
  PolicyMetadata meta;
  meta.id = p.id;
  meta.span = p.id_span;
  auto text = [](const ast::MetaEntry& m) -> std::string {
    if (const auto* lit = std::get_if<ast::Literal>(&m.value->node)) {
      if (lit->value.is_string()) return lit->value.as_string();
    }
    if (const auto* name = std::get_if<ast::Name>(&m.value->node)) return name->name;
    return "";
  };
  auto strings = [](const ast::MetaEntry& m) {
    std::vector<std::string> out;
    if (const auto* list = std::get_if<ast::ListLiteral>(&m.value->node)) {
      for (const ast::ExprPtr& item : list->items) {
        const auto* lit = std::get_if<ast::Literal>(&item->node);
        if (lit && lit->value.is_string()) out.push_back(lit->value.as_string());
      }
    }
    return out;
  };
  for (const ast::MetaEntry& m : p.metadata) {
    if (m.key == "title") meta.title = text(m);
    if (m.key == "description") meta.description = text(m);
    if (m.key == "rationale") meta.rationale = text(m);
    if (m.key == "remediation") meta.remediation = text(m);
    if (m.key == "references") meta.references = strings(m);
    if (m.key == "tags") meta.tags = strings(m);
    if (m.key == "severity") {
      if (auto s = parse_severity(text(m))) meta.severity = *s;
    }
  }
  return meta;
}

void Lowerer::lower_policy(const ast::Policy& p) {
  ir::Policy out;
  out.meta = metadata(p);
  out.package = packages_[module_];
  reset_frame();
  int32_t innermost_for = -1;
  for (const ast::Clause& c : p.body) {
    ir::Step step;
    step.span = c.span;
    if (const auto* f = std::get_if<ast::ForClause>(&c.node)) {
      step.kind = ir::StepKind::For;
      step.expr = lower(*f->collection);
      step.slot = bind(f->var);
      step.name = f->var;
      innermost_for = step.slot;
      if (out.service_slot < 0 && step.expr.op == ir::Op::Root && step.expr.name == "services") {
        out.service_slot = step.slot;
      }
    } else if (const auto* l = std::get_if<ast::LetClause>(&c.node)) {
      step.kind = ir::StepKind::Let;
      step.expr = lower(*l->value);
      step.slot = bind(l->name);
      step.name = l->name;
    } else {
      const auto& r = std::get<ast::Rule>(c.node);
      step.kind = ir::StepKind::Rule;
      step.rule_kind = r.kind;
      step.expr = lower(*r.condition);
      step.default_at_slot = innermost_for;
      if (r.at) step.at = lower(*r.at);
      if (r.message) {
        ir::Template t;
        t.span = r.message->span;
        for (const ast::TemplatePart& part : r.message->parts) {
          ir::TemplatePart tp;
          if (part.expr) {
            tp.expr = lower(*part.expr);
          } else {
            tp.text = part.text;
          }
          t.parts.push_back(std::move(tp));
        }
        step.message = std::move(t);
      }
    }
    out.steps.push_back(std::move(step));
  }
  out.frame_size = next_slot_;
  unit_.program.policies.push_back(std::move(out));
}

// The qualified name of the param a test override names: NAME in the test's package, or
// ALIAS.NAME through an import.
std::string Lowerer::test_param_name(const std::string& name) const {
  size_t dot = name.rfind('.');
  if (dot == std::string::npos) return qualify(packages_[module_], name);
  std::string alias = name.substr(0, dot);
  for (const ast::Import& imp : modules_[module_].imports) {
    std::string a = imp.alias.empty() && !imp.path.empty() ? imp.path.back() : imp.alias;
    if (a == alias) return qualify(join(imp.path), name.substr(dot + 1));
  }
  return name;
}

void Lowerer::lower_test(const ast::Test& t) {
  ir::TestCase out;
  out.name = t.name;
  out.span = t.span;
  out.package = packages_[module_];
  std::vector<ir::Expr> values;
  for (const ast::TestParam& p : t.params) {
    ir::TestParam tp;
    tp.name = test_param_name(p.name);
    int32_t index = param_index(tp.name);
    if (index < 0) {
      diags_.error(p.span, fmt::format("unknown param `{}`", p.name));
      continue;
    }
    tp.index = static_cast<size_t>(index);
    tp.span = p.span;
    out.params.push_back(std::move(tp));
    reset_frame();
    values.push_back(lower(*p.value));
  }
  std::string folder = source_name(modules_[module_].file);
  size_t slash = folder.rfind('/');
  folder = slash == std::string::npos ? "" : folder.substr(0, slash + 1);
  for (const ast::TestInput& in : t.inputs) {
    ir::TestInput ti;
    ti.kind = in.kind == ast::InputKind::Compose   ? ir::InputKind::Compose
              : in.kind == ast::InputKind::Inspect ? ir::InputKind::Inspect
                                                   : ir::InputKind::Auto;
    ti.text = in.text;
    ti.is_file = in.is_file;
    if (in.is_file) ti.path = !in.text.empty() && in.text[0] == '/' ? in.text : folder + in.text;
    ti.span = in.span;
    out.inputs.push_back(std::move(ti));
  }
  out.expectations = t.expectations;
  unit_.program.tests.push_back(std::move(out));
  unit_.test_params.push_back(std::move(values));
}

void lower(const std::vector<ast::Module>& modules, const CheckResult& checked,
           const Schema& schema, Unit& unit, Diagnostics& diags) {
  Lowerer(modules, checked, schema, unit, diags).run();
}

}  // namespace capguard::compiler
