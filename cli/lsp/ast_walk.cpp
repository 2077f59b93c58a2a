#include "cli/lsp/ast_walk.hpp"

#include <algorithm>

namespace capguard::lsp {
namespace {

void visit_ptr(const ast::ExprPtr& e, const ExprVisitor& visit) {
  if (e) visit_expr(*e, visit);
}

}  // namespace

void visit_expr(const ast::Expr& e, const ExprVisitor& visit) {
  visit(e);
  std::visit(
      [&](const auto& n) {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, ast::Field>) {
          visit_ptr(n.object, visit);
        } else if constexpr (std::is_same_v<T, ast::Index>) {
          visit_ptr(n.object, visit);
          visit_ptr(n.index, visit);
        } else if constexpr (std::is_same_v<T, ast::Unary>) {
          visit_ptr(n.operand, visit);
        } else if constexpr (std::is_same_v<T, ast::Binary>) {
          visit_ptr(n.lhs, visit);
          visit_ptr(n.rhs, visit);
        } else if constexpr (std::is_same_v<T, ast::Conditional>) {
          visit_ptr(n.condition, visit);
          visit_ptr(n.then_branch, visit);
          visit_ptr(n.else_branch, visit);
        } else if constexpr (std::is_same_v<T, ast::ListLiteral> ||
                             std::is_same_v<T, ast::SetLiteral>) {
          for (const auto& item : n.items) visit_ptr(item, visit);
        } else if constexpr (std::is_same_v<T, ast::Call>) {
          for (const auto& arg : n.args) visit_ptr(arg, visit);
        } else if constexpr (std::is_same_v<T, ast::Quantifier>) {
          visit_ptr(n.collection, visit);
          visit_ptr(n.condition, visit);
        } else if constexpr (std::is_same_v<T, ast::Comprehension>) {
          visit_ptr(n.collection, visit);
          visit_ptr(n.element, visit);
          visit_ptr(n.filter, visit);
        }
      },
      e.node);
}

void visit_module(const ast::Module& m, const ExprVisitor& visit) {
  for (const auto& p : m.params) visit_ptr(p.default_value, visit);
  for (const auto& f : m.functions) visit_ptr(f.body, visit);
  for (const auto& p : m.policies) {
    for (const auto& meta : p.metadata) visit_ptr(meta.value, visit);
    for (const auto& c : p.body) {
      if (const auto* f = std::get_if<ast::ForClause>(&c.node)) visit_ptr(f->collection, visit);
      if (const auto* l = std::get_if<ast::LetClause>(&c.node)) visit_ptr(l->value, visit);
      if (const auto* r = std::get_if<ast::Rule>(&c.node)) {
        visit_ptr(r->condition, visit);
        visit_ptr(r->at, visit);
        if (r->message) {
          for (const auto& part : r->message->parts) visit_ptr(part.expr, visit);
        }
      }
    }
  }
  for (const auto& t : m.tests) {
    for (const auto& p : t.params) visit_ptr(p.value, visit);
  }
}

bool span_contains(const Span& s, uint32_t line, uint32_t column) {
  if (!s.known() || s.line != line) return false;
  uint32_t length = std::max<uint32_t>(s.length, 1);
  return column >= s.column && column < s.column + length;
}

}  // namespace capguard::lsp
