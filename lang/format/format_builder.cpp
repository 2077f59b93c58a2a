// Declarations, policy and test bodies, comments and blank lines, in the canonical layout of
// spec/fmt.md.

#include "lang/format/format_builder.hpp"

#include <algorithm>

#include "lang/syntax/parser_strings.hpp"

namespace capguard::format_detail {
namespace {

bool is_blank(std::string_view s) {
  return s.find_first_not_of(" \t\r") == std::string_view::npos;
}

std::string dotted(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ".") + p;
  return out;
}

// A "..." literal with this value.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static const char* hex = "0123456789ABCDEF";
          out += std::string("\\u{") + hex[(c >> 4) & 0xF] + hex[c & 0xF] + "}";
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// What `expect ... on SERVICE` may write without quotes (grammar::service_word).
bool is_service_word(const std::string& s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
  });
}

// The body lines of a """ literal without their common indentation (decode_triple's rule), or
// nothing when the literal is on one line.
std::optional<std::vector<std::string>> block_lines(std::string_view literal) {
  std::string_view body = literal.substr(3, literal.size() - 6);
  if (body.find('\n') == std::string_view::npos) return std::nullopt;
  if (body.substr(0, 1) == "\n") body.remove_prefix(1);
  if (body.substr(0, 2) == "\r\n") body.remove_prefix(2);
  std::vector<std::string> lines;
  for (size_t b = 0;;) {
    size_t nl = body.find('\n', b);
    std::string_view line = body.substr(b, nl == std::string_view::npos ? nl : nl - b);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(line);
    if (nl == std::string_view::npos) break;
    b = nl + 1;
  }
  size_t indent = std::string::npos;
  for (const std::string& l : lines) {
    if (!is_blank(l)) indent = std::min(indent, l.find_first_not_of(" \t"));
  }
  for (std::string& l : lines) l = is_blank(l) ? "" : l.substr(indent);
  return lines;
}

}  // namespace

Builder::Builder(const ast::Module& module, const Source& source)
    : module_(module), source_(source), tokens_(source.text()) {}

// ---- positions, comments, strings ----

size_t Builder::offset_of(const Span& span) const {
  std::string_view line = source_.line_text(span.line);
  return static_cast<size_t>(line.data() - source_.text().data()) + span.column - 1;
}

size_t Builder::token_at(const Span& span) const {
  if (!span.known()) return TokenIndex::npos;
  return tokens_.at(offset_of(span));
}

bool Builder::blank_line_before(size_t offset) const {
  uint32_t line = source_.position(offset).first;
  uint32_t prev = 0;
  for (const Token& t : tokens_.tokens()) {
    if (t.begin >= offset) break;
    prev = t.end_line;
  }
  for (const Comment& c : tokens_.comments()) {
    if (c.begin >= offset) break;
    prev = std::max(prev, c.line);
  }
  return prev != 0 && line > prev + 1;
}

Doc Builder::comments_before(size_t offset, bool close) {
  const std::vector<Comment>& all = tokens_.comments();
  if (next_comment_ >= all.size() || all[next_comment_].begin >= offset) return nullptr;
  std::vector<Doc> parts;
  for (; next_comment_ < all.size() && all[next_comment_].begin < offset; ++next_comment_) {
    const Comment& c = all[next_comment_];
    // A comment ends its line: an end-of-line comment after another comment (the code between
    // them printed already) goes on a line of its own.
    if (c.trailing && parts.empty()) {
      parts.push_back(suffix(c.text));
    } else {
      parts.push_back(hard_line());
      parts.push_back(text(c.text));
    }
  }
  if (close) parts.push_back(hard_line());
  return concat(std::move(parts));
}

Doc Builder::string_token(size_t token) {
  std::string_view literal = tokens_.token_text(token);
  if (literal.size() >= 6 && literal.substr(0, 3) == "\"\"\"") {
    if (auto lines = block_lines(literal)) {
      // Re-indenting keeps the value (decode_triple removes the common indentation); check it.
      std::string rebuilt = "\"\"\"\n";
      for (size_t i = 0; i < lines->size(); ++i) {
        const std::string& l = (*lines)[i];
        rebuilt += (l.empty() && i + 1 < lines->size() ? "" : "  " + l);
        rebuilt += i + 1 < lines->size() ? "\n" : "\"\"\"";
      }
      if (parser_detail::decode_string(rebuilt, 0).text ==
          parser_detail::decode_string(literal, 0).text) {
        return text_block(std::move(*lines));
      }
    }
  }
  return text(std::string(literal));
}

// ---- blocks ----

// The units of one block in order, each on its own line(s), with the comments before them and
// the blank lines of the source (at most one in a row; forced where a unit asks for one). At the
// top level the first unit starts the output; inside braces every unit starts a new line.
Doc Builder::block(const std::vector<Unit>& units, size_t end, bool top) {
  std::vector<Doc> parts;
  bool first = true;
  bool after_comment = false;  // the current output line ends with a comment
  auto own_line = [&](size_t offset, bool force_blank, Doc d) {
    if (!first || !top) parts.push_back(hard_line());
    if (!first && (force_blank || blank_line_before(offset))) parts.push_back(hard_line());
    parts.push_back(std::move(d));
    first = false;
  };
  auto place_comments = [&](size_t before, bool force_blank) {
    const std::vector<Comment>& all = tokens_.comments();
    for (; next_comment_ < all.size() && all[next_comment_].begin < before; ++next_comment_) {
      const Comment& c = all[next_comment_];
      // A comment ends its line: an end-of-line comment after another comment (the code
      // between them printed already) goes on a line of its own.
      if (c.trailing && !after_comment) {
        parts.push_back(suffix(c.text));
        after_comment = true;
      } else {
        own_line(c.begin, force_blank, text(c.text));
        force_blank = false;
        after_comment = true;
      }
    }
    return force_blank;
  };
  for (const Unit& u : units) {
    bool force = place_comments(u.offset, u.blank_before);
    own_line(u.offset, force, (this->*u.build)(u.node));
    after_comment = false;
  }
  place_comments(end, false);
  return concat(std::move(parts));
}

// `head {` units `}`, the units indented by two.
Doc Builder::braces(std::string head, size_t open_token, const std::vector<Unit>& units) {
  size_t close = tokens_.match(open_token);
  size_t end = close == TokenIndex::npos ? source_.text().size() : tokens_.tokens()[close].begin;
  Doc body = block(units, end, false);
  return concat({text(head + " {"), nest(2, body), hard_line(), text("}")});
}

Doc Builder::module() {
  std::vector<Unit> units;
  auto add = [&](const Span& span, const void* node, Doc (Builder::*build)(const void*)) {
    units.push_back(Unit{offset_of(span), false, node, build});
  };
  if (!module_.package.empty()) add(module_.package_span, &module_, &Builder::package_decl);
  for (const auto& d : module_.imports) add(d.span, &d, &Builder::import_decl);
  for (const auto& d : module_.params) add(d.span, &d, &Builder::param_decl);
  for (const auto& d : module_.functions) add(d.span, &d, &Builder::fn_decl);
  for (const auto& d : module_.policies) add(d.span, &d, &Builder::policy_decl);
  for (const auto& d : module_.tests) add(d.span, &d, &Builder::test_decl);
  std::stable_sort(units.begin(), units.end(),
                   [](const Unit& a, const Unit& b) { return a.offset < b.offset; });
  // Policies and tests are set apart by blank lines.
  auto is_block = [](const Unit& u) {
    return u.build == &Builder::policy_decl || u.build == &Builder::test_decl;
  };
  for (size_t i = 1; i < units.size(); ++i) {
    units[i].blank_before = is_block(units[i]) || is_block(units[i - 1]);
  }
  Doc d = block(units, source_.text().size(), true);
  return units.empty() && next_comment_ == 0 ? d : concat({d, hard_line()});
}

// ---- declarations ----

Doc Builder::package_decl(const void*) {
  return text("package " + dotted(module_.package));
}

Doc Builder::import_decl(const void* node) {
  const auto& d = *static_cast<const ast::Import*>(node);
  std::string out = "import " + dotted(d.path);
  if (d.path.empty() || d.alias != d.path.back()) out += " as " + d.alias;
  return text(out);
}

Doc Builder::param_decl(const void* node) {
  const auto& d = *static_cast<const ast::Param*>(node);
  std::string head = "param " + d.name + ": " + type_text(d.type) + " = ";
  return concat({text(head), align(expr(*d.default_value))});
}

Doc Builder::fn_decl(const void* node) {
  const auto& d = *static_cast<const ast::Function*>(node);
  std::string head = "fn " + d.name + "(";
  for (size_t i = 0; i < d.params.size(); ++i) {
    head += (i ? ", " : "") + d.params[i].name;
    if (d.params[i].type) head += ": " + type_text(*d.params[i].type);
  }
  head += ") = ";
  return concat({text(head), align(expr(*d.body))});
}

Doc Builder::policy_decl(const void* node) {
  const auto& p = *static_cast<const ast::Policy*>(node);
  size_t id = token_at(p.id_span);
  meta_key_width_ = 0;
  for (const ast::MetaEntry& m : p.metadata)
    meta_key_width_ = std::max(meta_key_width_, m.key.size() + 1);
  std::vector<Unit> units;
  for (const ast::MetaEntry& m : p.metadata) {
    units.push_back(Unit{offset_of(m.span), false, &m, &Builder::meta_entry});
  }
  for (const ast::Clause& c : p.body) {
    bool first_clause = &c == &p.body.front() && !p.metadata.empty();
    units.push_back(Unit{offset_of(c.span), first_clause, &c, &Builder::clause});
  }
  return braces("policy " + std::string(tokens_.token_text(id)), id + 1, units);
}

Doc Builder::meta_entry(const void* node) {
  const auto& m = *static_cast<const ast::MetaEntry*>(node);
  std::string key = m.key;
  key.resize(std::max(meta_key_width_, key.size() + 1), ' ');
  return concat({text(key), align(expr(*m.value))});
}

Doc Builder::clause(const void* node) {
  const auto& c = *static_cast<const ast::Clause*>(node);
  return std::visit(
      [&](const auto& n) -> Doc {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, ast::ForClause>) {
          return concat({text("for " + n.var + " in "), align(expr(*n.collection))});
        } else if constexpr (std::is_same_v<T, ast::LetClause>) {
          return concat({text("let " + n.name + " = "), align(expr(*n.value))});
        } else {
          return rule(n);
        }
      },
      c.node);
}

// `deny when COND`, then ` at EXPR` on the same line when all of it fits there, else on a line of
// its own indented by two; `message` always on a line of its own, indented by two.
Doc Builder::rule(const ast::Rule& r) {
  std::string head = r.kind == RuleKind::Deny ? "deny when " : "warn when ";
  Doc condition = align(expr(*r.condition));
  Doc first_line = condition;
  if (r.at) {
    Doc comments = comments_before(offset_of(r.at->span), false);
    Doc to_at = comments ? concat({comments, hard_line()}) : line();
    Doc at = align(expr(*r.at));
    first_line = group(concat({condition, nest(2, concat({to_at, text("at "), at}))}));
  }
  if (!r.message) return concat({text(head), first_line});
  size_t message = token_at(r.message->span);
  Doc comments = comments_before(offset_of(r.message->span), false);
  std::vector<Doc> tail;
  if (comments) tail.push_back(comments);
  tail.push_back(hard_line());
  tail.push_back(text("message "));
  tail.push_back(message == TokenIndex::npos ? text("\"\"") : string_token(message));
  return concat({text(head), first_line, nest(2, concat(std::move(tail)))});
}

// ---- tests ----

Doc Builder::test_decl(const void* node) {
  const auto& t = *static_cast<const ast::Test*>(node);
  std::vector<Unit> units;
  for (const auto& p : t.params)
    units.push_back(Unit{offset_of(p.span), false, &p, &Builder::test_param});
  for (const auto& i : t.inputs)
    units.push_back(Unit{offset_of(i.span), false, &i, &Builder::test_input});
  for (const auto& x : t.expectations) {
    units.push_back(Unit{offset_of(x.span), false, &x, &Builder::expectation});
  }
  std::stable_sort(units.begin(), units.end(),
                   [](const Unit& a, const Unit& b) { return a.offset < b.offset; });
  size_t name = tokens_.at(offset_of(t.span)) + 1;
  return braces("test " + std::string(tokens_.token_text(name)), name + 1, units);
}

Doc Builder::test_param(const void* node) {
  const auto& p = *static_cast<const ast::TestParam*>(node);
  return concat({text("param " + p.name + " = "), align(expr(*p.value))});
}

Doc Builder::test_input(const void* node) {
  const auto& in = *static_cast<const ast::TestInput*>(node);
  std::string head = "input ";
  if (in.kind == ast::InputKind::Compose) head += "compose ";
  if (in.kind == ast::InputKind::Inspect) head += "inspect ";
  if (in.is_file) head += "file ";
  size_t t = tokens_.at(offset_of(in.span));
  while (t < tokens_.tokens().size() && tokens_.tokens()[t].kind != TokenKind::String) ++t;
  return concat({text(head), string_token(t)});
}

// `expect [no] deny|warn "ID"` then its options in one order: on, count, message, line.
Doc Builder::expectation(const void* node) {
  const auto& x = *static_cast<const ast::Expectation*>(node);
  std::string out = std::string("expect ") + (x.negated ? "no " : "") +
                    (x.kind == RuleKind::Deny ? "deny " : "warn ") + quoted(x.policy);
  if (x.service) out += " on " + (is_service_word(*x.service) ? *x.service : quoted(*x.service));
  if (x.count) out += " count " + std::to_string(*x.count);
  if (x.message) out += " message " + quoted(*x.message);
  if (x.line) out += " line " + std::to_string(*x.line);
  return text(out);
}

}  // namespace capguard::format_detail
