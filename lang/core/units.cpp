#include "lang/core/units.hpp"

#include <limits>

namespace capguard::units {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

char lower_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// A decimal number at the front of `text`: digits, optionally '.' and more digits, at least one
// digit in all. Consumes it from `text`. `whole` saturates at overflow (reported via `overflow`);
// `fraction` is the value of the digits after the point, in [0, 1).
struct Decimal {
  uint64_t whole = 0;
  double fraction = 0;
  bool overflow = false;
};

std::optional<Decimal> take_decimal(std::string_view& text) {
  Decimal d;
  size_t i = 0;
  size_t digits = 0;
  while (i < text.size() && is_digit(text[i])) {
    uint64_t digit = static_cast<uint64_t>(text[i] - '0');
    if (d.whole > (std::numeric_limits<uint64_t>::max() - digit) / 10) d.overflow = true;
    if (!d.overflow) d.whole = d.whole * 10 + digit;
    ++i;
    ++digits;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    double scale = 0.1;
    while (i < text.size() && is_digit(text[i])) {
      d.fraction += (text[i] - '0') * scale;
      scale /= 10;
      ++i;
      ++digits;
    }
  }
  if (digits == 0) return std::nullopt;
  text.remove_prefix(i);
  return d;
}

std::string quoted(std::string_view text) {
  std::string out = "\"";
  out.append(text);
  out += '"';
  return out;
}

}  // namespace

std::optional<int64_t> size_unit(std::string_view suffix) {
  if (suffix.empty()) return 1;
  char first = lower_ascii(suffix[0]);
  int64_t multiplier = 0;
  switch (first) {
    case 'b':
      return suffix.size() == 1 ? std::optional<int64_t>(1) : std::nullopt;
    case 'k':
      multiplier = int64_t{1} << 10;
      break;
    case 'm':
      multiplier = int64_t{1} << 20;
      break;
    case 'g':
      multiplier = int64_t{1} << 30;
      break;
    case 't':
      multiplier = int64_t{1} << 40;
      break;
    case 'p':
      multiplier = int64_t{1} << 50;
      break;
    default:
      return std::nullopt;
  }
  std::string_view rest = suffix.substr(1);
  if (!rest.empty() && lower_ascii(rest[0]) == 'i') rest.remove_prefix(1);
  if (!rest.empty() && lower_ascii(rest[0]) == 'b') rest.remove_prefix(1);
  if (!rest.empty()) return std::nullopt;
  return multiplier;
}

std::optional<int64_t> duration_unit(std::string_view suffix) {
  constexpr int64_t kMicro = 1000;
  if (suffix == "ns") return 1;
  if (suffix == "us" || suffix == "\xC2\xB5s" || suffix == "\xCE\xBCs") return kMicro;
  if (suffix == "ms") return kMicro * 1000;
  if (suffix == "s") return kMicro * 1000 * 1000;
  if (suffix == "m") return kMicro * 1000 * 1000 * 60;
  if (suffix == "h") return kMicro * 1000 * 1000 * 3600;
  return std::nullopt;
}

std::optional<int64_t> parse_size(std::string_view text, std::string& error) {
  std::string_view rest = text;
  std::optional<Decimal> number = take_decimal(rest);
  if (!number) {
    error = "invalid size " + quoted(text) + ": expected a number such as 256M or 1.5GiB";
    return std::nullopt;
  }
  if (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);  // go-units allows one space
  std::optional<int64_t> multiplier = size_unit(rest);
  if (!multiplier) {
    error = "invalid size " + quoted(text) + ": unknown unit " + quoted(rest) +
            " (expected b, k, m, g, t or p, optionally followed by i and b)";
    return std::nullopt;
  }
  constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  uint64_t mul = static_cast<uint64_t>(*multiplier);
  double fractional_bytes = number->fraction * static_cast<double>(mul);
  if (number->overflow || number->whole > kMax / mul ||
      static_cast<double>(number->whole * mul) + fractional_bytes >= 9.2233720368547758e18) {
    error = "invalid size " + quoted(text) + ": too large";
    return std::nullopt;
  }
  return static_cast<int64_t>(number->whole * mul) + static_cast<int64_t>(fractional_bytes);
}

std::optional<int64_t> parse_size(std::string_view text) {
  std::string error;
  return parse_size(text, error);
}

// Go's time.ParseDuration: [-+]? ( decimal unit )+ , or "0". Whole parts are summed exactly in
// integers; fractions are scaled by their unit and truncated, as Go does.
std::optional<int64_t> parse_duration(std::string_view text, std::string& error) {
  auto fail = [&](const std::string& why) {
    error = "invalid duration " + quoted(text) + ": " + why;
    return std::nullopt;
  };
  std::string_view rest = text;
  bool negative = false;
  if (!rest.empty() && (rest[0] == '-' || rest[0] == '+')) {
    negative = rest[0] == '-';
    rest.remove_prefix(1);
  }
  if (rest == "0") return 0;
  if (rest.empty()) return fail("expected a number and a unit such as 30s or 1m30s");
  constexpr uint64_t kLimit = uint64_t{1} << 63;  // |min int64|
  uint64_t total = 0;
  while (!rest.empty()) {
    std::optional<Decimal> number = take_decimal(rest);
    if (!number) return fail("expected a number before the unit");
    size_t unit_len = 0;
    while (unit_len < rest.size() && rest[unit_len] != '.' && !is_digit(rest[unit_len])) {
      ++unit_len;
    }
    std::string_view unit_text = rest.substr(0, unit_len);
    if (unit_text.empty()) return fail("missing unit (ns, us, ms, s, m or h)");
    std::optional<int64_t> unit = duration_unit(unit_text);
    if (!unit)
      return fail("unknown unit " + quoted(unit_text) + " (expected ns, us, ms, s, m or h)");
    rest.remove_prefix(unit_len);
    uint64_t per = static_cast<uint64_t>(*unit);
    if (number->overflow || number->whole > kLimit / per) return fail("too large");
    uint64_t part = number->whole * per + static_cast<uint64_t>(number->fraction * per);
    if (part > kLimit || total > kLimit - part) return fail("too large");
    total += part;
  }
  if (negative)
    return total == kLimit ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(total);
  if (total == kLimit) return fail("too large");
  return static_cast<int64_t>(total);
}

std::optional<int64_t> parse_duration(std::string_view text) {
  std::string error;
  return parse_duration(text, error);
}

}  // namespace capguard::units
