#include "runtime/documents/yaml_scalar.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace capguard {
namespace {

bool is_digit_in_base(char c, int base) {
  if (c >= '0' && c <= '9') return c - '0' < base;
  if (base == 16) return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  return false;
}

// go-yaml's yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool is_yaml_float(const std::string& s) {
  size_t i = 0, n = s.size();
  if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
  size_t int_digits = 0;
  while (i < n && s[i] >= '0' && s[i] <= '9') ++i, ++int_digits;
  size_t frac_digits = 0;
  bool dot = false;
  if (i < n && s[i] == '.') {
    dot = true;
    ++i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i, ++frac_digits;
  }
  if (int_digits == 0 && !(dot && frac_digits > 0)) return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == n;
}

std::optional<double> special_float(const std::string& s) {
  if (s == ".inf" || s == ".Inf" || s == ".INF" || s == "+.inf" || s == "+.Inf" || s == "+.INF")
    return std::numeric_limits<double>::infinity();
  if (s == "-.inf" || s == "-.Inf" || s == "-.INF") return -std::numeric_limits<double>::infinity();
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return std::numeric_limits<double>::quiet_NaN();
  return std::nullopt;
}

std::optional<bool> parse_bool(const std::string& s) {
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  return std::nullopt;
}

bool is_null_text(const std::string& s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

std::optional<double> parse_float(const std::string& text) {
  if (auto special = special_float(text)) return special;
  std::string plain;
  for (char c : text)
    if (c != '_') plain += c;
  if (!is_yaml_float(plain)) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  double d = std::strtod(plain.c_str(), &end);
  if (end != plain.c_str() + plain.size()) return std::nullopt;
  return d;
}

}  // namespace

std::optional<int64_t> parse_go_int(const std::string& text) {
  std::string s;
  for (char c : text)
    if (c != '_') s += c;
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  int base = 10;
  if (i + 1 < s.size() && s[i] == '0') {
    char p = s[i + 1];
    if (p == 'x' || p == 'X') {
      base = 16;
      i += 2;
    } else if (p == 'o' || p == 'O') {
      base = 8;
      i += 2;
    } else if (p == 'b' || p == 'B') {
      base = 2;
      i += 2;
    } else {
      base = 8;  // legacy 0777
      i += 1;
    }
  }
  if (i >= s.size()) return std::nullopt;
  // Accumulate as a negative number so that INT64_MIN fits.
  int64_t value = 0;
  const int64_t min = std::numeric_limits<int64_t>::min();
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (!is_digit_in_base(c, base)) return std::nullopt;
    int digit = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    if (value < (min + digit) / base) return std::nullopt;
    value = value * base - digit;
  }
  if (!negative) {
    if (value == min) return std::nullopt;
    value = -value;
  }
  return value;
}

Value resolve_plain_scalar(const std::string& text, Span span) {
  if (std::optional<Value> typed = resolve_plain_scalar_typed(text, span)) return *typed;
  return Value::string(text, span);
}

std::optional<Value> resolve_plain_scalar_typed(const std::string& text, Span span) {
  if (text.empty()) return Value::null(span);
  char first = text[0];
  // Null and bool words are at most 5 bytes and start with one of these (most scalars do not).
  if (text.size() <= 5 && (first == '~' || first == 'n' || first == 'N' || first == 't' ||
                           first == 'T' || first == 'f' || first == 'F')) {
    if (is_null_text(text)) return Value::null(span);
    if (auto b = parse_bool(text)) return Value::boolean(*b, span);
  }
  bool numeric_start =
      (first >= '0' && first <= '9') || first == '-' || first == '+' || first == '.';
  if (numeric_start) {
    if (auto i = parse_go_int(text)) return Value::integer(*i, span);
    if (auto d = parse_float(text)) return Value::number(*d, span);
  }
  return std::nullopt;
}

std::optional<Value> resolve_tagged_scalar(const std::string& tag, const std::string& text,
                                           Span span) {
  static const std::string kCore = "tag:yaml.org,2002:";
  if (tag == "!") return Value::string(text, span);
  if (tag.compare(0, kCore.size(), kCore) != 0) return resolve_plain_scalar(text, span);
  std::string name = tag.substr(kCore.size());
  if (name == "str") return Value::string(text, span);
  if (name == "null") {
    if (is_null_text(text)) return Value::null(span);
    return std::nullopt;
  }
  if (name == "bool") {
    if (auto b = parse_bool(text)) return Value::boolean(*b, span);
    return std::nullopt;
  }
  if (name == "int") {
    if (auto i = parse_go_int(text)) return Value::integer(*i, span);
    return std::nullopt;
  }
  if (name == "float") {
    if (auto i = parse_go_int(text)) return Value::number(static_cast<double>(*i), span);
    if (auto d = parse_float(text)) return Value::number(*d, span);
    return std::nullopt;
  }
  // Other core tags (!!binary, !!timestamp...): keep the text.
  return Value::string(text, span);
}

}  // namespace capguard
