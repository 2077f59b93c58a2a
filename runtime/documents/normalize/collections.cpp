#include "runtime/documents/normalize/collections.hpp"

#include <optional>

#include "runtime/documents/normalize/field_reader.hpp"

namespace capguard::normalize {

Value key_value_map(const Value* v, const char* field, Span fallback, Diagnostics& diags) {
  if (v == nullptr || v->is_null()) return Value::map({}, fallback);
  auto entries = read_key_values(*v, field, diags);
  return Value::map(entries ? std::move(*entries) : Entries{}, v->span());
}

Value environment_map(const Value* v, const char* field, Span fallback, Diagnostics& diags) {
  if (v == nullptr || v->is_null()) return Value::map({}, fallback);
  auto entries = read_key_values(*v, field, diags);
  Entries set;
  if (entries)
    for (Entry& e : *entries)
      if (!e.second.is_null()) set.push_back(std::move(e));
  return Value::map(std::move(set), v->span());
}

namespace {

Value secret(const std::string& source, std::string target, Span s) {
  if (target.empty()) target = source;
  if (target[0] != '/') target = "/run/secrets/" + target;
  return Value::map({{"source", Value::string(source, s)}, {"target", Value::string(target, s)}},
                    s);
}

}  // namespace

Value compose_secrets(const Value* secrets, Span fallback, Diagnostics& diags) {
  if (secrets == nullptr || secrets->is_null()) return Value::list({}, fallback);
  if (!secrets->is_sequence()) {
    type_error(diags, *secrets, "secrets", "a list");
    return Value::list({}, secrets->span());
  }
  List out;
  for (const Value& item : secrets->as_list()) {
    if (item.is_map()) {
      const Value* source = item.get("source");
      if (source == nullptr || source->is_null()) {
        diags.error(item.span(), "secrets: long syntax needs `source`");
        continue;
      }
      auto src = read_string(*source, "secrets.source", diags);
      std::optional<std::string> target = std::string();
      if (const Value* t = item.get("target"); t && !t->is_null()) {
        target = read_string(*t, "secrets.target", diags);
      }
      if (src && target) out.push_back(secret(*src, *target, item.span()));
    } else if (auto name = read_string(item, "secrets", diags)) {
      out.push_back(secret(*name, "", item.span()));
    }
  }
  return Value::list(std::move(out), secrets->span());
}

}  // namespace capguard::normalize
