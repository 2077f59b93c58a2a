#pragma once
// A readable, deterministic dump of the AST, for `capguard parse` and golden tests. S-expression
// style, one node per line, children indented by two spaces, each node with `@LINE:COL`:
//
//   (policy "CG-CAP-001" @7:1
//     (meta severity @9:3
//       (name high @9:15))
//     (for s @12:3
//       (name services @12:12))
//     (deny @13:3
//       (when
//         (not @13:13
//           (call empty @13:17
//             (name extra @13:23))))))

#include <string>

#include "lang/syntax/ast.hpp"

namespace capguard {

std::string dump_ast(const ast::Module& module);
std::string dump_expr(const ast::Expr& expr);

}  // namespace capguard
