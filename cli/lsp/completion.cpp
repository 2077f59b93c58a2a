// textDocument/completion: fields after `x.` (from the types the checker inferred in the last
// analysis that parsed), otherwise keywords, built-ins, params, functions, document roots, and
// inside a policy's header the metadata keys (and after `severity`, the severity words).

#include <algorithm>
#include <cctype>

#include "cli/lsp/ast_walk.hpp"
#include "cli/lsp/features.hpp"
#include "lang/check/builtins.hpp"
#include "runtime/documents/document_schema.hpp"

namespace capguard::lsp {
namespace {

using nlohmann::json;

// LSP CompletionItemKind values.
constexpr int kKindFunction = 3;
constexpr int kKindField = 5;
constexpr int kKindVariable = 6;
constexpr int kKindProperty = 10;
constexpr int kKindKeyword = 14;
constexpr int kKindEnumMember = 20;
constexpr int kKindConstant = 21;

const char* const kKeywords[] = {"package", "import", "as",   "param", "fn",   "policy", "test",
                                 "for",     "let",    "in",   "deny",  "warn", "when",   "at",
                                 "message", "if",     "then", "else",  "not",  "and",    "or",
                                 "true",    "false",  "null", "any",   "all",  "count",  "where"};
const char* const kMetadataKeys[] = {"title",       "severity",   "description", "rationale",
                                     "remediation", "references", "tags"};
const char* const kSeverities[] = {"info", "low", "medium", "high", "critical"};

bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

json item(const std::string& label, int kind, const std::string& detail = "",
          const std::string& doc = "") {
  json i = {{"label", label}, {"kind", kind}};
  if (!detail.empty()) i["detail"] = detail;
  if (!doc.empty()) i["documentation"] = doc;
  return i;
}

// Where the cursor is, by a light scan of the text before it (strings and comments skipped).
struct Context {
  bool in_policy = false;    // inside a policy's braces
  bool clause_seen = false;  // ... after its first clause (metadata must come first)
};

Context scan(const std::string& text, size_t end) {
  Context ctx;
  int depth = 0;
  bool policy_block = false;
  std::string last_word;
  for (size_t i = 0; i < end; ++i) {
    char c = text[i];
    if (c == '#') {
      while (i < end && text[i] != '\n') ++i;
    } else if (text.compare(i, 3, "\"\"\"") == 0) {
      size_t close = text.find("\"\"\"", i + 3);
      i = close == std::string::npos ? end : close + 2;
    } else if (c == '"') {
      for (++i; i < end && text[i] != '"' && text[i] != '\n'; ++i) {
        if (text[i] == '\\') ++i;
      }
    } else if (c == '{') {
      if (depth == 0) {
        policy_block = last_word == "policy";
        ctx.clause_seen = false;
      }
      ++depth;
    } else if (c == '}') {
      if (depth > 0) --depth;
    } else if (ident_char(c)) {
      size_t start = i;
      while (i < end && ident_char(text[i])) ++i;
      std::string word = text.substr(start, i - start);
      --i;
      if (depth == 0 && (word == "policy" || word == "test" || word == "fn" || word == "param")) {
        last_word = word;
      }
      if (depth == 1 && (word == "for" || word == "let" || word == "deny" || word == "warn")) {
        ctx.clause_seen = true;
      }
    }
  }
  ctx.in_policy = policy_block && depth > 0;
  return ctx;
}

// The type named by a chain `head.seg1.seg2` in the last analysis, or null.
TypePtr chain_type(const Analysis* a, const std::vector<std::string>& chain, uint32_t line) {
  if (!a || !a->document_info() || chain.empty()) return nullptr;
  const ModuleInfo* info = a->document_info();
  const std::string& head = chain[0];
  TypePtr best;
  uint32_t best_line = 0;
  auto consider = [&](const std::string& name, const Span& s, TypePtr t) {
    if (name != head || !t) return;
    // Prefer the nearest binding at or before the line, else any.
    bool before = s.line <= line;
    if (!best || (before && (s.line >= best_line || best_line > line))) {
      best = t;
      best_line = s.line;
    }
  };
  auto elem = [&](const ast::Expr* e) -> TypePtr {
    if (!e) return nullptr;
    auto it = info->types.find(e->id);
    if (it == info->types.end() || !it->second) return nullptr;
    return it->second->elem;
  };
  const ast::Module& m = a->document();
  for (const auto& pol : m.policies) {
    for (const auto& c : pol.body) {
      if (const auto* f = std::get_if<ast::ForClause>(&c.node)) {
        consider(f->var, f->var_span, elem(f->collection.get()));
      }
      if (const auto* l = std::get_if<ast::LetClause>(&c.node)) {
        auto it = info->types.find(l->value->id);
        if (it != info->types.end()) consider(l->name, l->name_span, it->second);
      }
    }
  }
  const Schema& schema = document_schema();
  for (const auto& f : m.functions) {
    for (const auto& p : f.params) {
      if (!p.type) continue;
      auto o = schema.objects.find(p.type->name);
      if (o != schema.objects.end()) consider(p.name, p.span, o->second);
    }
  }
  visit_module(m, [&](const ast::Expr& e) {
    if (const auto* q = std::get_if<ast::Quantifier>(&e.node)) {
      consider(q->var, q->var_span, elem(q->collection.get()));
    } else if (const auto* c = std::get_if<ast::Comprehension>(&e.node)) {
      consider(c->var, c->var_span, elem(c->collection.get()));
    } else if (const auto* n = std::get_if<ast::Name>(&e.node)) {
      auto it = info->types.find(e.id);
      if (it != info->types.end()) consider(n->name, e.span, it->second);
    }
  });
  TypePtr t = best;
  for (size_t i = 1; t && i < chain.size(); ++i) {
    const FieldDef* fd = t->kind == TypeKind::Object ? t->field(chain[i]) : nullptr;
    t = fd ? fd->type : nullptr;
  }
  return t;
}

}  // namespace

json completion(const Analysis* a, const std::string& text, Position p) {
  size_t offset = offset_of(text, p);
  size_t start = offset;
  while (start > 0 && ident_char(text[start - 1])) --start;
  std::string partial = text.substr(start, offset - start);
  json items = json::array();
  auto offer = [&](json i) {
    const std::string label = i["label"];
    if (label.compare(0, partial.size(), partial) == 0) items.push_back(std::move(i));
  };

  // After `x.` or `x?.`: the fields of x's object type, or an import's params and functions.
  size_t dot = start;
  if (dot > 0 && text[dot - 1] == '.') {
    std::vector<std::string> chain;
    size_t i = dot - 1;
    while (true) {
      size_t end = i;
      if (end > 0 && text[end - 1] == '?') --end;
      size_t begin = end;
      while (begin > 0 && ident_char(text[begin - 1])) --begin;
      if (begin == end) break;
      chain.insert(chain.begin(), text.substr(begin, end - begin));
      if (begin == 0 || text[begin - 1] != '.') break;
      i = begin - 1;
    }
    if (a && chain.size() == 1) {
      for (const auto& imp : a->document().imports) {
        if (imp.alias != chain[0]) continue;
        for (const auto& m : a->modules) {
          if (m.package != imp.path) continue;
          for (const auto& prm : m.params)
            offer(item(prm.name, kKindVariable, ast::type_text(prm.type)));
          for (const auto& f : m.functions) offer(item(f.name, kKindFunction));
        }
        return items;
      }
    }
    TypePtr t = chain_type(a, chain, p.line + 1);
    if (t && t->kind == TypeKind::Object) {
      for (const FieldDef& f : t->fields)
        offer(item(f.name, kKindField, type_name(*f.type), std::string(f.doc)));
    }
    return items;
  }

  // After `severity`: the severity words.
  std::string_view line = line_of(text, p.line);
  std::string before(line.substr(0, byte_column(line, p.character)));
  before.resize(before.size() - partial.size());
  std::string trimmed = before;
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back())))
    trimmed.pop_back();
  size_t w = trimmed.size();
  while (w > 0 && ident_char(trimmed[w - 1])) --w;
  if (trimmed.substr(w) == "severity") {
    for (const char* s : kSeverities) offer(item(s, kKindEnumMember, "severity"));
    return items;
  }

  Context ctx = scan(text, offset);
  bool line_start = trimmed.find_first_not_of(" \t") == std::string::npos;
  if (ctx.in_policy && !ctx.clause_seen && line_start) {
    for (const char* k : kMetadataKeys) offer(item(k, kKindProperty, "policy metadata"));
  }
  for (const char* k : kKeywords) offer(item(k, kKindKeyword));
  for (const BuiltinSignature& b : builtin_signatures()) {
    std::string arity = b.max_args == kVariadic ? std::to_string(b.min_args) + " or more"
                        : b.min_args == b.max_args
                            ? std::to_string(b.min_args)
                            : std::to_string(b.min_args) + " to " + std::to_string(b.max_args);
    offer(item(std::string(b.name), kKindFunction,
               "built-in, " + arity + (b.max_args == 1 ? " argument" : " arguments"),
               std::string(b.summary)));
  }
  for (const auto& [name, type] : document_schema().roots)
    offer(item(name, kKindConstant, type_name(*type)));
  if (a) {
    const ast::Module& doc = a->document();
    for (const auto& m : a->modules) {
      if (m.package != doc.package) continue;
      for (const auto& prm : m.params)
        offer(item(prm.name, kKindVariable, "param " + ast::type_text(prm.type)));
      for (const auto& f : m.functions) offer(item(f.name, kKindFunction, "fn " + f.name));
    }
    // The `for` and `let` names of the policy the cursor is in (the last one starting above it).
    const ast::Policy* here = nullptr;
    for (const auto& pol : doc.policies) {
      if (pol.span.line <= p.line + 1) here = &pol;
    }
    if (here) {
      for (const auto& c : here->body) {
        if (const auto* f = std::get_if<ast::ForClause>(&c.node))
          offer(item(f->var, kKindVariable, "for"));
        if (const auto* l = std::get_if<ast::LetClause>(&c.node))
          offer(item(l->name, kKindVariable, "let"));
      }
    }
    for (const auto& imp : doc.imports)
      offer(item(
          imp.alias, kKindVariable, "import " + [&] {
            std::string s;
            for (size_t i = 0; i < imp.path.size(); ++i) s += (i ? "." : "") + imp.path[i];
            return s;
          }()));
  }
  return items;
}

}  // namespace capguard::lsp
