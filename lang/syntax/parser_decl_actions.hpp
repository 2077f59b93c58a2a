#pragma once
// The parser's actions for declarations: package, import, param, fn, policy (metadata and
// clauses) and test. Included at the end of lang/syntax/parser_actions.hpp; each declaration is
// built in ParseState and moved into the Module when its rule completes.

#include "lang/syntax/parser_actions.hpp"

namespace capguard::parser_detail {

// ---- package and import ----
template <>
struct action<g::package_name> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.package = split_dotted(text(in));
    st.package_span = span(in, st);
    st.saw_package = true;
  }
};
template <>
struct action<g::import_path> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.import.path = split_dotted(text(in));
  }
};
template <>
struct action<g::import_alias> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.import.alias = std::string(text(in));
  }
};
template <>
struct action<g::import_decl> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    if (st.import.alias.empty()) st.import.alias = st.import.path.back();
    st.import.span = span(in, st);
    st.module->imports.push_back(std::move(st.import));
  }
};

// ---- param ----
template <>
struct action<g::param_name> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.param.name = std::string(text(in));
  }
};
template <>
struct action<g::param_type> {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    st.param.type = std::move(st.types.back());
    st.types.pop_back();
  }
};
template <>
struct action<g::param_default> {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    st.param.default_value = st.pop().expr;
  }
};
template <>
struct action<g::param_decl> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.param.span = span(in, st);
    st.module->params.push_back(std::move(st.param));
  }
};

// ---- fn ----
template <>
struct action<g::fn_name> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.function.name = std::string(text(in));
  }
};
template <>
struct action<g::fn_param_name> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.function.params.push_back(ast::FnParam{std::string(text(in)), std::nullopt, span(in, st)});
  }
};
template <>
struct action<g::fn_param_type> {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    st.function.params.back().type = std::move(st.types.back());
    st.types.pop_back();
  }
};
template <>
struct action<g::fn_body> {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    st.function.body = st.pop().expr;
  }
};
template <>
struct action<g::fn_decl> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.function.span = span(in, st);
    st.module->functions.push_back(std::move(st.function));
  }
};

// ---- policy: id and metadata ----
template <>
struct action<g::policy_id> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.policy.id = decoded(in, st);
    st.policy.id_span = span(in, st);
  }
};
template <>
struct action<g::meta_key> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.meta_key = name(in, st);
    check_meta_key(st.meta_key);
    st.meta_depth = st.exprs.size();
  }
};
template <>
struct action<g::meta_string> : action<g::string_expr> {};
template <>
struct action<g::meta_list_item> : action<g::string_expr> {};
template <>
struct action<g::meta_word> : action<g::name_expr> {};
template <>
struct action<g::meta_list> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.marks.push_back(Mark{st.meta_depth, false});
    finish_sequence(st, false, begin(in, st), end(in, st));
  }
};
template <>
struct action<g::meta_entry> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.policy.metadata.push_back(ast::MetaEntry{st.meta_key.text, st.pop().expr, span(in, st)});
  }
};

// ---- policy: clauses ----
template <>
struct action<g::for_var> : push_name_action {};
template <>
struct action<g::let_name> : push_name_action {};
template <>
struct action<g::for_clause> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    ExprItem collection = st.pop();
    NameItem var = st.pop_name();
    st.policy.body.push_back(ast::Clause{
        ast::ForClause{var.text, st.span(var.begin, var.end), std::move(collection.expr)},
        span(in, st)});
  }
};
template <>
struct action<g::let_clause> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    ExprItem value = st.pop();
    NameItem var = st.pop_name();
    st.policy.body.push_back(
        ast::Clause{ast::LetClause{var.text, st.span(var.begin, var.end), std::move(value.expr)},
                    span(in, st)});
  }
};
template <>
struct action<g::rule_kind> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.rule = ast::Rule{};
    st.rule.kind = text(in) == "deny" ? RuleKind::Deny : RuleKind::Warn;
  }
};
template <>
struct action<g::rule_condition> {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    st.rule.condition = st.pop().expr;
  }
};
template <>
struct action<g::rule_at> {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    st.rule.at = st.pop().expr;
  }
};
template <>
struct action<g::rule_message> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.rule.message = parse_template(st, text(in), begin(in, st), end(in, st));
  }
};
template <>
struct action<g::rule_clause> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.rule.span = span(in, st);
    st.policy.body.push_back(ast::Clause{std::move(st.rule), span(in, st)});
  }
};
template <>
struct action<g::policy_decl> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.policy.span = span(in, st);
    st.module->policies.push_back(std::move(st.policy));
  }
};

// ---- tests ----
template <>
struct action<g::test_name> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.test.name = decoded(in, st);
  }
};
template <>
struct action<g::test_param_name> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.test.params.push_back(ast::TestParam{std::string(text(in)), nullptr, span(in, st)});
  }
};
template <>
struct action<g::test_param_value> {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    st.test.params.back().value = st.pop().expr;
  }
};
template <>
struct action<g::input_kind> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.input.kind = text(in) == "compose" ? ast::InputKind::Compose : ast::InputKind::Inspect;
  }
};
template <>
struct action<g::input_file> {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    st.input.is_file = true;
  }
};
template <>
struct action<g::input_text> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.input.text = decoded(in, st);
  }
};
template <>
struct action<g::test_input> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.input.span = span(in, st);
    st.test.inputs.push_back(std::move(st.input));
    st.input = ast::TestInput{};
  }
};
template <>
struct action<g::expect_no> {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    st.expectation.negated = true;
  }
};
template <>
struct action<g::expect_kind> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.expectation.kind = text(in) == "deny" ? RuleKind::Deny : RuleKind::Warn;
  }
};
template <>
struct action<g::expect_policy> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.expectation.policy = decoded(in, st);
  }
};
template <>
struct action<g::expect_service> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    set_expect_option(st, "on", begin(in, st));
    st.expectation.service = text(in)[0] == '"' ? decoded(in, st) : std::string(text(in));
  }
};
template <>
struct action<g::expect_count> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    set_expect_option(st, "count", begin(in, st));
    st.expectation.count = parse_count(text(in), begin(in, st));
  }
};
template <>
struct action<g::expect_message> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    set_expect_option(st, "message", begin(in, st));
    st.expectation.message = decoded(in, st);
  }
};
template <>
struct action<g::expect_line> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    set_expect_option(st, "line", begin(in, st));
    st.expectation.line = parse_count(text(in), begin(in, st));
  }
};
template <>
struct action<g::expectation> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.expectation.span = span(in, st);
    st.test.expectations.push_back(std::move(st.expectation));
    st.expectation = ast::Expectation{};
    st.expectation_options.clear();
  }
};
template <>
struct action<g::test_decl> : text_action {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.test.span = span(in, st);
    st.module->tests.push_back(std::move(st.test));
  }
};

}  // namespace capguard::parser_detail
