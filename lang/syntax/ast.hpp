#pragma once
// The AST of policy files, built by the parser's actions (lang/syntax/parser.cpp). Every node
// carries the Span of its text. Expressions also carry an id, unique within a Module, that later
// passes (checker, compiler) use to key side tables such as inferred types. runtime/ never includes
// this.
//
// The AST is exactly what was written: names are not resolved, types are not inferred; that is
// the checker's job (lang/check/checker.hpp).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "lang/core/policy_meta.hpp"
#include "lang/core/source.hpp"
#include "lang/core/value.hpp"

namespace capguard::ast {

using NodeId = uint32_t;

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

enum class UnaryOp { Not, Neg };
enum class BinaryOp {
  Or,
  And,  // boolean, short-circuit
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,  // comparison
  In,
  NotIn,  // membership
  Union,
  Intersect,  // |  &   (sets, caps, lists as sets)
  Add,
  Sub,
  Mul,
  Div,
  Mod  // + - * / %  (Sub is also set difference)
};
enum class QuantifierKind { Any, All, Count };

// A literal: null, bool, int, float, string, size or duration. The value's span is the literal's.
struct Literal {
  Value value;
};
// A bare identifier: a variable, a param, a zero-argument reference, `services`, or (when written
// in UPPER_CASE and bound to nothing) a capability name such as NET_ADMIN or CAP_SYS_ADMIN.
struct Name {
  std::string name;
};
// object.field or object?.field
struct Field {
  ExprPtr object;
  std::string field;
  bool optional = false;
  Span field_span;
};
// object[index] or object?[index]
struct Index {
  ExprPtr object;
  ExprPtr index;
  bool optional = false;
};
struct Unary {
  UnaryOp op;
  ExprPtr operand;
};
struct Binary {
  BinaryOp op;
  ExprPtr lhs;
  ExprPtr rhs;
};
// if cond then a else b
struct Conditional {
  ExprPtr condition;
  ExprPtr then_branch;
  ExprPtr else_branch;
};
// [a, b, c]
struct ListLiteral {
  std::vector<ExprPtr> items;
};
// {a, b, c}
struct SetLiteral {
  std::vector<ExprPtr> items;
};
// f(a, b) or alias.f(a, b): `callee` is the name as written, dotted when qualified.
struct Call {
  std::string callee;
  Span callee_span;
  std::vector<ExprPtr> args;
};
// any(x in xs where cond), all(x in xs where cond), count(x in xs where cond).
// `condition` is null for count(x in xs) without `where`.
struct Quantifier {
  QuantifierKind kind;
  std::string var;
  Span var_span;
  ExprPtr collection;
  ExprPtr condition;
};
// [element for x in xs where cond] (list) or {element for x in xs where cond} (set);
// `filter` may be null.
struct Comprehension {
  bool is_set = false;
  ExprPtr element;
  std::string var;
  Span var_span;
  ExprPtr collection;
  ExprPtr filter;
};

struct Expr {
  NodeId id = 0;
  Span span;
  std::variant<Literal, Name, Field, Index, Unary, Binary, Conditional, ListLiteral, SetLiteral,
               Call, Quantifier, Comprehension>
      node;
};

// A message template: "text {expr} text". Parts alternate as written; `{{` and `}}` are literal
// braces.
struct TemplatePart {
  std::string text;  // used when expr is null
  ExprPtr expr;
};
struct Template {
  std::vector<TemplatePart> parts;
  Span span;
};

// A type as written: `caps`, `list[string]`, `set[int]`, `service`, ...
struct TypeRef {
  std::string name;
  std::vector<TypeRef> args;
  Span span;
};

// ---- policy bodies ----
struct ForClause {
  std::string var;
  Span var_span;
  ExprPtr collection;
};
struct LetClause {
  std::string name;
  Span name_span;
  ExprPtr value;
};
// deny|warn when COND [at EXPR] [message "..."]
struct Rule {
  RuleKind kind = RuleKind::Deny;
  ExprPtr condition;
  ExprPtr at;                       // null: the span of the innermost `for` variable's value
  std::optional<Template> message;  // absent: the policy's title
  Span span;
};
struct Clause {
  std::variant<ForClause, LetClause, Rule> node;
  Span span;
};

// A metadata entry as written (the checker validates keys and duplicates).
struct MetaEntry {
  std::string key;  // title, severity, description, rationale, remediation, references, tags
  ExprPtr value;    // a string literal, a list of string literals, or a Name for severity
  Span span;
};

struct Policy {
  std::string id;
  Span id_span;
  std::vector<MetaEntry> metadata;
  std::vector<Clause> body;
  Span span;
};

// ---- top-level declarations ----
struct Import {
  std::vector<std::string> path;  // a.b.c
  std::string alias;              // `as x`; defaults to the last path component
  Span span;
};
struct Param {
  std::string name;
  TypeRef type;
  ExprPtr default_value;
  Span span;
};
struct FnParam {
  std::string name;
  std::optional<TypeRef> type;
  Span span;
};
struct Function {
  std::string name;
  std::vector<FnParam> params;
  ExprPtr body;
  Span span;
};

// ---- tests (run by `capguard test`) ----
enum class InputKind { Auto, Compose, Inspect };
struct TestInput {
  InputKind kind = InputKind::Auto;
  bool is_file = false;  // `input compose file "path"`: text is a path relative to the test file
  std::string text;
  Span span;
};
struct TestParam {
  std::string name;
  ExprPtr value;
  Span span;
};
// expect [no] deny|warn "POLICY-ID" [on SERVICE] [count N] [message "part"] [line N]
using Expectation = TestExpectation;  // plain data, shared with the IR (lang/core/policy_meta.hpp)
struct Test {
  std::string name;
  std::vector<TestParam> params;
  std::vector<TestInput> inputs;
  std::vector<Expectation> expectations;
  Span span;
};

// One policy file.
struct Module {
  FileId file = 0;
  std::vector<std::string> package;  // empty when the file has no `package` line
  Span package_span;
  std::vector<Import> imports;
  std::vector<Param> params;
  std::vector<Function> functions;
  std::vector<Policy> policies;
  std::vector<Test> tests;
  NodeId next_id = 1;  // ids handed out so far (exclusive bound)
};

// How the operator and the quantifier are written in policy source ("not in", "any").
const char* op_text(BinaryOp op);
const char* quantifier_text(QuantifierKind k);
// A type as written: "list[string]", "map[list[int]]".
std::string type_text(const TypeRef& t);

}  // namespace capguard::ast
