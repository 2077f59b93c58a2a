#include "runtime/documents/normalize/user_field.hpp"

#include <optional>
#include <string>

#include "runtime/documents/normalize/field_reader.hpp"

namespace capguard::normalize {

namespace {

// The numeric id of a user or group part: a number, or 0 for the name "root".
std::optional<int64_t> numeric_id(const std::string& part) {
  if (part == "root") return 0;
  if (auto n = parse_int(part); n && *n >= 0) return n;
  return std::nullopt;
}

Value text_or_null(const std::string& s, Span span) {
  return s.empty() ? Value::null(span) : Value::string(s, span);
}

Value id_or_null(const std::string& part, Span span) {
  auto id = numeric_id(part);
  return id ? Value::integer(*id, span) : Value::null(span);
}

}  // namespace

Value user_value(const Value* raw, Span fallback, Diagnostics& diags) {
  std::optional<std::string> text;
  Span span = fallback;
  if (raw != nullptr && !raw->is_null()) {
    span = raw->span();
    text = read_string(*raw, "user", diags);
  }
  if (!text || text->empty()) {
    Value n = Value::null(span);
    return Value::map(
        {{"raw", n}, {"name", n}, {"uid", n}, {"group", n}, {"gid", n}, {"is_root", n}}, span);
  }
  size_t colon = text->find(':');
  std::string name = text->substr(0, colon);
  std::string group = colon == std::string::npos ? "" : text->substr(colon + 1);
  Value is_root = Value::null(span);
  if (!name.empty()) {
    auto uid = numeric_id(name);
    is_root = Value::boolean(uid && *uid == 0, span);
  }
  return Value::map({{"raw", Value::string(*text, span)},
                     {"name", text_or_null(name, span)},
                     {"uid", id_or_null(name, span)},
                     {"group", text_or_null(group, span)},
                     {"gid", id_or_null(group, span)},
                     {"is_root", is_root}},
                    span);
}

}  // namespace capguard::normalize
