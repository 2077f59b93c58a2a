// Policies: metadata (known keys, no duplicates, title and severity required, well-formed values)
// and bodies (for/let scopes, bool rule conditions, `at` and message expressions).

#include <algorithm>

#include <fmt/format.h>

#include "lang/check/checker_context.hpp"
#include "lang/check/checker_expr.hpp"
#include "lang/check/checker_types.hpp"

namespace capguard::checker {

namespace {

const std::vector<std::string>& metadata_keys() {
  static const std::vector<std::string> keys = {
      "title", "severity", "description", "rationale", "remediation", "references", "tags"};
  return keys;
}

const std::vector<std::string>& severity_names() {
  static const std::vector<std::string> names = {"info", "low", "medium", "high", "critical"};
  return names;
}

bool is_string_literal(const ast::Expr& e) {
  const auto* lit = std::get_if<ast::Literal>(&e.node);
  return lit && lit->value.is_string();
}

void check_severity(Context& ctx, const ast::Expr& value) {
  std::string text;
  if (const auto* n = std::get_if<ast::Name>(&value.node)) text = n->name;
  if (const auto* lit = std::get_if<ast::Literal>(&value.node)) {
    if (lit->value.is_string()) text = lit->value.as_string();
  }
  if (text.empty()) {
    ctx.error(value.span, "severity must be one of info, low, medium, high, critical");
    return;
  }
  if (parse_severity(text)) return;
  ctx.error(value.span, fmt::format("unknown severity `{}`{} (one of info, low, medium, high, "
                                    "critical)",
                                    text, did_you_mean_hint(text, severity_names())));
}

void check_metadata_value(Context& ctx, const ast::MetaEntry& entry) {
  if (!entry.value) return;
  const ast::Expr& value = *entry.value;
  if (entry.key == "severity") {
    check_severity(ctx, value);
  } else if (entry.key == "references" || entry.key == "tags") {
    const auto* list = std::get_if<ast::ListLiteral>(&value.node);
    bool ok = list != nullptr;
    if (list) {
      for (const ast::ExprPtr& item : list->items) ok = ok && is_string_literal(*item);
    }
    if (!ok) {
      ctx.error(value.span,
                fmt::format("`{}` must be a list of strings, e.g. [\"CIS 5.4\"]", entry.key));
    }
  } else if (!is_string_literal(value)) {
    ctx.error(value.span, fmt::format("`{}` must be a string", entry.key));
  }
}

void check_metadata(Context& ctx, const ast::Policy& p) {
  std::map<std::string, const ast::MetaEntry*> seen;
  for (const ast::MetaEntry& entry : p.metadata) {
    const auto& keys = metadata_keys();
    if (std::find(keys.begin(), keys.end(), entry.key) == keys.end()) {
      ctx.error(entry.span, fmt::format("unknown metadata `{}`{}", entry.key,
                                        did_you_mean_hint(entry.key, keys)));
      continue;
    }
    auto prev = seen.find(entry.key);
    if (prev != seen.end()) {
      ctx.error(entry.span, fmt::format("duplicate metadata `{}`", entry.key),
                {make_note(prev->second->span, "first given here")});
      continue;
    }
    seen[entry.key] = &entry;
    check_metadata_value(ctx, entry);
  }
  for (const char* required : {"title", "severity"}) {
    if (!seen.count(required)) {
      ctx.error(p.id_span, fmt::format("policy `{}` has no `{}`", p.id, required));
    }
  }
}

void check_body(Context& ctx, size_t module, const ast::Policy& p) {
  std::vector<Diagnostic> out;
  ExprChecker ec(ctx, module, out, ctx.result.modules[module].types);
  bool has_rule = false;
  for (const ast::Clause& clause : p.body) {
    if (const auto* f = std::get_if<ast::ForClause>(&clause.node)) {
      TypePtr elem = ec.iterate(*f->collection, ec.check(*f->collection));
      ec.bind(f->var, f->var_span, elem, f->collection.get());
    } else if (const auto* l = std::get_if<ast::LetClause>(&clause.node)) {
      TypePtr t = ec.check(*l->value);
      ec.bind(l->name, l->name_span, t, l->value.get());
    } else if (const auto* r = std::get_if<ast::Rule>(&clause.node)) {
      has_rule = true;
      std::string kind(rule_kind_name(r->kind));
      ec.check_bool(*r->condition, fmt::format("the condition of `{}`", kind));
      if (r->at) ec.check(*r->at);
      if (r->message) {
        for (const ast::TemplatePart& part : r->message->parts) {
          if (part.expr) ec.check(*part.expr);
        }
      }
    }
  }
  for (Diagnostic& d : out) ctx.emit(std::move(d));
  if (!has_rule)
    ctx.error(p.id_span, fmt::format("policy `{}` has no `deny` or `warn` rule", p.id));
}

}  // namespace

void check_policies(Context& ctx) {
  for (size_t i = 0; i < ctx.modules.size(); ++i) {
    for (const ast::Policy& p : ctx.modules[i].policies) {
      check_metadata(ctx, p);
      check_body(ctx, i, p);
    }
  }
}

}  // namespace capguard::checker
