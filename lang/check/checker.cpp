// The checker's entry point: composes the passes described in lang/check/checker_context.hpp.

#include "lang/check/checker.hpp"

#include "lang/check/checker_context.hpp"

namespace capguard {

CheckResult check(const std::vector<ast::Module>& modules, const Schema& schema,
                  Diagnostics& diags) {
  CheckResult result;
  result.modules.resize(modules.size());
  checker::Context ctx(modules, schema, diags, result);
  checker::collect_declarations(ctx);
  checker::check_params(ctx);
  checker::check_functions(ctx);
  checker::check_policies(ctx);
  checker::check_tests(ctx);
  checker::check_recursion(ctx);
  ctx.flush();
  return result;
}

}  // namespace capguard
