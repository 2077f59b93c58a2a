#pragma once
// The formatter's middle step: from a parsed module, its tokens and its comments to one Doc
// (lang/format/format_doc.hpp) in the canonical layout of spec/fmt.md. Internal to
// lang/format*.cpp.
//
// Assumes the module parsed without syntax errors from exactly `source`'s text. Guarantees that
// every comment of the file is in the Doc, in source order, and that every token of the file is
// printed (parentheses as written, strings and numbers verbatim, """ strings re-indented with
// the same value); only whitespace, trailing commas and the spelling of `import ... as` changes.

#include <string>
#include <vector>

#include "lang/core/source.hpp"
#include "lang/format/format_doc.hpp"
#include "lang/format/format_tokens.hpp"
#include "lang/syntax/ast.hpp"

namespace capguard::format_detail {

class Builder {
 public:
  Builder(const ast::Module& module, const Source& source);
  Doc module();

 private:
  // One line-level item of a block (a declaration, a metadata entry, a clause, a test item).
  struct Unit {
    size_t offset = 0;
    bool blank_before = false;  // a blank line before it (and its comments) whatever the source
    const void* node = nullptr;
    Doc (Builder::*build)(const void*) = nullptr;
  };

  // ---- blocks and declarations (format_builder.cpp) ----
  Doc block(const std::vector<Unit>& units, size_t end, bool top);
  Doc braces(std::string head, size_t open_token, const std::vector<Unit>& units);
  Doc package_decl(const void*);
  Doc import_decl(const void*);
  Doc param_decl(const void*);
  Doc fn_decl(const void*);
  Doc policy_decl(const void*);
  Doc meta_entry(const void*);
  Doc clause(const void*);
  Doc rule(const ast::Rule& r);
  Doc test_decl(const void*);
  Doc test_param(const void*);
  Doc test_input(const void*);
  Doc expectation(const void*);

  // ---- comments, positions, strings ----
  // The comments before byte `offset` not yet placed, as docs for inside a line: end-of-line
  // comments as suffixes, own-line ones on lines of their own, then (when `close`) a line break.
  // Null when there are none.
  Doc comments_before(size_t offset, bool close = true);
  bool blank_line_before(size_t offset) const;
  size_t offset_of(const Span& span) const;
  size_t token_at(const Span& span) const;
  Doc string_token(size_t token);

  // ---- expressions (format_expr.cpp) ----
  Doc expr(const ast::Expr& e);
  Doc bare(const ast::Expr& e);
  Doc chain(const ast::Expr& e, bool own_align);
  Doc sequence(std::string open, const std::vector<ast::ExprPtr>& items, std::string close);
  Doc separator(const ast::Expr& next);
  size_t first_token(const ast::Expr& e) const;
  size_t last_token(const ast::Expr& e) const;  // with the parentheses around e
  size_t bare_last_token(const ast::Expr& e) const;
  int paren_layers(const ast::Expr& e) const;
  bool is_grouping_paren(size_t token) const;

  const ast::Module& module_;
  const Source& source_;
  TokenIndex tokens_;
  size_t next_comment_ = 0;
  size_t meta_key_width_ = 0;  // of the policy being built: longest metadata key + 1
};

}  // namespace capguard::format_detail
