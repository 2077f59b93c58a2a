#pragma once
// The parser's actions: each builds one piece of the AST when its grammar rule has matched. An
// action's input is exactly its construct's text (the grammar keeps whitespace outside of rules
// with actions). Expressions go through ParseState::exprs: an action pops its operands and pushes
// its result. No action runs for a rule that can still be backtracked over, because every
// alternative that has actions commits with must<> right after its first token.

#include <string>
#include <string_view>

#include "lang/syntax/grammar.hpp"
#include "lang/syntax/parser_state.hpp"
#include "lang/syntax/parser_strings.hpp"

namespace capguard::parser_detail {

namespace g = grammar;

// Helpers, in lang/syntax/parser_actions.cpp.
void push_number(ParseState& st, std::string_view text, size_t begin, size_t end);
void combine(ParseState& st, ast::BinaryOp op);
void finish_call(ParseState& st, size_t open, size_t end);
void finish_sequence(ParseState& st, bool is_set, size_t begin, size_t end);
void finish_comprehension(ParseState& st);
void finish_quantifier(ParseState& st, std::string_view text, size_t begin, size_t end);
void check_meta_key(const NameItem& key);
void set_expect_option(ParseState& st, const char* option, size_t at);
int64_t parse_count(std::string_view digits, size_t at);
std::vector<std::string> split_dotted(std::string_view text);
// Parses a message template (lang/syntax/parser_template.cpp).
ast::Template parse_template(ParseState& st, std::string_view literal, size_t begin, size_t end);

template <typename Rule>
struct action {};

// Base for actions: the matched text and its source offsets.
struct text_action {
  template <typename Input>
  static std::string_view text(const Input& in) {
    return std::string_view(in.begin(), in.size());
  }
  template <typename Input>
  static size_t begin(const Input& in, const ParseState& st) {
    return st.offset_of(in.begin());
  }
  template <typename Input>
  static size_t end(const Input& in, const ParseState& st) {
    return st.offset_of(in.end());
  }
  template <typename Input>
  static NameItem name(const Input& in, const ParseState& st) {
    return NameItem{std::string(text(in)), begin(in, st), end(in, st)};
  }
  template <typename Input>
  static Span span(const Input& in, const ParseState& st) {
    return st.span(begin(in, st), end(in, st));
  }
  template <typename Input>
  static std::string decoded(const Input& in, const ParseState& st) {
    return decode_string(text(in), begin(in, st)).text;
  }
};

// ---- literals and names ----
template <>
struct action<g::number_literal> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    push_number(st, text(in), begin(in, st), end(in, st));
  }
};
template <>
struct action<g::string_expr> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    size_t b = begin(in, st), e = end(in, st);
    st.push(b, e, ast::Literal{Value::string(decoded(in, st), st.span(b, e))});
  }
};
template <typename Rule>
struct constant_action : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    size_t b = begin(in, st), e = end(in, st);
    Span s = st.span(b, e);
    Value v = Rule::value(s);
    st.push(b, e, ast::Literal{v});
  }
};
struct true_value {
  static Value value(Span s) { return Value::boolean(true, s); }
};
struct false_value {
  static Value value(Span s) { return Value::boolean(false, s); }
};
struct null_value {
  static Value value(Span s) { return Value::null(s); }
};
template <>
struct action<g::true_literal> : constant_action<true_value> {};
template <>
struct action<g::false_literal> : constant_action<false_value> {};
template <>
struct action<g::null_literal> : constant_action<null_value> {};
template <>
struct action<g::name_expr> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.push(begin(in, st), end(in, st), ast::Name{std::string(text(in))});
  }
};

// ---- operators ----
template <ast::BinaryOp Op>
struct binary_action {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    combine(st, Op);
  }
};
template <>
struct action<g::or_tail> : binary_action<ast::BinaryOp::Or> {};
template <>
struct action<g::and_tail> : binary_action<ast::BinaryOp::And> {};
template <>
struct action<g::union_tail> : binary_action<ast::BinaryOp::Union> {};
template <>
struct action<g::intersect_tail> : binary_action<ast::BinaryOp::Intersect> {};
template <>
struct action<g::additive_tail> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    combine(st, text(in)[0] == '+' ? ast::BinaryOp::Add : ast::BinaryOp::Sub);
  }
};
template <>
struct action<g::multiplicative_tail> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    char c = text(in)[0];
    combine(st, c == '*' ? ast::BinaryOp::Mul : c == '/' ? ast::BinaryOp::Div : ast::BinaryOp::Mod);
  }
};
template <>
struct action<g::comparison_tail> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    std::string_view t = text(in);
    using Op = ast::BinaryOp;
    Op op = t.substr(0, 2) == "=="   ? Op::Eq
            : t.substr(0, 2) == "!=" ? Op::Ne
            : t.substr(0, 2) == "<=" ? Op::Le
            : t.substr(0, 2) == ">=" ? Op::Ge
            : t[0] == '<'            ? Op::Lt
            : t[0] == '>'            ? Op::Gt
            : t.substr(0, 2) == "in" ? Op::In
                                     : Op::NotIn;
    combine(st, op);
  }
};
template <ast::UnaryOp Op>
struct unary_action : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    ExprItem operand = st.pop();
    st.push(begin(in, st), operand.end, ast::Unary{Op, std::move(operand.expr)});
  }
};
template <>
struct action<g::negation> : unary_action<ast::UnaryOp::Not> {};
template <>
struct action<g::negative> : unary_action<ast::UnaryOp::Neg> {};
template <>
struct action<g::conditional> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    ExprItem no = st.pop(), yes = st.pop(), cond = st.pop();
    st.push(begin(in, st), no.end,
            ast::Conditional{std::move(cond.expr), std::move(yes.expr), std::move(no.expr)});
  }
};

// ---- postfix ----
inline bool is_postfix(const ast::Expr& e) {
  return std::holds_alternative<ast::Field>(e.node) || std::holds_alternative<ast::Index>(e.node);
}
template <>
struct action<g::field_name> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.names.push_back(name(in, st));
  }
};
template <bool Optional>
struct field_action {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    NameItem field = st.pop_name();
    ExprItem object = st.pop();
    if (is_postfix(*object.expr)) st.count_chain_link(field.begin);
    st.push(
        object.begin, field.end,
        ast::Field{std::move(object.expr), field.text, Optional, st.span(field.begin, field.end)});
  }
};
template <>
struct action<g::field_access> : field_action<false> {};
template <>
struct action<g::optional_field_access> : field_action<true> {};
template <bool Optional>
struct index_action : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    ExprItem index = st.pop();
    ExprItem object = st.pop();
    if (is_postfix(*object.expr)) st.count_chain_link(index.begin);
    st.push(object.begin, end(in, st),
            ast::Index{std::move(object.expr), std::move(index.expr), Optional});
  }
};
template <>
struct action<g::index_access> : index_action<false> {};
template <>
struct action<g::optional_index_access> : index_action<true> {};
template <>
struct action<g::call_open> {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    st.marks.push_back(Mark{st.exprs.size(), false});
  }
};
template <>
struct action<g::call_args> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    finish_call(st, begin(in, st), end(in, st));
  }
};

// ---- lists, sets, comprehensions, quantifiers ----
struct open_action {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    st.marks.push_back(Mark{st.exprs.size(), false});
  }
};
template <>
struct action<g::list_open> : open_action {};
template <>
struct action<g::set_open> : open_action {};
template <>
struct action<g::quantifier_open> : open_action {};
template <>
struct action<g::list_expr> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    finish_sequence(st, false, begin(in, st), end(in, st));
  }
};
template <>
struct action<g::set_expr> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    finish_sequence(st, true, begin(in, st), end(in, st));
  }
};
struct push_name_action : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.names.push_back(name(in, st));
  }
};
template <>
struct action<g::comp_var> : push_name_action {};
template <>
struct action<g::quantifier_var> : push_name_action {};
template <>
struct action<g::comprehension_tail> {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    finish_comprehension(st);
  }
};
struct quantifier_action : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    finish_quantifier(st, text(in), begin(in, st), end(in, st));
  }
};
template <>
struct action<g::any_all> : quantifier_action {};
template <>
struct action<g::count_of> : quantifier_action {};

// ---- types ----
template <>
struct action<g::type_name> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.types.push_back(ast::TypeRef{std::string(text(in)), {}, span(in, st)});
  }
};
template <>
struct action<g::type_args_open> {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    st.type_marks.push_back(st.types.size());
  }
};
template <>
struct action<g::type_args> {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    size_t mark = st.type_marks.back();
    st.type_marks.pop_back();
    std::vector<ast::TypeRef> args(std::make_move_iterator(st.types.begin() + mark),
                                   std::make_move_iterator(st.types.end()));
    st.types.resize(mark);
    st.types.back().args = std::move(args);
  }
};

}  // namespace capguard::parser_detail

#include "lang/syntax/parser_decl_actions.hpp"
