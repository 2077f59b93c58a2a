// Helpers of the parser's actions (lang/syntax/parser_actions.hpp) that need no PEGTL types.

#include "lang/syntax/parser_actions.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <limits>

#include "lang/core/units.hpp"

namespace capguard::parser_detail {
namespace {

bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::optional<int64_t> parse_int(std::string_view digits) {
  int64_t v = 0;
  for (char c : digits) {
    int d = c - '0';
    if (v > (std::numeric_limits<int64_t>::max() - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

const char* const kUnitHelp =
    "sizes take B, K, M, G, T or P (binary; optionally with i and/or B: 256Mi, 1GiB), durations "
    "ns, us, ms, s, m or h (combinable: 1m30s)";

}  // namespace

void push_number(ParseState& st, std::string_view text, size_t begin, size_t end) {
  Span span = st.span(begin, end);
  size_t digits_end = 0;
  while (digits_end < text.size() && (is_digit(text[digits_end]) || text[digits_end] == '.')) {
    ++digits_end;
  }
  std::string_view number = text.substr(0, digits_end);
  std::string_view suffix = text.substr(digits_end);
  bool is_float = number.find('.') != std::string_view::npos;
  Value value = Value::integer(0, span);
  if (suffix.empty() && !is_float) {
    if (std::optional<int64_t> v = parse_int(number)) {
      value = Value::integer(*v, span);
    } else {
      st.diags.error(span, "integer literal " + std::string(text) +
                               " is too large (the largest int is 9223372036854775807)");
    }
  } else if (suffix.empty()) {
    value = Value::number(std::strtod(std::string(number).c_str(), nullptr), span);
  } else {
    // A suffix in lower case is a duration unit (Go's, case-sensitive: `m` is minutes); one that
    // starts in upper case is a size unit (`M` is mebibytes).
    std::string unit(suffix.substr(0, std::find_if(suffix.begin(), suffix.end(), [](char c) {
                                        return is_digit(c) || c == '.';
                                      }) - suffix.begin()));
    std::string error;
    if (!is_upper(suffix[0]) && units::duration_unit(unit)) {
      if (std::optional<int64_t> ns = units::parse_duration(text, error)) {
        value = Value::duration(*ns, span);
      } else {
        st.diags.error(span, error);
      }
    } else if (is_upper(suffix[0]) && units::size_unit(suffix)) {
      if (std::optional<int64_t> bytes = units::parse_size(text, error)) {
        value = Value::size(*bytes, span);
      } else {
        st.diags.error(span, error);
      }
    } else {
      st.diags.error(span, "unknown unit `" + std::string(suffix) + "` in `" + std::string(text) +
                               "`: " + kUnitHelp);
    }
  }
  st.push(begin, end, ast::Literal{value});
}

void combine(ParseState& st, ast::BinaryOp op) {
  ExprItem rhs = st.pop();
  ExprItem lhs = st.pop();
  if (std::holds_alternative<ast::Binary>(lhs.expr->node)) st.count_chain_link(rhs.begin);
  st.push(lhs.begin, rhs.end, ast::Binary{op, std::move(lhs.expr), std::move(rhs.expr)});
}

void finish_call(ParseState& st, size_t open, size_t end) {
  Mark mark = st.marks.back();
  st.marks.pop_back();
  std::vector<ast::ExprPtr> args;
  for (size_t i = mark.depth; i < st.exprs.size(); ++i) args.push_back(std::move(st.exprs[i].expr));
  st.exprs.resize(mark.depth);
  ExprItem callee = st.pop();
  ast::Call call;
  if (auto* name = std::get_if<ast::Name>(&callee.expr->node)) {
    call.callee = name->name;
    call.callee_span = callee.expr->span;
  } else if (auto* field = std::get_if<ast::Field>(&callee.expr->node);
             field != nullptr && !field->optional &&
             std::holds_alternative<ast::Name>(field->object->node)) {
    call.callee = std::get<ast::Name>(field->object->node).name + "." + field->field;
    call.callee_span = callee.expr->span;
  } else {
    throw SyntaxError{open, "only a function can be called: write `f(...)` or `alias.f(...)`"};
  }
  call.args = std::move(args);
  st.push(callee.begin, end, std::move(call));
}

void finish_sequence(ParseState& st, bool is_set, size_t begin, size_t end) {
  Mark mark = st.marks.back();
  st.marks.pop_back();
  if (mark.done) {  // a comprehension: record its bracket kind, widen its span to the brackets
    ExprItem& item = st.exprs.back();
    std::get<ast::Comprehension>(item.expr->node).is_set = is_set;
    item.begin = begin;
    item.end = end;
    item.expr->span = st.span(begin, end);
    return;
  }
  std::vector<ast::ExprPtr> items;
  for (size_t i = mark.depth; i < st.exprs.size(); ++i)
    items.push_back(std::move(st.exprs[i].expr));
  st.exprs.resize(mark.depth);
  if (is_set) {
    st.push(begin, end, ast::SetLiteral{std::move(items)});
  } else {
    st.push(begin, end, ast::ListLiteral{std::move(items)});
  }
}

void finish_comprehension(ParseState& st) {
  Mark& mark = st.marks.back();
  size_t n = st.exprs.size() - mark.depth;  // element, collection, optional filter
  ast::Comprehension c;
  ExprItem filter;
  if (n == 3) filter = st.pop();
  ExprItem collection = st.pop();
  ExprItem element = st.pop();
  NameItem var = st.pop_name();
  c.element = std::move(element.expr);
  c.var = var.text;
  c.var_span = st.span(var.begin, var.end);
  c.collection = std::move(collection.expr);
  c.filter = std::move(filter.expr);
  size_t end = (n == 3 ? filter.end : collection.end);
  // finish_sequence sets is_set and widens the span to the brackets.
  st.push(element.begin, end, std::move(c));
  mark.done = true;
}

void finish_quantifier(ParseState& st, std::string_view text, size_t begin, size_t end) {
  Mark mark = st.marks.back();
  st.marks.pop_back();
  size_t n = st.exprs.size() - mark.depth;  // collection, optional condition
  ast::Quantifier q;
  q.kind = text.substr(0, 3) == "any"   ? ast::QuantifierKind::Any
           : text.substr(0, 3) == "all" ? ast::QuantifierKind::All
                                        : ast::QuantifierKind::Count;
  ExprItem condition;
  if (n == 2) condition = st.pop();
  ExprItem collection = st.pop();
  NameItem var = st.pop_name();
  q.var = var.text;
  q.var_span = st.span(var.begin, var.end);
  q.collection = std::move(collection.expr);
  q.condition = std::move(condition.expr);
  st.push(begin, end, std::move(q));
}

void check_meta_key(const NameItem& key) {
  static const std::vector<std::string> keys = {
      "title", "severity", "description", "rationale", "remediation", "references", "tags"};
  if (std::find(keys.begin(), keys.end(), key.text) != keys.end()) return;
  std::vector<std::string> candidates = keys;
  for (const char* clause : {"for", "let", "deny", "warn"}) candidates.emplace_back(clause);
  std::string message = "`" + key.text +
                        "` is not a metadata key (title, severity, description, rationale, "
                        "remediation, references, tags) nor a clause (for, let, deny, warn)";
  message += did_you_mean_hint(key.text, candidates);
  throw SyntaxError{key.begin, message};
}

void set_expect_option(ParseState& st, const char* option, size_t at) {
  std::vector<std::string>& seen = st.expectation_options;
  if (std::find(seen.begin(), seen.end(), option) != seen.end()) {
    throw SyntaxError{at, std::string("`") + option + "` appears twice in this expectation"};
  }
  seen.emplace_back(option);
}

int64_t parse_count(std::string_view digits, size_t at) {
  if (std::optional<int64_t> v = parse_int(digits)) return *v;
  throw SyntaxError{at, "number " + std::string(digits) + " is too large"};
}

std::vector<std::string> split_dotted(std::string_view text) {
  std::vector<std::string> parts;
  size_t begin = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '.') {
      parts.emplace_back(text.substr(begin, i - begin));
      begin = i + 1;
    }
  }
  return parts;
}

}  // namespace capguard::parser_detail
