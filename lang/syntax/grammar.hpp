#pragma once
// The grammar of policy files, in PEGTL 3.x. One rule per line; rule names equal the non-terminals
// of the EBNF in spec/language.md. Whitespace (`ws`: blanks, newlines, `#` comments) is written
// out between tokens, never inside a rule that carries an action, so an action's input is exactly
// the text of its construct. `must<>` marks the points where the parser is committed: failing
// there is a syntax error whose message comes from lang/syntax/parser_errors.hpp.
//
// The parser (lang/syntax/parser.cpp) parses one `declaration` at a time, so that it can resume
// after a syntax error at the next top-level keyword.

#include <tao/pegtl.hpp>

namespace capguard::grammar {

using namespace tao::pegtl;

// ---- lexical ----
struct comment : seq<one<'#'>, until<eolf>> {};
struct blank : sor<ascii::space, comment> {};
struct ws : star<blank> {};
struct ident_first : ranges<'a', 'z', 'A', 'Z', '_'> {};
struct ident_other : ranges<'a', 'z', 'A', 'Z', '0', '9', '_'> {};
struct ident_chars : seq<ident_first, star<ident_other>> {};

template <char... Cs>
struct key : seq<string<Cs...>, not_at<ident_other>> {};

struct kw_package : key<'p', 'a', 'c', 'k', 'a', 'g', 'e'> {};
struct kw_import : key<'i', 'm', 'p', 'o', 'r', 't'> {};
struct kw_as : key<'a', 's'> {};
struct kw_param : key<'p', 'a', 'r', 'a', 'm'> {};
struct kw_fn : key<'f', 'n'> {};
struct kw_policy : key<'p', 'o', 'l', 'i', 'c', 'y'> {};
struct kw_test : key<'t', 'e', 's', 't'> {};
struct kw_for : key<'f', 'o', 'r'> {};
struct kw_let : key<'l', 'e', 't'> {};
struct kw_in : key<'i', 'n'> {};
struct kw_deny : key<'d', 'e', 'n', 'y'> {};
struct kw_warn : key<'w', 'a', 'r', 'n'> {};
struct kw_when : key<'w', 'h', 'e', 'n'> {};
struct kw_at : key<'a', 't'> {};
struct kw_message : key<'m', 'e', 's', 's', 'a', 'g', 'e'> {};
struct kw_if : key<'i', 'f'> {};
struct kw_then : key<'t', 'h', 'e', 'n'> {};
struct kw_else : key<'e', 'l', 's', 'e'> {};
struct kw_not : key<'n', 'o', 't'> {};
struct kw_and : key<'a', 'n', 'd'> {};
struct kw_or : key<'o', 'r'> {};
struct kw_true : key<'t', 'r', 'u', 'e'> {};
struct kw_false : key<'f', 'a', 'l', 's', 'e'> {};
struct kw_null : key<'n', 'u', 'l', 'l'> {};
struct kw_any : key<'a', 'n', 'y'> {};
struct kw_all : key<'a', 'l', 'l'> {};
struct kw_count : key<'c', 'o', 'u', 'n', 't'> {};
struct kw_where : key<'w', 'h', 'e', 'r', 'e'> {};
// Words with a meaning only inside `test` blocks: not reserved.
struct kw_input : key<'i', 'n', 'p', 'u', 't'> {};
struct kw_expect : key<'e', 'x', 'p', 'e', 'c', 't'> {};
struct kw_no : key<'n', 'o'> {};
struct kw_on : key<'o', 'n'> {};
struct kw_line : key<'l', 'i', 'n', 'e'> {};
struct kw_file : key<'f', 'i', 'l', 'e'> {};
struct kw_compose : key<'c', 'o', 'm', 'p', 'o', 's', 'e'> {};
struct kw_inspect : key<'i', 'n', 's', 'p', 'e', 'c', 't'> {};

struct keyword
    : sor<kw_package, kw_import, kw_as, kw_param, kw_fn, kw_policy, kw_test, kw_for, kw_let, kw_in,
          kw_deny, kw_warn, kw_when, kw_at, kw_message, kw_if, kw_then, kw_else, kw_not, kw_and,
          kw_or, kw_true, kw_false, kw_null, kw_any, kw_all, kw_count, kw_where> {};
struct identifier : seq<not_at<keyword>, ident_chars> {};

// ---- literals ----
// A number with an optional unit suffix: `42`, `1.5`, `256Mi`, `1m30s`. The action decides
// between int, float, size and duration, and reports unknown units and overflow.
struct number_literal : seq<plus<digit>, opt<one<'.'>, plus<digit>>, star<ident_other>> {};
struct escape_code
    : sor<one<'"', '\\', 'n', 't', 'r'>, seq<one<'u'>, one<'{'>, plus<xdigit>, one<'}'>>> {};
struct escape : seq<one<'\\'>, must<escape_code>> {};
struct plain_char : sor<escape, not_one<'"', '\\', '\n', '\r'>> {};
struct triple_quote : string<'"', '"', '"'> {};
struct unterminated_string : seq<at<one<'"'>>, raise<unterminated_string>> {};
struct unterminated_triple : seq<at<triple_quote>, raise<unterminated_triple>> {};
struct triple_string : seq<triple_quote, until<triple_quote>> {};
struct plain_string : seq<one<'"'>, star<plain_char>, one<'"'>> {};
struct string_literal : sor<triple_string, unterminated_triple, plain_string, unterminated_string> {
};
struct string_expr : string_literal {};
struct true_literal : kw_true {};
struct false_literal : kw_false {};
struct null_literal : kw_null {};
struct literal : sor<number_literal, string_expr, true_literal, false_literal, null_literal> {};

// ---- expressions (lowest precedence first) ----
struct expression;
struct then_branch : seq<expression> {};
struct else_branch : seq<expression> {};
struct if_condition : seq<expression> {};
struct if_then : kw_then {};
struct if_else : kw_else {};
struct conditional : seq<kw_if, ws, must<if_condition>, ws, must<if_then>, ws, must<then_branch>,
                         ws, must<if_else>, ws, must<else_branch>> {};
struct and_expr;
struct or_operand : seq<and_expr> {};
struct or_tail : seq<kw_or, ws, must<or_operand>> {};
struct or_expr : seq<and_expr, star<ws, or_tail>> {};
struct not_expr;
struct and_operand : seq<not_expr> {};
struct and_tail : seq<kw_and, ws, must<and_operand>> {};
struct and_expr : seq<not_expr, star<ws, and_tail>> {};
struct not_operand : seq<not_expr> {};
struct comparison;
struct negation : seq<kw_not, ws, must<not_operand>> {};
struct not_expr : sor<negation, comparison> {};
struct comp_op : sor<string<'=', '='>, string<'!', '='>, string<'<', '='>, string<'>', '='>,
                     one<'<'>, one<'>'>, kw_in, seq<kw_not, ws, kw_in>> {};
struct union_expr;
struct comparison_operand : seq<union_expr> {};
struct comparison_tail : seq<comp_op, ws, must<comparison_operand>> {};
struct no_chained_comparison : not_at<comp_op> {};
struct comparison : seq<union_expr, opt<ws, comparison_tail, ws, must<no_chained_comparison>>> {};
struct intersect_expr;
struct union_operand : seq<intersect_expr> {};
struct union_tail : seq<one<'|'>, ws, must<union_operand>> {};
struct union_expr : seq<intersect_expr, star<ws, union_tail>> {};
struct additive;
struct intersect_operand : seq<additive> {};
struct intersect_tail : seq<one<'&'>, ws, must<intersect_operand>> {};
struct intersect_expr : seq<additive, star<ws, intersect_tail>> {};
struct multiplicative;
struct additive_operand : seq<multiplicative> {};
struct additive_tail : seq<one<'+', '-'>, ws, must<additive_operand>> {};
struct additive : seq<multiplicative, star<ws, additive_tail>> {};
struct unary;
struct multiplicative_operand : seq<unary> {};
struct multiplicative_tail : seq<one<'*', '/', '%'>, ws, must<multiplicative_operand>> {};
struct multiplicative : seq<unary, star<ws, multiplicative_tail>> {};
struct unary_operand : seq<unary> {};
struct negative : seq<one<'-'>, ws, must<unary_operand>> {};
struct postfix_expr;
struct unary : sor<negative, postfix_expr> {};

// postfix: .field ?.field [index] ?[index] (args)
struct field_name : ident_chars {};
struct field_access : seq<one<'.'>, ws, must<field_name>> {};
struct optional_field_access : seq<string<'?', '.'>, ws, must<field_name>> {};
struct index_expr : seq<expression> {};
struct index_close : one<']'> {};
struct index_access : seq<one<'['>, ws, must<index_expr>, ws, must<index_close>> {};
struct optional_index_access : seq<string<'?', '['>, ws, must<index_expr>, ws, must<index_close>> {
};
struct call_open : one<'('> {};
struct argument : seq<expression> {};
struct call_close : one<')'> {};
struct call_args
    : seq<call_open, ws, opt<argument, star<ws, one<','>, ws, sor<at<one<')'>>, must<argument>>>>,
          ws, must<call_close>> {};
struct postfix_op
    : sor<field_access, optional_field_access, index_access, optional_index_access, call_args> {};
struct primary;
struct postfix_expr : seq<primary, star<ws, postfix_op>> {};

// primaries
struct name_expr : identifier {};
struct paren_inner : seq<expression> {};
struct paren_close : one<')'> {};
struct paren_expr : seq<one<'('>, ws, must<paren_inner>, ws, must<paren_close>> {};
struct comp_var : identifier {};
struct comp_collection : seq<expression> {};
struct comp_filter : seq<expression> {};
struct comp_in : kw_in {};
struct comprehension_tail : seq<kw_for, ws, must<comp_var>, ws, must<comp_in>, ws,
                                must<comp_collection>, opt<ws, kw_where, ws, must<comp_filter>>> {};
struct list_open : one<'['> {};
struct list_item : seq<expression> {};
struct list_close : one<']'> {};
struct list_rest : star<ws, one<','>, ws, sor<at<one<']'>>, must<list_item>>> {};
struct list_expr : seq<list_open, ws, opt<list_item, ws, sor<comprehension_tail, list_rest>>, ws,
                       must<list_close>> {};
struct set_open : one<'{'> {};
struct set_item : seq<expression> {};
struct set_close : one<'}'> {};
struct set_rest : star<ws, one<','>, ws, sor<at<one<'}'>>, must<set_item>>> {};
struct set_expr
    : seq<set_open, ws, opt<set_item, ws, sor<comprehension_tail, set_rest>>, ws, must<set_close>> {
};
struct quantifier_open : one<'('> {};
struct quantifier_var : identifier {};
struct quantifier_collection : seq<expression> {};
struct quantifier_condition : seq<expression> {};
struct quantifier_close : one<')'> {};
struct quantifier_where : seq<kw_where, ws, must<quantifier_condition>> {};
struct quantifier_in : kw_in {};
struct quantifier_head : seq<ws, must<quantifier_open>, ws, must<quantifier_var>, ws,
                             must<quantifier_in>, ws, must<quantifier_collection>, ws> {};
struct any_all : seq<sor<kw_any, kw_all>, quantifier_head, must<quantifier_where>, ws,
                     must<quantifier_close>> {};
struct count_of
    : seq<kw_count, quantifier_head, opt<quantifier_where, ws>, must<quantifier_close>> {};
struct quantifier : sor<any_all, count_of> {};
struct primary : sor<literal, quantifier, list_expr, set_expr, paren_expr, name_expr> {};

struct expression : sor<conditional, or_expr> {};

// ---- types ----
struct type_name : identifier {};
struct type_ref;
struct type_arg : seq<type_ref> {};
struct type_args_open : one<'['> {};
struct type_args_close : one<']'> {};
struct type_args : seq<type_args_open, ws, must<type_arg>, star<ws, one<','>, ws, must<type_arg>>,
                       ws, must<type_args_close>> {};
struct type_ref : seq<type_name, opt<ws, type_args>> {};

// ---- declarations ----
struct dotted_part : identifier {};
struct dotted_name : seq<identifier, star<one<'.'>, must<dotted_part>>> {};
struct package_name : dotted_name {};
struct package_decl : seq<kw_package, ws, must<package_name>> {};
struct import_path : dotted_name {};
struct import_alias : identifier {};
struct import_decl : seq<kw_import, ws, must<import_path>, opt<ws, kw_as, ws, must<import_alias>>> {
};

struct param_name : identifier {};
struct param_colon : one<':'> {};
struct param_type : seq<type_ref> {};
struct param_equals : one<'='> {};
struct param_default : seq<expression> {};
struct param_decl : seq<kw_param, ws, must<param_name>, ws, must<param_colon>, ws, must<param_type>,
                        ws, must<param_equals>, ws, must<param_default>> {};

struct fn_name : identifier {};
struct fn_open : one<'('> {};
struct fn_param_name : identifier {};
struct fn_param_type : seq<type_ref> {};
struct fn_param : seq<fn_param_name, opt<ws, one<':'>, ws, must<fn_param_type>>> {};
struct fn_close : one<')'> {};
struct fn_equals : one<'='> {};
struct fn_body : seq<expression> {};
struct fn_params : opt<fn_param, star<ws, one<','>, ws, must<fn_param>>> {};
struct fn_decl : seq<kw_fn, ws, must<fn_name>, ws, must<fn_open>, ws, fn_params, ws, must<fn_close>,
                     ws, must<fn_equals>, ws, must<fn_body>> {};

// policies
struct policy_id : string_literal {};
struct policy_open : one<'{'> {};
struct meta_key : identifier {};
struct meta_string : string_literal {};
struct meta_list_item : string_literal {};
struct meta_list_close : one<']'> {};
struct meta_list
    : seq<one<'['>, ws,
          opt<meta_list_item, star<ws, one<','>, ws, sor<at<one<']'>>, must<meta_list_item>>>>, ws,
          must<meta_list_close>> {};
struct meta_word : identifier {};
struct meta_value : sor<meta_string, meta_list, meta_word> {};
struct meta_entry : seq<meta_key, ws, must<meta_value>> {};
struct for_var : identifier {};
struct for_collection : seq<expression> {};
struct for_in : kw_in {};
struct for_clause : seq<kw_for, ws, must<for_var>, ws, must<for_in>, ws, must<for_collection>> {};
struct let_name : identifier {};
struct let_equals : one<'='> {};
struct let_value : seq<expression> {};
struct let_clause : seq<kw_let, ws, must<let_name>, ws, must<let_equals>, ws, must<let_value>> {};
struct rule_kind : sor<kw_deny, kw_warn> {};
struct rule_condition : seq<expression> {};
struct rule_at : seq<expression> {};
struct rule_message : string_literal {};
struct rule_when : kw_when {};
struct rule_clause
    : seq<rule_kind, ws, must<rule_when>, ws, must<rule_condition>,
          opt<ws, kw_at, ws, must<rule_at>>, opt<ws, kw_message, ws, must<rule_message>>> {};
struct clause : sor<for_clause, let_clause, rule_clause> {};
struct misplaced_metadata
    : seq<at<meta_key, ws, sor<one<'"', '['>, identifier>>, raise<misplaced_metadata>> {};
struct policy_close : one<'}'> {};
struct policy_decl
    : seq<kw_policy, ws, must<policy_id>, ws, must<policy_open>, ws, star<meta_entry, ws>,
          star<clause, ws>, opt<misplaced_metadata>, must<policy_close>> {};

// tests
struct test_name : string_literal {};
struct test_open : one<'{'> {};
struct test_param_name : identifier {};
struct test_param_equals : one<'='> {};
struct test_param_value : seq<expression> {};
struct test_param : seq<kw_param, ws, must<test_param_name>, ws, must<test_param_equals>, ws,
                        must<test_param_value>> {};
struct input_kind : sor<kw_compose, kw_inspect> {};
struct input_file : kw_file {};
struct input_text : string_literal {};
struct test_input : seq<kw_input, ws, opt<input_kind, ws>, opt<input_file, ws>, must<input_text>> {
};
struct expect_no : kw_no {};
struct expect_kind : sor<kw_deny, kw_warn> {};
struct expect_policy : string_literal {};
// A compose service name may be written bare: letters, digits, `_`, `.` and `-` (`my-web`).
struct service_word : plus<sor<ident_other, one<'.', '-'>>> {};
struct expect_service : sor<string_literal, service_word> {};
struct expect_count : plus<digit> {};
struct expect_message : string_literal {};
struct expect_line : plus<digit> {};
struct expect_option
    : sor<seq<kw_on, ws, must<expect_service>>, seq<kw_count, ws, must<expect_count>>,
          seq<kw_message, ws, must<expect_message>>, seq<kw_line, ws, must<expect_line>>> {};
struct expectation : seq<kw_expect, ws, opt<expect_no, ws>, must<expect_kind>, ws,
                         must<expect_policy>, star<ws, expect_option>> {};
struct test_item : sor<test_param, test_input, expectation> {};
struct test_close : one<'}'> {};
struct test_decl : seq<kw_test, ws, must<test_name>, ws, must<test_open>, ws, star<test_item, ws>,
                       must<test_close>> {};

struct declaration : sor<package_decl, import_decl, param_decl, fn_decl, policy_decl, test_decl> {};
// One declaration, then whatever follows it on the line must be blank.
struct top_declaration : seq<must<declaration>> {};

// A whole policy file: the grammar `analyze` checks. The parser drives `top_declaration` one at a
// time instead, to recover from errors.
struct module_end : eof {};
struct module : seq<ws, star<declaration, ws>, must<module_end>> {};

// `capguard eval`: one expression and nothing else.
struct expression_end : eof {};
struct expression_input : seq<ws, must<expression>, ws, must<expression_end>> {};
// An `{expr}` inside a message template.
struct template_end : eof {};
struct template_expression : seq<ws, must<expression>, ws, must<template_end>> {};

}  // namespace capguard::grammar
