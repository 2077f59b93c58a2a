#pragma once
// Building AST nodes in code rather than by parsing: `capguard eval` and the fuzz harnesses wrap
// one expression in a policy, so the checker and the compiler treat it exactly as they would
// inside a policy written by hand.

#include <string>

#include "lang/syntax/ast.hpp"

namespace capguard::ast {

// A new expression node at `span`, with the next id of `m` (m.next_id is advanced).
ExprPtr make_expr(Module& m, Span span, decltype(Expr::node) node);

// The policy `id` (title `title`, severity info) whose body is
// `let RESULT = EXPR; deny when false`, every node at the expression's span; ids are taken
// from `m`. Evaluating it binds the expression's value to the let `result` and finds nothing.
Policy expression_policy(Module& m, const std::string& id, const std::string& title,
                         const std::string& result, ExprPtr expr);

}  // namespace capguard::ast
