#include "lang/compile/compiler.hpp"

#include "lang/compile/compiler_passes.hpp"

namespace capguard {

std::optional<ir::Program> compile(const std::vector<ast::Module>& modules,
                                   const CheckResult& checked, const Schema& schema,
                                   Diagnostics& diags, const CompileOptions& options) {
  Diagnostics local;
  compiler::Unit unit;
  compiler::lower(modules, checked, schema, unit, local);
  if (options.fold_constants) {
    compiler::fold_program(unit, options);
  } else {
    // Param defaults and test values must become Values whatever the option says.
    for (ir::Expr& e : unit.param_defaults) compiler::fold_constants(e, options);
    for (auto& list : unit.test_params) {
      for (ir::Expr& e : list) compiler::fold_constants(e, options);
    }
  }
  compiler::compile_regexes(unit, options, local);
  compiler::materialize_constants(unit, local);
  compiler::plan_reads(unit);
  bool failed = local.has_errors();
  diags.append(local);
  if (failed) return std::nullopt;
  return std::move(unit.program);
}

}  // namespace capguard
