#include "lang/syntax/ast_dump.hpp"

#include <fmt/format.h>

namespace capguard {
namespace {

std::string at(const Span& s) {
  return fmt::format("@{}:{}", s.line, s.column);
}

std::string quote(const std::string& s) {
  return to_json_text(Value::string(s));
}

// The dump spells `not in` as one word, so that each node's name is one token.
const char* op_name(ast::BinaryOp op) {
  return op == ast::BinaryOp::NotIn ? "not-in" : ast::op_text(op);
}

// Writes nodes as lines; an open node's children follow at depth + 1 and `close` adds the ')'.
class Dumper {
 public:
  std::string out;

  void leaf(int depth, const std::string& text) { line(depth, "(" + text + ")"); }
  void open(int depth, const std::string& text) { line(depth, "(" + text); }
  void close() {
    if (!out.empty() && out.back() == '\n') out.pop_back();
    out += ")\n";
  }

  void literal(int depth, const Value& v, const Span& s) {
    std::string text = v.is_string() ? quote(v.as_string()) : to_json_text(v);
    leaf(depth, fmt::format("{} {} {}", kind_name(v.kind()), text, at(s)));
  }

  void expr(int depth, const ast::Expr& e) {
    const std::string where = at(e.span);
    std::visit(
        [&](const auto& n) {
          using T = std::decay_t<decltype(n)>;
          if constexpr (std::is_same_v<T, ast::Literal>) {
            literal(depth, n.value, e.span);
          } else if constexpr (std::is_same_v<T, ast::Name>) {
            leaf(depth, fmt::format("name {} {}", n.name, where));
          } else if constexpr (std::is_same_v<T, ast::Field>) {
            open(depth, fmt::format("{} {} {}", n.optional ? "field?" : "field", n.field, where));
            expr(depth + 1, *n.object);
            close();
          } else if constexpr (std::is_same_v<T, ast::Index>) {
            open(depth, fmt::format("{} {}", n.optional ? "index?" : "index", where));
            expr(depth + 1, *n.object);
            expr(depth + 1, *n.index);
            close();
          } else if constexpr (std::is_same_v<T, ast::Unary>) {
            open(depth, fmt::format("{} {}", n.op == ast::UnaryOp::Not ? "not" : "neg", where));
            expr(depth + 1, *n.operand);
            close();
          } else if constexpr (std::is_same_v<T, ast::Binary>) {
            open(depth, fmt::format("{} {}", op_name(n.op), where));
            expr(depth + 1, *n.lhs);
            expr(depth + 1, *n.rhs);
            close();
          } else if constexpr (std::is_same_v<T, ast::Conditional>) {
            open(depth, "if " + where);
            expr(depth + 1, *n.condition);
            expr(depth + 1, *n.then_branch);
            expr(depth + 1, *n.else_branch);
            close();
          } else if constexpr (std::is_same_v<T, ast::ListLiteral> ||
                               std::is_same_v<T, ast::SetLiteral>) {
            const char* head = std::is_same_v<T, ast::ListLiteral> ? "list" : "set";
            if (n.items.empty()) return leaf(depth, fmt::format("{} {}", head, where));
            open(depth, fmt::format("{} {}", head, where));
            for (const ast::ExprPtr& item : n.items) expr(depth + 1, *item);
            close();
          } else if constexpr (std::is_same_v<T, ast::Call>) {
            if (n.args.empty()) return leaf(depth, fmt::format("call {} {}", n.callee, where));
            open(depth, fmt::format("call {} {}", n.callee, where));
            for (const ast::ExprPtr& arg : n.args) expr(depth + 1, *arg);
            close();
          } else if constexpr (std::is_same_v<T, ast::Quantifier>) {
            open(depth, fmt::format("{} {} {}", ast::quantifier_text(n.kind), n.var, where));
            expr(depth + 1, *n.collection);
            if (n.condition) expr(depth + 1, *n.condition);
            close();
          } else if constexpr (std::is_same_v<T, ast::Comprehension>) {
            open(depth, fmt::format("{} {} {}", n.is_set ? "set-for" : "list-for", n.var, where));
            expr(depth + 1, *n.element);
            expr(depth + 1, *n.collection);
            if (n.filter) {
              open(depth + 1, "where");
              expr(depth + 2, *n.filter);
              close();
            }
            close();
          }
        },
        e.node);
  }

  void labelled(int depth, const char* label, const ast::Expr& e) {
    open(depth, label);
    expr(depth + 1, e);
    close();
  }

  void message(int depth, const ast::Template& t) {
    open(depth, "message " + at(t.span));
    for (const ast::TemplatePart& part : t.parts) {
      if (part.expr) {
        labelled(depth + 1, "interpolate", *part.expr);
      } else {
        leaf(depth + 1, "text " + quote(part.text));
      }
    }
    close();
  }

  void clause(int depth, const ast::Clause& c) {
    std::visit(
        [&](const auto& n) {
          using T = std::decay_t<decltype(n)>;
          if constexpr (std::is_same_v<T, ast::ForClause>) {
            open(depth, fmt::format("for {} {}", n.var, at(c.span)));
            expr(depth + 1, *n.collection);
          } else if constexpr (std::is_same_v<T, ast::LetClause>) {
            open(depth, fmt::format("let {} {}", n.name, at(c.span)));
            expr(depth + 1, *n.value);
          } else {
            open(depth, fmt::format("{} {}", rule_kind_name(n.kind), at(c.span)));
            labelled(depth + 1, "when", *n.condition);
            if (n.at) labelled(depth + 1, "at", *n.at);
            if (n.message) message(depth + 1, *n.message);
          }
          close();
        },
        c.node);
  }

  void test(int depth, const ast::Test& t) {
    open(depth, fmt::format("test {} {}", quote(t.name), at(t.span)));
    for (const ast::TestParam& p : t.params) {
      open(depth + 1, fmt::format("param {} {}", p.name, at(p.span)));
      expr(depth + 2, *p.value);
      close();
    }
    for (const ast::TestInput& in : t.inputs) {
      const char* kind = in.kind == ast::InputKind::Compose   ? "compose"
                         : in.kind == ast::InputKind::Inspect ? "inspect"
                                                              : "auto";
      leaf(depth + 1, fmt::format("input {}{} {} {}", kind, in.is_file ? " file" : "",
                                  quote(in.text), at(in.span)));
    }
    for (const ast::Expectation& x : t.expectations) {
      std::string text = fmt::format("expect {}{} {}", x.negated ? "no " : "",
                                     rule_kind_name(x.kind), quote(x.policy));
      if (x.service) text += " on " + quote(*x.service);
      if (x.count) text += fmt::format(" count {}", *x.count);
      if (x.message) text += " message " + quote(*x.message);
      if (x.line) text += fmt::format(" line {}", *x.line);
      leaf(depth + 1, text + " " + at(x.span));
    }
    close();
  }

  void module(const ast::Module& m) {
    open(0, "module " + quote(source_name(m.file)));
    if (!m.package.empty()) {
      std::string name;
      for (const std::string& part : m.package) name += (name.empty() ? "" : ".") + part;
      leaf(1, fmt::format("package {} {}", name, at(m.package_span)));
    }
    for (const ast::Import& i : m.imports) {
      std::string path;
      for (const std::string& part : i.path) path += (path.empty() ? "" : ".") + part;
      leaf(1, fmt::format("import {} as {} {}", path, i.alias, at(i.span)));
    }
    for (const ast::Param& p : m.params) {
      open(1, fmt::format("param {} {} {}", p.name, type_text(p.type), at(p.span)));
      expr(2, *p.default_value);
      close();
    }
    for (const ast::Function& f : m.functions) {
      std::string params;
      for (const ast::FnParam& p : f.params) {
        params += (params.empty() ? "" : " ") + p.name;
        if (p.type) params += ":" + type_text(*p.type);
      }
      open(1, fmt::format("fn {} ({}) {}", f.name, params, at(f.span)));
      expr(2, *f.body);
      close();
    }
    for (const ast::Policy& p : m.policies) {
      open(1, fmt::format("policy {} {}", quote(p.id), at(p.span)));
      for (const ast::MetaEntry& meta : p.metadata) {
        open(2, fmt::format("meta {} {}", meta.key, at(meta.span)));
        expr(3, *meta.value);
        close();
      }
      for (const ast::Clause& c : p.body) clause(2, c);
      close();
    }
    for (const ast::Test& t : m.tests) test(1, t);
    close();
  }

 private:
  void line(int depth, const std::string& text) {
    out.append(static_cast<size_t>(depth) * 2, ' ');
    out += text;
    out += '\n';
  }
};

}  // namespace

std::string dump_ast(const ast::Module& module) {
  Dumper d;
  d.module(module);
  return d.out;
}

std::string dump_expr(const ast::Expr& expr) {
  Dumper d;
  d.expr(0, expr);
  return d.out;
}

}  // namespace capguard
