#pragma once
// The message of every syntax error: one entry per rule that a `must<>` (or `raise<>`) in
// lang/syntax/grammar.hpp commits to. The parser's control class refuses to compile a `must<>`
// whose rule has no entry here, so every syntax error says what was expected.

#include "lang/syntax/grammar.hpp"

namespace capguard::parser_detail {

template <typename Rule>
inline constexpr const char* error_message = nullptr;

#define CAPGUARD_SYNTAX_ERROR(rule, text) \
  template <>                             \
  inline constexpr const char* error_message<grammar::rule> = text

// lexical
CAPGUARD_SYNTAX_ERROR(escape_code,
                      "unknown escape sequence: use \\\" \\\\ \\n \\t \\r or \\u{hex}");
CAPGUARD_SYNTAX_ERROR(
    unterminated_string,
    "unterminated string: a \"...\" string ends on the same line (use \"\"\"...\"\"\" "
    "for text over several lines)");
CAPGUARD_SYNTAX_ERROR(unterminated_triple, "unterminated string: no closing `\"\"\"`");

// expressions
CAPGUARD_SYNTAX_ERROR(expression, "expected an expression");
CAPGUARD_SYNTAX_ERROR(expression_end, "unexpected text after the expression");
CAPGUARD_SYNTAX_ERROR(template_end, "expected `}` to close the `{...}` in the message");
CAPGUARD_SYNTAX_ERROR(if_condition, "expected a condition after `if`");
CAPGUARD_SYNTAX_ERROR(if_then, "expected `then` after the condition of `if`");
CAPGUARD_SYNTAX_ERROR(then_branch, "expected an expression after `then`");
CAPGUARD_SYNTAX_ERROR(if_else, "expected `else`: every `if` has an `else` branch");
CAPGUARD_SYNTAX_ERROR(else_branch, "expected an expression after `else`");
CAPGUARD_SYNTAX_ERROR(or_operand, "expected an expression after `or`");
CAPGUARD_SYNTAX_ERROR(and_operand, "expected an expression after `and`");
CAPGUARD_SYNTAX_ERROR(not_operand, "expected an expression after `not`");
CAPGUARD_SYNTAX_ERROR(comparison_operand, "expected an expression after the comparison operator");
CAPGUARD_SYNTAX_ERROR(no_chained_comparison,
                      "comparisons do not chain: combine them with `and`, e.g. `a < b and b < c`");
CAPGUARD_SYNTAX_ERROR(union_operand, "expected an expression after `|`");
CAPGUARD_SYNTAX_ERROR(intersect_operand, "expected an expression after `&`");
CAPGUARD_SYNTAX_ERROR(additive_operand, "expected an expression after the operator");
CAPGUARD_SYNTAX_ERROR(multiplicative_operand, "expected an expression after the operator");
CAPGUARD_SYNTAX_ERROR(unary_operand, "expected an expression after `-`");
CAPGUARD_SYNTAX_ERROR(field_name, "expected a field name after `.`");
CAPGUARD_SYNTAX_ERROR(index_expr, "expected an index expression after `[`");
CAPGUARD_SYNTAX_ERROR(index_close, "expected `]` to close the index");
CAPGUARD_SYNTAX_ERROR(argument, "expected an argument after `,`");
CAPGUARD_SYNTAX_ERROR(call_close, "expected `,` or `)` in the argument list");
CAPGUARD_SYNTAX_ERROR(paren_inner, "expected an expression after `(`");
CAPGUARD_SYNTAX_ERROR(paren_close, "expected `)` to close the parenthesis");
CAPGUARD_SYNTAX_ERROR(comp_var, "expected a variable name after `for` in the comprehension");
CAPGUARD_SYNTAX_ERROR(comp_in, "expected `in` after the comprehension variable");
CAPGUARD_SYNTAX_ERROR(comp_collection, "expected the collection to iterate after `in`");
CAPGUARD_SYNTAX_ERROR(comp_filter, "expected a condition after `where`");
CAPGUARD_SYNTAX_ERROR(list_item, "expected a list item after `,`");
CAPGUARD_SYNTAX_ERROR(list_close, "expected `,`, `for` or `]` in the list");
CAPGUARD_SYNTAX_ERROR(set_item, "expected a set item after `,`");
CAPGUARD_SYNTAX_ERROR(set_close, "expected `,`, `for` or `}` in the set");
CAPGUARD_SYNTAX_ERROR(quantifier_open,
                      "expected `(` after the quantifier, e.g. `any(x in xs where ...)`");
CAPGUARD_SYNTAX_ERROR(quantifier_var, "expected a variable name in the quantifier");
CAPGUARD_SYNTAX_ERROR(quantifier_in, "expected `in` after the quantifier's variable");
CAPGUARD_SYNTAX_ERROR(quantifier_collection, "expected the collection to iterate after `in`");
CAPGUARD_SYNTAX_ERROR(quantifier_where,
                      "expected `where` and a condition: `any` and `all` take (x in xs where ...)");
CAPGUARD_SYNTAX_ERROR(quantifier_condition, "expected a condition after `where`");
CAPGUARD_SYNTAX_ERROR(quantifier_close, "expected `)` to close the quantifier");

// types
CAPGUARD_SYNTAX_ERROR(type_arg, "expected a type inside `[...]`, e.g. `list[string]`");
CAPGUARD_SYNTAX_ERROR(type_args_close, "expected `,` or `]` after the type argument");

// declarations
CAPGUARD_SYNTAX_ERROR(declaration,
                      "expected a declaration: `package`, `import`, `param`, `fn`, `policy` or "
                      "`test`");
CAPGUARD_SYNTAX_ERROR(module_end, "expected a declaration");
CAPGUARD_SYNTAX_ERROR(package_name,
                      "expected a package name after `package`, e.g. `acme.containers`");
CAPGUARD_SYNTAX_ERROR(import_path, "expected a package name after `import`, e.g. `capguard.caps`");
CAPGUARD_SYNTAX_ERROR(dotted_part, "expected a name after `.` in the package name");
CAPGUARD_SYNTAX_ERROR(import_alias, "expected a name after `as`");
CAPGUARD_SYNTAX_ERROR(param_name, "expected a parameter name after `param`");
CAPGUARD_SYNTAX_ERROR(param_colon, "expected `:` and a type after the parameter name");
CAPGUARD_SYNTAX_ERROR(param_type, "expected a type after `:`, e.g. `caps` or `list[string]`");
CAPGUARD_SYNTAX_ERROR(param_equals, "expected `=` and a default value after the parameter type");
CAPGUARD_SYNTAX_ERROR(param_default, "expected a default value after `=`");
CAPGUARD_SYNTAX_ERROR(fn_name, "expected a function name after `fn`");
CAPGUARD_SYNTAX_ERROR(fn_open, "expected `(` after the function name");
CAPGUARD_SYNTAX_ERROR(fn_param, "expected a parameter name after `,`");
CAPGUARD_SYNTAX_ERROR(fn_param_type, "expected a type after `:`");
CAPGUARD_SYNTAX_ERROR(fn_close, "expected `,` or `)` after the function parameter");
CAPGUARD_SYNTAX_ERROR(fn_equals, "expected `=` and the function body after the parameters");
CAPGUARD_SYNTAX_ERROR(fn_body, "expected an expression after `=`");
CAPGUARD_SYNTAX_ERROR(policy_id,
                      "expected the policy id as a string after `policy`, e.g. \"ACME-001\"");
CAPGUARD_SYNTAX_ERROR(policy_open, "expected `{` after the policy id");
CAPGUARD_SYNTAX_ERROR(meta_value,
                      "expected a string, a list of strings or a word after the metadata key");
CAPGUARD_SYNTAX_ERROR(meta_list_item, "expected a string after `,`");
CAPGUARD_SYNTAX_ERROR(meta_list_close, "expected `,` or `]` in the list of strings");
CAPGUARD_SYNTAX_ERROR(misplaced_metadata,
                      "metadata must come before the first `for`, `let`, `deny` or `warn`");
CAPGUARD_SYNTAX_ERROR(for_var, "expected a variable name after `for`");
CAPGUARD_SYNTAX_ERROR(for_in, "expected `in` after the `for` variable");
CAPGUARD_SYNTAX_ERROR(for_collection, "expected an expression after `in`");
CAPGUARD_SYNTAX_ERROR(let_name, "expected a name after `let`");
CAPGUARD_SYNTAX_ERROR(let_equals, "expected `=` after the `let` name");
CAPGUARD_SYNTAX_ERROR(let_value, "expected an expression after `=`");
CAPGUARD_SYNTAX_ERROR(rule_when, "expected `when` and a condition after `deny` or `warn`");
CAPGUARD_SYNTAX_ERROR(rule_condition, "expected an expression after `when`");
CAPGUARD_SYNTAX_ERROR(rule_at, "expected an expression after `at`");
CAPGUARD_SYNTAX_ERROR(rule_message, "expected a string after `message`");
CAPGUARD_SYNTAX_ERROR(policy_close,
                      "expected `for`, `let`, `deny`, `warn` or `}` in the policy body");
CAPGUARD_SYNTAX_ERROR(test_name, "expected the test's name as a string after `test`");
CAPGUARD_SYNTAX_ERROR(test_open, "expected `{` after the test name");
CAPGUARD_SYNTAX_ERROR(test_param_name, "expected a parameter name after `param`");
CAPGUARD_SYNTAX_ERROR(test_param_equals, "expected `=` after the parameter name");
CAPGUARD_SYNTAX_ERROR(test_param_value, "expected a value after `=`");
CAPGUARD_SYNTAX_ERROR(input_text,
                      "expected the input as a string after `input [compose|inspect] [file]`");
CAPGUARD_SYNTAX_ERROR(expect_kind, "expected `deny` or `warn` after `expect`");
CAPGUARD_SYNTAX_ERROR(expect_policy, "expected the policy id as a string");
CAPGUARD_SYNTAX_ERROR(expect_service, "expected a service name after `on`");
CAPGUARD_SYNTAX_ERROR(expect_count, "expected a number after `count`");
CAPGUARD_SYNTAX_ERROR(expect_message, "expected a string after `message`");
CAPGUARD_SYNTAX_ERROR(expect_line, "expected a line number after `line`");
CAPGUARD_SYNTAX_ERROR(test_close, "expected `param`, `input`, `expect` or `}` in the test");

#undef CAPGUARD_SYNTAX_ERROR

// The keywords that may stand where these rules failed: when the offending token is a word close
// to one of them, the error adds "did you mean ...?".
template <typename Rule>
inline constexpr const char* expected_words = nullptr;
template <>
inline constexpr const char* expected_words<grammar::declaration> =
    "package import param fn policy test";
template <>
inline constexpr const char* expected_words<grammar::policy_close> = "for let deny warn";
template <>
inline constexpr const char* expected_words<grammar::test_close> = "param input expect";
template <>
inline constexpr const char* expected_words<grammar::rule_when> = "when";
template <>
inline constexpr const char* expected_words<grammar::expect_kind> = "deny warn";

// Errors about the token at the error position itself, rather than about something missing
// after the previous token: their caret always stays on that token.
template <typename Rule>
inline constexpr bool error_is_about_token = false;
template <>
inline constexpr bool error_is_about_token<grammar::declaration> = true;
template <>
inline constexpr bool error_is_about_token<grammar::module_end> = true;
template <>
inline constexpr bool error_is_about_token<grammar::unterminated_string> = true;
template <>
inline constexpr bool error_is_about_token<grammar::unterminated_triple> = true;
template <>
inline constexpr bool error_is_about_token<grammar::misplaced_metadata> = true;
template <>
inline constexpr bool error_is_about_token<grammar::escape_code> = true;
template <>
inline constexpr bool error_is_about_token<grammar::no_chained_comparison> = true;
template <>
inline constexpr bool error_is_about_token<grammar::policy_close> = true;
template <>
inline constexpr bool error_is_about_token<grammar::test_close> = true;

}  // namespace capguard::parser_detail
