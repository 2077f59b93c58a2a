#include "cli/lsp/features.hpp"

#include <algorithm>
#include <cctype>

#include "cli/lsp/ast_walk.hpp"
#include "lang/check/builtins.hpp"
#include "runtime/documents/document_schema.hpp"

namespace capguard::lsp {
namespace {

using nlohmann::json;

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

std::string qualified(const ast::Module& m, const std::string& name) {
  return m.package.empty() ? name : join(m.package, ".") + "." + name;
}

// 1-based line and byte column of an LSP position in `text`.
std::pair<uint32_t, uint32_t> source_position(const std::string& text, Position p) {
  return {p.line + 1, static_cast<uint32_t>(byte_column(line_of(text, p.line), p.character) + 1)};
}

std::string type_or_any(const ModuleInfo* info, const ast::Expr& e) {
  if (!info) return "any";
  auto it = info->types.find(e.id);
  return it != info->types.end() && it->second ? type_name(*it->second) : "any";
}

TypePtr type_of(const ModuleInfo* info, const ast::Expr* e) {
  if (!info || !e) return nullptr;
  auto it = info->types.find(e->id);
  return it == info->types.end() ? nullptr : it->second;
}

std::string arity_text(const BuiltinSignature& b) {
  auto n = [](size_t k) { return std::to_string(k) + (k == 1 ? " argument" : " arguments"); };
  if (b.max_args == kVariadic) return std::to_string(b.min_args) + " or more arguments";
  if (b.min_args == b.max_args) return n(b.min_args);
  return std::to_string(b.min_args) + " to " + n(b.max_args);
}

json markdown(const std::string& code, const std::string& doc) {
  std::string text = "```capguard\n" + code + "\n```";
  if (!doc.empty()) text += "\n" + doc;
  return {{"kind", "markdown"}, {"value", text}};
}

const ast::Param* find_param(const Analysis& a, const std::string& q) {
  for (const auto& m : a.modules) {
    for (const auto& p : m.params) {
      if (qualified(m, p.name) == q) return &p;
    }
  }
  return nullptr;
}

const ast::Function* find_function(const Analysis& a, const std::string& q) {
  for (const auto& m : a.modules) {
    for (const auto& f : m.functions) {
      if (qualified(m, f.name) == q) return &f;
    }
  }
  return nullptr;
}

std::string function_text(const ast::Function& f) {
  std::vector<std::string> params;
  for (const auto& p : f.params)
    params.push_back(p.type ? p.name + ": " + ast::type_text(*p.type) : p.name);
  return "fn " + f.name + "(" + join(params, ", ") + ")";
}

struct Hit {
  enum class What { None, FieldName, Callee, Name } what = What::None;
  const ast::Expr* expr = nullptr;
  Span span;
};

// The innermost field name, callee or name at the position.
Hit hit_at(const Analysis& a, Position p) {
  // Named copies, not structured bindings: a lambda may not capture those before C++20 (clang
  // refuses it; `make fuzz` builds with clang++-14).
  const auto position = source_position(a.text, p);
  const auto line = position.first;
  const auto column = position.second;
  Hit hit;
  visit_module(a.document(), [&](const ast::Expr& e) {
    if (const auto* f = std::get_if<ast::Field>(&e.node)) {
      if (span_contains(f->field_span, line, column))
        hit = {Hit::What::FieldName, &e, f->field_span};
    } else if (const auto* c = std::get_if<ast::Call>(&e.node)) {
      if (span_contains(c->callee_span, line, column))
        hit = {Hit::What::Callee, &e, c->callee_span};
    } else if (std::get_if<ast::Name>(&e.node)) {
      if (span_contains(e.span, line, column)) hit = {Hit::What::Name, &e, e.span};
    }
  });
  return hit;
}

const Resolution* resolution(const ModuleInfo* info, const ast::Expr& e) {
  if (!info) return nullptr;
  auto it = info->names.find(e.id);
  return it == info->names.end() ? nullptr : &it->second;
}

json param_hover(const Analysis& a, const std::string& q) {
  const ast::Param* p = find_param(a, q);
  if (!p) return nullptr;
  // The declaration as written (its first line), which shows the default.
  std::string text = "param " + p->name + ": " + ast::type_text(p->type);
  if (p->span.known()) {
    std::string_view line = source(p->span.file).line_text(p->span.line);
    if (p->span.column > 0 && p->span.column - 1 < line.size())
      text = line.substr(p->span.column - 1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
  return markdown(text,
                  q == p->name ? "" : "in package " + q.substr(0, q.size() - p->name.size() - 1));
}

// The span of `name` in its declaration `decl` (the first occurrence as a whole word on the
// declaration's line, from its column): a definition points at the name, not the keyword.
Span name_span(const Span& decl, const std::string& name) {
  if (!decl.known() || name.empty()) return decl;
  std::string_view line = source(decl.file).line_text(decl.line);
  auto word = [&](size_t i) {
    return i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_');
  };
  for (size_t i = line.find(name, decl.column > 0 ? decl.column - 1 : 0);
       i != std::string_view::npos; i = line.find(name, i + 1)) {
    if ((i == 0 || !word(i - 1)) && !word(i + name.size())) {
      return Span{decl.file, decl.line, static_cast<uint32_t>(i + 1),
                  static_cast<uint32_t>(name.size())};
    }
  }
  return decl;
}

json location_of(const Span& span) {
  if (!span.known()) return nullptr;
  const std::string& path = source_name(span.file);
  if (path.empty() || path[0] != '/') return nullptr;  // embedded standard-library files
  return {{"uri", uri_of_path(path)}, {"range", range_of(span)}};
}

}  // namespace

json hover(const Analysis& a, Position p) {
  Hit hit = hit_at(a, p);
  if (hit.what == Hit::What::None) return nullptr;
  const ModuleInfo* info = a.document_info();
  const Resolution* r = resolution(info, *hit.expr);
  json contents;
  if (hit.what == Hit::What::FieldName) {
    const auto& f = std::get<ast::Field>(hit.expr->node);
    if (r && r->kind == Resolution::Kind::Param) {
      contents = param_hover(a, r->qualified);
    } else if (TypePtr object = type_of(info, f.object.get());
               object && object->kind == TypeKind::Object) {
      const FieldDef* fd = object->field(f.field);
      if (fd) {
        contents = markdown(
            "(field) " + object->object_name + "." + fd->name + ": " + type_name(*fd->type),
            std::string(fd->doc));
      }
    } else if (info) {
      contents = markdown("(key) " + f.field + ": " + type_or_any(info, *hit.expr), "");
    }
  } else if (hit.what == Hit::What::Callee) {
    const auto& c = std::get<ast::Call>(hit.expr->node);
    if (r && r->kind == Resolution::Kind::Function) {
      if (const ast::Function* fn = find_function(a, r->qualified)) {
        contents = markdown(function_text(*fn) + ": " + type_or_any(info, *hit.expr), "");
      }
    } else if (const BuiltinSignature* b = find_builtin(c.callee)) {
      contents = markdown("(built-in) " + std::string(b->name) + ": " + arity_text(*b) + " -> " +
                              type_or_any(info, *hit.expr),
                          std::string(b->summary));
    }
  } else if (r) {
    const auto& name = std::get<ast::Name>(hit.expr->node).name;
    switch (r->kind) {
      case Resolution::Kind::Param:
        contents = param_hover(a, r->qualified);
        break;
      case Resolution::Kind::Local:
        contents = markdown("(local) " + name + ": " + type_or_any(info, *hit.expr), "");
        break;
      case Resolution::Kind::Root:
        contents = markdown("(root) " + name + ": " + type_or_any(info, *hit.expr), "");
        break;
      case Resolution::Kind::Capability:
        contents = markdown("(capability) " + name, r->cap < 0 ? "every capability" : "");
        break;
      default:
        break;
    }
  }
  if (contents.is_null()) return nullptr;
  return {{"contents", contents}, {"range", range_of(hit.span)}};
}

json definition(const Analysis& a, Position p) {
  json out = json::array();
  auto add = [&](const Span& s) {
    json l = location_of(s);
    if (!l.is_null()) out.push_back(l);
  };
  const auto position = source_position(a.text, p);  // named: a lambda below uses them
  const auto line = position.first;
  const auto column = position.second;
  // An import: every file of the imported package.
  for (const auto& imp : a.document().imports) {
    if (span_contains(Span{imp.span.file, imp.span.line, imp.span.column,
                           static_cast<uint32_t>(line_of(a.text, imp.span.line - 1).size())},
                      line, column)) {
      for (const auto& m : a.modules) {
        if (&m != &a.document() && m.package == imp.path) add(m.package_span);
      }
      return out;
    }
  }
  Hit hit = hit_at(a, p);
  if (hit.what == Hit::What::None) return out;
  const Resolution* r = resolution(a.document_info(), *hit.expr);
  if (!r) return out;
  if (r->kind == Resolution::Kind::Param) {
    if (const ast::Param* decl = find_param(a, r->qualified))
      add(name_span(decl->span, decl->name));
  } else if (r->kind == Resolution::Kind::Function) {
    if (const ast::Function* decl = find_function(a, r->qualified)) {
      add(name_span(decl->span, decl->name));
    }
  } else if (r->kind == Resolution::Kind::Local && hit.what == Hit::What::Name) {
    // The nearest binding of the name before the use: for, let, fn parameter, quantifier or
    // comprehension variable.
    const std::string& name = std::get<ast::Name>(hit.expr->node).name;
    Span best;
    auto consider = [&](const std::string& n, const Span& s) {
      if (n != name || !s.known()) return;
      bool before = s.line < line || (s.line == line && s.column < column);
      bool later =
          !best.known() || s.line > best.line || (s.line == best.line && s.column > best.column);
      if (before && later) best = s;
    };
    const ast::Module& m = a.document();
    for (const auto& f : m.functions) {
      for (const auto& fp : f.params) consider(fp.name, fp.span);
    }
    for (const auto& pol : m.policies) {
      for (const auto& c : pol.body) {
        if (const auto* f = std::get_if<ast::ForClause>(&c.node)) consider(f->var, f->var_span);
        if (const auto* l = std::get_if<ast::LetClause>(&c.node)) consider(l->name, l->name_span);
      }
    }
    visit_module(m, [&](const ast::Expr& e) {
      if (const auto* q = std::get_if<ast::Quantifier>(&e.node)) consider(q->var, q->var_span);
      if (const auto* c = std::get_if<ast::Comprehension>(&e.node)) consider(c->var, c->var_span);
    });
    if (best.known()) {
      json l = {{"uri", a.uri}, {"range", range_of(best)}};
      out.push_back(l);
    }
  }
  return out;
}

}  // namespace capguard::lsp
