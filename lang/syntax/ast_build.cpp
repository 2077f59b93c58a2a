#include "lang/syntax/ast_build.hpp"

#include <memory>
#include <utility>

namespace capguard::ast {

ExprPtr make_expr(Module& m, Span span, decltype(Expr::node) node) {
  auto e = std::make_unique<Expr>();
  e->id = m.next_id++;
  e->span = span;
  e->node = std::move(node);
  return e;
}

Policy expression_policy(Module& m, const std::string& id, const std::string& title,
                         const std::string& result, ExprPtr expr) {
  Span span = expr->span;
  Policy policy;
  policy.id = id;
  policy.id_span = span;
  policy.span = span;
  policy.metadata.push_back(
      MetaEntry{"title", make_expr(m, span, Literal{Value::string(title)}), span});
  policy.metadata.push_back(MetaEntry{"severity", make_expr(m, span, Name{"info"}), span});
  Clause let;
  let.span = span;
  let.node = LetClause{result, span, std::move(expr)};
  policy.body.push_back(std::move(let));
  Rule rule;
  rule.kind = RuleKind::Deny;
  rule.condition = make_expr(m, span, Literal{Value::boolean(false)});
  rule.span = span;
  Clause rule_clause;
  rule_clause.span = span;
  rule_clause.node = std::move(rule);
  policy.body.push_back(std::move(rule_clause));
  return policy;
}

}  // namespace capguard::ast
