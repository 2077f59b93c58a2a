#pragma once
// The parser of policy files: text to AST (lang/syntax/ast.hpp). The grammar is
// lang/syntax/grammar.hpp; the language is described in spec/language.md.
//
// Syntax errors become diagnostics (`FILE:LINE:COL: error: expected ...`). After one, the parser
// resumes at the next line that starts (in column 1) with a top-level keyword (`package`,
// `import`, `param`, `fn`, `policy`, `test`), so one run reports the errors of several
// declarations. Declarations that parsed are kept in the Module even when others failed.

#include "lang/core/diagnostics.hpp"
#include "lang/syntax/ast.hpp"

namespace capguard {

// Parses a registered source (see add_source) as a policy file.
ast::Module parse_module(FileId file, Diagnostics& diags);

// Parses a registered source whose whole text is one expression (`capguard eval`). Returns null
// after reporting a syntax error. Expression ids are taken from `next_id`.
ast::ExprPtr parse_expression(FileId file, Diagnostics& diags, ast::NodeId& next_id);

}  // namespace capguard
