#include "runtime/documents/normalize/field_reader.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "lang/core/units.hpp"

namespace capguard::normalize {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string describe(const Value& v) {
  switch (v.kind()) {
    case Kind::List:
    case Kind::Set:
      return "a list";
    case Kind::Map:
      return "a mapping";
    case Kind::Null:
      return "null";
    case Kind::String:
      return "string " + to_json_text(v);
    default:
      return std::string(kind_name(v.kind())) + " " + to_json_text(v);
  }
}

void type_error(Diagnostics& diags, const Value& v, std::string_view field, std::string_view what) {
  diags.error(v.span(), fmt::format("{}: expected {}, got {}", field, what, describe(v)));
}

std::optional<bool> parse_go_bool(std::string_view t) {
  if (t == "1" || t == "t" || t == "T" || t == "TRUE" || t == "true" || t == "True") return true;
  if (t == "0" || t == "f" || t == "F" || t == "FALSE" || t == "false" || t == "False") {
    return false;
  }
  return std::nullopt;
}

std::optional<bool> read_bool(const Value& v, std::string_view field, Diagnostics& diags) {
  if (v.is_bool()) return v.as_bool();
  if (v.is_string()) {
    std::string t = lower(v.as_string());
    if (t == "y" || t == "yes" || t == "true" || t == "on") return true;
    if (t == "n" || t == "no" || t == "false" || t == "off") return false;
  }
  type_error(diags, v, field, "a boolean");
  return std::nullopt;
}

std::optional<int64_t> parse_int(std::string_view text) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  int64_t out = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return out;
}

std::optional<int64_t> read_int(const Value& v, std::string_view field, Diagnostics& diags) {
  if (v.is_int()) return v.as_int();
  // Whole floats in int64's range (inf, nan and 1e300 are not integers here).
  if (v.is_float() && std::floor(v.as_float()) == v.as_float() &&
      v.as_float() >= -9223372036854775808.0 && v.as_float() < 9223372036854775808.0) {
    return static_cast<int64_t>(v.as_float());
  }
  if (v.is_string()) {
    if (auto i = parse_int(v.as_string())) return i;
  }
  type_error(diags, v, field, "an integer");
  return std::nullopt;
}

std::optional<double> read_number(const Value& v, std::string_view field, Diagnostics& diags) {
  if (v.is_number()) return v.as_double();
  if (v.is_string() && !v.as_string().empty()) {
    const std::string& s = v.as_string();
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (end == s.c_str() + s.size() && std::isfinite(d)) return d;
  }
  type_error(diags, v, field, "a number");
  return std::nullopt;
}

std::optional<std::string> scalar_text(const Value& v) {
  switch (v.kind()) {
    case Kind::String:
      return v.as_string();
    case Kind::Bool:
      return std::string(v.as_bool() ? "true" : "false");
    case Kind::Int:
    case Kind::Float:
      return to_json_text(v);
    default:
      return std::nullopt;
  }
}

std::optional<std::string> read_string(const Value& v, std::string_view field, Diagnostics& diags) {
  if (auto t = scalar_text(v)) return t;
  type_error(diags, v, field, "a string");
  return std::nullopt;
}

std::optional<int64_t> read_size(const Value& v, std::string_view field, Diagnostics& diags) {
  if (v.is_int() && v.as_int() >= 0) return v.as_int();
  if (v.is_string()) {
    std::string error;
    if (auto bytes = units::parse_size(v.as_string(), error)) return bytes;
    diags.error(v.span(), fmt::format("{}: {}", field, error));
    return std::nullopt;
  }
  type_error(diags, v, field, "a size such as \"256m\"");
  return std::nullopt;
}

std::optional<int64_t> read_duration(const Value& v, std::string_view field, Diagnostics& diags) {
  if (v.is_int()) return v.as_int();
  if (v.is_string()) {
    std::string error;
    if (auto ns = units::parse_duration(v.as_string(), error)) return ns;
    diags.error(v.span(), fmt::format("{}: {}", field, error));
    return std::nullopt;
  }
  type_error(diags, v, field, "a duration such as \"30s\"");
  return std::nullopt;
}

std::optional<std::vector<Value>> read_string_list(const Value& v, std::string_view field,
                                                   Diagnostics& diags, bool allow_single) {
  if (allow_single && v.is_string()) return std::vector<Value>{v};
  if (!v.is_sequence()) {
    type_error(diags, v, field, allow_single ? "a string or a list" : "a list");
    return std::nullopt;
  }
  std::vector<Value> out;
  for (const Value& item : v.as_list()) {
    if (auto t = scalar_text(item)) {
      out.push_back(Value::string(*t, item.span()));
    } else {
      type_error(diags, item, field, "a list of strings");
    }
  }
  return out;
}

std::optional<Entries> read_key_values(const Value& v, std::string_view field, Diagnostics& diags) {
  Entries out;
  if (v.is_map()) {
    for (const auto& [key, value] : v.as_map()) {
      if (value.is_null() || value.is_string()) {
        out.emplace_back(key, value);  // a string is shared, not copied
      } else if (auto t = scalar_text(value)) {
        out.emplace_back(key, Value::string(*t, value.span()));
      } else {
        type_error(diags, value, fmt::format("{}.{}", field, key), "a string");
      }
    }
    return out;
  }
  if (v.is_sequence()) {
    for (const Value& item : v.as_list()) {
      auto t = scalar_text(item);
      if (!t) {
        type_error(diags, item, field, "\"KEY=VALUE\" strings");
        continue;
      }
      size_t eq = t->find('=');
      if (eq == std::string::npos) {
        out.emplace_back(*t, Value::null(item.span()));
      } else {
        out.emplace_back(t->substr(0, eq), Value::string(t->substr(eq + 1), item.span()));
      }
    }
    return out;
  }
  type_error(diags, v, field, "a mapping or a list of \"KEY=VALUE\"");
  return std::nullopt;
}

}  // namespace capguard::normalize
