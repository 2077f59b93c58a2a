#pragma once
// The state the parser's actions (lang/syntax/parser_actions.hpp) share while they build the AST: a
// stack of finished expressions with their byte ranges, marks for open brackets, and the
// declaration being built. Internal to the parser.

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "lang/core/diagnostics.hpp"
#include "lang/syntax/ast.hpp"

namespace capguard::parser_detail {

// A syntax error at a byte offset of the source. Thrown by the control class and by actions;
// caught by the parser, which turns it into a diagnostic and resumes.
struct SyntaxError {
  size_t offset;
  std::string message;
  // "expected X" after a token that ends its line: the caret goes right after that token rather
  // than at whatever starts a later line (see lang/syntax/parser.cpp).
  bool after_previous_token = false;
  // Space-separated keywords that would fit here, for a "did you mean" (may be null).
  const char* expected_words = nullptr;
};

// A finished expression and the source bytes [begin, end) it covers.
struct ExprItem {
  ast::ExprPtr expr;
  size_t begin = 0;
  size_t end = 0;
};

// A name as written, with its source bytes.
struct NameItem {
  std::string text;
  size_t begin = 0;
  size_t end = 0;
};

// An open bracket: the expression stack's size when it opened; `done` once a comprehension tail
// has replaced the items.
struct Mark {
  size_t depth = 0;
  bool done = false;
};

struct ParseState {
  ParseState(FileId f, ast::NodeId& ids, Diagnostics& d) : file(f), next_id(ids), diags(d) {}

  FileId file;
  ast::NodeId& next_id;
  Diagnostics& diags;

  // Where the text being parsed lives. Normally the source itself (`map` null, byte i of the
  // buffer is source offset base_offset + i). For an `{expr}` in a message, the buffer is the
  // decoded string and `map` gives the source offset of each of its bytes (plus one past the end).
  const char* base = nullptr;
  size_t base_offset = 0;
  const std::vector<uint32_t>* map = nullptr;

  size_t offset_of(const char* p) const {
    size_t i = static_cast<size_t>(p - base);
    if (map == nullptr) return base_offset + i;
    return i < map->size() ? (*map)[i] : (map->empty() ? 0 : map->back());
  }
  Span span(size_t begin, size_t end) const { return span_at(file, begin, end); }

  int depth = 0;  // current nesting, bounded by the control class (lang/syntax/pegtl_adapter.hpp)
  // Links of left-deep chains in this declaration: binary operators whose left operand is itself
  // a binary operation, and field accesses or indexes of a field access or index. A chain such as
  // `a and b and ...` or `s.x.x...` nests without any bracket; bounded here so that later passes,
  // which recurse, cannot run out of stack.
  size_t chained = 0;
  void count_chain_link(size_t offset) {
    constexpr size_t kMaxChained = 4000;
    if (++chained > kMaxChained) {
      throw SyntaxError{offset, "expression too long (more than " + std::to_string(kMaxChained) +
                                    " operators, field accesses or indexes in a row); split it "
                                    "with `let` or `fn`"};
    }
  }
  std::vector<ExprItem> exprs;
  std::vector<Mark> marks;
  std::vector<NameItem> names;
  std::vector<ast::TypeRef> types;
  std::vector<size_t> type_marks;

  // The declaration being built (one per parse; the parser parses one declaration at a time).
  ast::Module* module = nullptr;
  std::vector<std::string> package;
  Span package_span;
  bool saw_package = false;
  ast::Import import;
  ast::Param param;
  ast::Function function;
  ast::Policy policy;
  size_t meta_depth = 0;  // exprs.size() when the current metadata value began
  NameItem meta_key;
  ast::Rule rule;
  size_t rule_begin = 0;
  ast::Test test;
  ast::TestInput input;
  ast::Expectation expectation;
  std::vector<std::string> expectation_options;  // seen in the current expectation

  ast::ExprPtr make(size_t begin, size_t end, decltype(ast::Expr::node) node) {
    auto e = std::make_unique<ast::Expr>();
    e->id = next_id++;
    e->span = span(begin, end);
    e->node = std::move(node);
    return e;
  }
  void push(size_t begin, size_t end, decltype(ast::Expr::node) node) {
    exprs.push_back(ExprItem{make(begin, end, std::move(node)), begin, end});
  }
  ExprItem pop() {
    ExprItem item = std::move(exprs.back());
    exprs.pop_back();
    return item;
  }
  NameItem pop_name() {
    NameItem item = std::move(names.back());
    names.pop_back();
    return item;
  }
};

}  // namespace capguard::parser_detail
