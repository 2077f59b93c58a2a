#pragma once
// Walks over every expression of a module (declarations, metadata, clauses, message templates,
// test params), outermost first, and finds what a position points at.

#include <functional>

#include "lang/syntax/ast.hpp"

namespace capguard::lsp {

using ExprVisitor = std::function<void(const ast::Expr&)>;

void visit_expr(const ast::Expr& e, const ExprVisitor& visit);
void visit_module(const ast::Module& m, const ExprVisitor& visit);

// True when 1-based `line` and byte `column` fall on the span (its first line, its length, at
// least one byte).
bool span_contains(const Span& s, uint32_t line, uint32_t column);

}  // namespace capguard::lsp
