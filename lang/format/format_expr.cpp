// Expressions in the canonical layout (spec/fmt.md): one line when they fit; otherwise chains of
// one operator level (`and`, `or`, `+`, ...) and the items of lists, sets and calls fill lines
// greedily, continuation lines aligned with the first operand or item.

#include <string_view>

#include "lang/format/format_builder.hpp"

namespace capguard::format_detail {
namespace {

// Operators of one precedence level chain (spec/language.md section 7).
int level(ast::BinaryOp op) {
  using Op = ast::BinaryOp;
  switch (op) {
    case Op::Or:
      return 2;
    case Op::And:
      return 3;
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge:
    case Op::In:
    case Op::NotIn:
      return 5;
    case Op::Union:
      return 6;
    case Op::Intersect:
      return 7;
    case Op::Add:
    case Op::Sub:
      return 8;
    case Op::Mul:
    case Op::Div:
    case Op::Mod:
      return 9;
  }
  return 0;
}

}  // namespace

size_t Builder::first_token(const ast::Expr& e) const {
  return token_at(e.span);
}

// The last token of `e` itself, without parentheses around it.
size_t Builder::bare_last_token(const ast::Expr& e) const {
  constexpr size_t npos = TokenIndex::npos;
  size_t first = first_token(e);
  if (first == npos) return npos;
  return std::visit(
      [&](const auto& n) -> size_t {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, ast::Literal> || std::is_same_v<T, ast::Name>) {
          return first;
        } else if constexpr (std::is_same_v<T, ast::Field>) {
          return token_at(n.field_span);
        } else if constexpr (std::is_same_v<T, ast::Index>) {
          size_t object = last_token(*n.object);
          return object == npos ? npos : tokens_.match(object + 1);
        } else if constexpr (std::is_same_v<T, ast::Unary>) {
          return last_token(*n.operand);
        } else if constexpr (std::is_same_v<T, ast::Binary>) {
          return last_token(*n.rhs);
        } else if constexpr (std::is_same_v<T, ast::Conditional>) {
          return last_token(*n.else_branch);
        } else if constexpr (std::is_same_v<T, ast::Call>) {
          // The callee is a name or `alias.name` (possibly parenthesized): its first `(` after it
          // opens the arguments.
          for (size_t i = first; i < tokens_.tokens().size(); ++i) {
            if (tokens_.is(i, "(") && !is_grouping_paren(i)) return tokens_.match(i);
          }
          return npos;
        } else if constexpr (std::is_same_v<T, ast::Quantifier>) {
          return tokens_.match(first + 1);
        } else {  // lists, sets, comprehensions
          return tokens_.match(first);
        }
      },
      e.node);
}

size_t Builder::last_token(const ast::Expr& e) const {
  size_t last = bare_last_token(e);
  if (last == TokenIndex::npos) return last;
  return last + static_cast<size_t>(paren_layers(e));
}

// A `(` groups (rather than opening call arguments or a quantifier) when what precedes it cannot
// end an operand: an operator, a keyword, `=`, `,`, an opening bracket, or nothing.
bool Builder::is_grouping_paren(size_t token) const {
  if (!tokens_.is(token, "(")) return false;
  if (token == 0) return true;
  const Token& prev = tokens_.tokens()[token - 1];
  std::string_view p = tokens_.token_text(token - 1);
  switch (prev.kind) {
    case TokenKind::String:
    case TokenKind::Number:
      return false;
    case TokenKind::Punct:
      return p != ")" && p != "]" && p != "}";
    case TokenKind::Word:
      return p == "and" || p == "or" || p == "not" || p == "in" || p == "if" || p == "then" ||
             p == "else" || p == "when" || p == "at" || p == "where";
  }
  return false;
}

// How many pairs of parentheses were written around `e` itself.
int Builder::paren_layers(const ast::Expr& e) const {
  size_t first = first_token(e);
  size_t last = bare_last_token(e);
  if (first == TokenIndex::npos || last == TokenIndex::npos) return 0;
  int layers = 0;
  size_t n = tokens_.tokens().size();
  for (size_t k = 1; k <= first && last + k < n; ++k) {
    size_t open = first - k;
    if (!is_grouping_paren(open) || tokens_.match(open) != last + k) break;
    ++layers;
  }
  return layers;
}

Doc Builder::expr(const ast::Expr& e) {
  size_t first = first_token(e);
  int layers = paren_layers(e);
  size_t start =
      first == TokenIndex::npos ? offset_of(e.span) : tokens_.tokens()[first - layers].begin;
  Doc before = comments_before(start);
  Doc inside = layers > 0 ? comments_before(tokens_.tokens()[first].begin) : nullptr;
  Doc inner = bare(e);
  if (inside) inner = concat({inside, inner});
  // Parentheses as written, one pair however many there were (they are never required
  // elsewhere: the source parsed to this tree).
  if (layers > 0) inner = concat({text("("), align(inner), text(")")});
  return before ? concat({before, inner}) : inner;
}

// Between two operands or items: a possible line break, or the comments written there.
Doc Builder::separator(const ast::Expr& next) {
  size_t first = first_token(next);
  size_t start = first == TokenIndex::npos
                     ? offset_of(next.span)
                     : tokens_.tokens()[first - static_cast<size_t>(paren_layers(next))].begin;
  Doc comments = comments_before(start);
  return comments ? comments : line();
}

// A chain of binary operators of one precedence level, as written left to right:
// `a and b and c`. The first operand, then `op operand` parts, filled greedily.
Doc Builder::chain(const ast::Expr& e, bool own_align) {
  std::vector<const ast::Expr*> operands;
  std::vector<ast::BinaryOp> ops;
  const ast::Expr* cur = &e;
  const auto& top = std::get<ast::Binary>(e.node);
  int lvl = level(top.op);
  for (;;) {
    const auto* b = std::get_if<ast::Binary>(&cur->node);
    if (b == nullptr || level(b->op) != lvl || (cur != &e && paren_layers(*cur) > 0)) break;
    operands.push_back(b->rhs.get());
    ops.push_back(b->op);
    cur = b->lhs.get();
  }
  operands.push_back(cur);
  std::vector<Doc> parts;
  parts.push_back(expr(*operands.back()));
  for (size_t i = ops.size(); i-- > 0;) {
    const ast::Expr& operand = *operands[i];
    parts.push_back(separator(operand));
    parts.push_back(concat({text(std::string(op_text(ops[i])) + " "), expr(operand)}));
  }
  Doc d = fill(std::move(parts));
  return own_align ? align(d) : d;
}

// `open item, item, item close`, items filled greedily and aligned after `open`.
Doc Builder::sequence(std::string open, const std::vector<ast::ExprPtr>& items, std::string close) {
  if (items.empty()) return text(open + close);
  std::vector<Doc> parts;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) parts.push_back(separator(*items[i]));
    Doc item = expr(*items[i]);
    parts.push_back(i + 1 < items.size() ? concat({item, text(",")}) : item);
  }
  return concat({text(std::move(open)), align(fill(std::move(parts))), text(std::move(close))});
}

Doc Builder::bare(const ast::Expr& e) {
  return std::visit(
      [&](const auto& n) -> Doc {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, ast::Literal>) {
          size_t t = first_token(e);
          if (t == TokenIndex::npos) return text(to_json_text(n.value));
          if (tokens_.tokens()[t].kind == TokenKind::String) return string_token(t);
          return text(std::string(tokens_.token_text(t)));
        } else if constexpr (std::is_same_v<T, ast::Name>) {
          return text(n.name);
        } else if constexpr (std::is_same_v<T, ast::Field>) {
          return concat({expr(*n.object), text((n.optional ? "?." : ".") + n.field)});
        } else if constexpr (std::is_same_v<T, ast::Index>) {
          Doc object = expr(*n.object);
          return concat({object, text(n.optional ? "?[" : "["), align(expr(*n.index)), text("]")});
        } else if constexpr (std::is_same_v<T, ast::Unary>) {
          const char* op = n.op == ast::UnaryOp::Not ? "not " : "-";
          return concat({text(op), expr(*n.operand)});
        } else if constexpr (std::is_same_v<T, ast::Binary>) {
          return chain(e, true);
        } else if constexpr (std::is_same_v<T, ast::Conditional>) {
          Doc condition = expr(*n.condition);
          Doc to_then = separator(*n.then_branch);
          Doc then_branch = expr(*n.then_branch);
          Doc to_else = separator(*n.else_branch);
          Doc else_branch = expr(*n.else_branch);
          return align(
              fill({concat({text("if "), condition}), to_then, concat({text("then "), then_branch}),
                    to_else, concat({text("else "), else_branch})}));
        } else if constexpr (std::is_same_v<T, ast::ListLiteral>) {
          return sequence("[", n.items, "]");
        } else if constexpr (std::is_same_v<T, ast::SetLiteral>) {
          return sequence("{", n.items, "}");
        } else if constexpr (std::is_same_v<T, ast::Call>) {
          return sequence(n.callee + "(", n.args, ")");
        } else if constexpr (std::is_same_v<T, ast::Quantifier>) {
          std::vector<Doc> parts{text(n.var + " in "), expr(*n.collection)};
          if (n.condition) {
            // Continuation lines of the condition line up with the variable, after `any(`.
            const ast::Expr& c = *n.condition;
            bool is_chain = std::holds_alternative<ast::Binary>(c.node) && paren_layers(c) == 0;
            Doc before = comments_before(offset_of(c.span));
            parts.push_back(text(" where "));
            if (before) parts.push_back(before);
            parts.push_back(is_chain ? chain(c, false) : expr(c));
          }
          return concat({text(std::string(quantifier_text(n.kind)) + "("),
                         align(concat(std::move(parts))), text(")")});
        } else {  // Comprehension
          Doc element = expr(*n.element);
          Doc collection = expr(*n.collection);
          std::vector<Doc> parts{concat({element, text(" for " + n.var + " in "), collection})};
          if (n.filter) {
            parts.push_back(separator(*n.filter));
            parts.push_back(concat({text("where "), expr(*n.filter)}));
          }
          return concat({text(n.is_set ? "{" : "["), align(fill(std::move(parts))),
                         text(n.is_set ? "}" : "]")});
        }
      },
      e.node);
}

}  // namespace capguard::format_detail
