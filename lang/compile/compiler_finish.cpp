// Passes 3 and 4 of the compiler: compile constant regexes, materialize constants (contracts in
// lang/compile/compiler_passes.hpp).

#include <fmt/format.h>

#include "lang/compile/compiler_passes.hpp"
#include "lang/compile/compiler_types.hpp"

namespace capguard::compiler {

namespace {

void regexes_in(ir::Expr& e, const CompileOptions& options, Diagnostics& diags) {
  for (ir::Expr& a : e.args) regexes_in(a, options, diags);
  if (e.op == ir::Op::Any && options.make_regex_set_cache && ir::regex_set_shape(e)) {
    e.regex_set = options.make_regex_set_cache();
  }
  if (e.op != ir::Op::Call) return;
  int index = options.regex_argument(static_cast<BuiltinId>(e.builtin));
  if (index < 0 || static_cast<size_t>(index) >= e.args.size()) return;
  const ir::Expr& pattern = e.args[static_cast<size_t>(index)];
  if (!pattern.is_const() || !pattern.value.is_string()) return;
  std::string error;
  e.regex = options.compile_regex(pattern.value.as_string(), error);
  if (!e.regex) diags.error(pattern.span, fmt::format("invalid regular expression: {}", error));
}

// The Value of a folded constant of type `type`, or a diagnostic naming `what`.
std::optional<Value> constant_of(const ir::Expr& e, const TypePtr& type, const std::string& what,
                                 Diagnostics& diags) {
  if (!e.is_const()) {
    diags.error(e.span, fmt::format("{} must be a constant expression", what));
    return std::nullopt;
  }
  std::string error;
  std::optional<Value> v = coerce_value(e.value, type ? *type : *any_type(), error);
  if (!v) diags.error(e.span, fmt::format("{}: {}", what, error));
  return v;
}

}  // namespace

void compile_regexes(Unit& unit, const CompileOptions& options, Diagnostics& diags) {
  if (!options.regex_argument || !options.compile_regex) return;
  for_each_root_expr(unit, [&](ir::Expr& e) { regexes_in(e, options, diags); });
}

void materialize_constants(Unit& unit, Diagnostics& diags) {
  ir::Program& program = unit.program;
  for (size_t i = 0; i < program.params.size(); ++i) {
    ir::Param& p = program.params[i];
    std::optional<Value> v =
        constant_of(unit.param_defaults[i], p.type,
                    fmt::format("the default of param `{}`", p.short_name), diags);
    if (v) p.default_value = *v;
  }
  for (size_t t = 0; t < program.tests.size(); ++t) {
    ir::TestCase& test = program.tests[t];
    for (size_t i = 0; i < test.params.size() && i < unit.test_params[t].size(); ++i) {
      ir::TestParam& tp = test.params[i];
      const ir::Param& p = program.params[tp.index];
      std::optional<Value> v =
          constant_of(unit.test_params[t][i], p.type,
                      fmt::format("the value of param `{}`", p.short_name), diags);
      if (v) tp.value = *v;
    }
  }
}

}  // namespace capguard::compiler
