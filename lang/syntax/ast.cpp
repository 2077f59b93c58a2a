#include "lang/syntax/ast.hpp"

namespace capguard::ast {

const char* op_text(BinaryOp op) {
  switch (op) {
    case BinaryOp::Or:
      return "or";
    case BinaryOp::And:
      return "and";
    case BinaryOp::Eq:
      return "==";
    case BinaryOp::Ne:
      return "!=";
    case BinaryOp::Lt:
      return "<";
    case BinaryOp::Le:
      return "<=";
    case BinaryOp::Gt:
      return ">";
    case BinaryOp::Ge:
      return ">=";
    case BinaryOp::In:
      return "in";
    case BinaryOp::NotIn:
      return "not in";
    case BinaryOp::Union:
      return "|";
    case BinaryOp::Intersect:
      return "&";
    case BinaryOp::Add:
      return "+";
    case BinaryOp::Sub:
      return "-";
    case BinaryOp::Mul:
      return "*";
    case BinaryOp::Div:
      return "/";
    case BinaryOp::Mod:
      return "%";
  }
  return "?";
}

const char* quantifier_text(QuantifierKind k) {
  switch (k) {
    case QuantifierKind::Any:
      return "any";
    case QuantifierKind::All:
      return "all";
    case QuantifierKind::Count:
      return "count";
  }
  return "?";
}

std::string type_text(const TypeRef& t) {
  std::string out = t.name;
  if (!t.args.empty()) {
    out += "[";
    for (size_t i = 0; i < t.args.size(); ++i) out += (i ? ", " : "") + type_text(t.args[i]);
    out += "]";
  }
  return out;
}

}  // namespace capguard::ast
