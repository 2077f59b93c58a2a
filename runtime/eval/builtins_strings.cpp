// String built-ins: lower, upper, starts_with, ends_with, contains, split, join, trim, replace,
// len, string, empty. Strings are UTF-8; case mapping is ASCII-only (capability names, image
// references and paths are ASCII), len counts code points.

#include <bitset>

#include "runtime/eval/builtins_support.hpp"

namespace capguard::builtins_impl {
namespace {

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
char ascii_upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool is_continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

size_t code_points(const std::string& s) {
  size_t count = 0;
  for (char c : s) count += is_continuation(static_cast<unsigned char>(c)) ? 0 : 1;
  return count;
}

// Applies `map` to every byte of the string subject; null stays null.
template <typename Map>
Value map_chars(std::string_view name, const Value* a, Map map) {
  if (a[0].is_null()) return a[0];
  std::string out = string_arg(name, a, 0);
  for (char& c : out) c = map(c);
  return Value::string(std::move(out), a[0].span());
}

// Subject and operand of a two-string predicate; nullptr subject when null.
const std::string* predicate_subject(std::string_view name, const Value* a) {
  if (a[0].is_null()) return nullptr;
  return &string_arg(name, a, 0);
}

}  // namespace

Value lower(const Value* a, size_t) {
  return map_chars("lower", a, ascii_lower);
}
Value upper(const Value* a, size_t) {
  return map_chars("upper", a, ascii_upper);
}

Value starts_with(const Value* a, size_t) {
  const std::string* s = predicate_subject("starts_with", a);
  const std::string& prefix = string_arg("starts_with", a, 1);
  return Value::boolean(s && s->size() >= prefix.size() &&
                        s->compare(0, prefix.size(), prefix) == 0);
}

Value ends_with(const Value* a, size_t) {
  const std::string* s = predicate_subject("ends_with", a);
  const std::string& suffix = string_arg("ends_with", a, 1);
  return Value::boolean(s && s->size() >= suffix.size() &&
                        s->compare(s->size() - suffix.size(), suffix.size(), suffix) == 0);
}

Value contains(const Value* a, size_t) {
  const Value& hay = a[0];
  const Value& needle = a[1];
  switch (hay.kind()) {
    case Kind::Null:
      return Value::boolean(false);
    case Kind::String:
      return Value::boolean(hay.as_string().find(string_arg("contains", a, 1)) !=
                            std::string::npos);
    case Kind::List:
    case Kind::Set:
      for (const Value& item : hay.as_list()) {
        if (item == needle) return Value::boolean(true);
      }
      return Value::boolean(false);
    case Kind::Map:
      return Value::boolean(hay.get(string_arg("contains", a, 1)) != nullptr);
    case Kind::Caps: {
      if (needle.kind() == Kind::Caps) {
        return Value::boolean((needle.as_caps() & ~hay.as_caps()) == 0);
      }
      std::optional<int> cap = caps::parse(string_arg("contains", a, 1));
      if (!cap) return Value::boolean(false);
      caps::Mask want = *cap < 0 ? caps::kAll : caps::bit(*cap);
      return Value::boolean((want & ~hay.as_caps()) == 0);
    }
    default:
      wrong_kind("contains", 0, "a string, list, set, map or caps", hay);
  }
}

Value split(const Value* a, size_t) {
  if (a[0].is_null()) return Value::list({});
  const std::string& s = string_arg("split", a, 0);
  const std::string& sep = string_arg("split", a, 1);
  List parts;
  if (sep.empty()) {  // one item per code point, as Go's strings.Split
    size_t start = 0;
    for (size_t i = 1; i <= s.size(); ++i) {
      if (i == s.size() || !is_continuation(static_cast<unsigned char>(s[i]))) {
        parts.push_back(Value::string(s.substr(start, i - start)));
        start = i;
      }
    }
    return Value::list(std::move(parts), a[0].span());
  }
  size_t start = 0;
  for (size_t at = s.find(sep); at != std::string::npos; at = s.find(sep, start)) {
    parts.push_back(Value::string(s.substr(start, at - start)));
    start = at + sep.size();
  }
  parts.push_back(Value::string(s.substr(start)));
  return Value::list(std::move(parts), a[0].span());
}

std::string too_long() {
  return "the result is longer than " + std::to_string(kMaxStringBytes) + " bytes";
}

Value join(const Value* a, size_t) {
  const std::string& sep = string_arg("join", a, 1);
  if (a[0].is_null()) return Value::string("", a[0].span());
  if (!a[0].is_sequence()) wrong_kind("join", 0, "a list or set", a[0]);
  std::string out;
  bool first = true;
  for (const Value& item : a[0].as_list()) {
    if (!first) out += sep;
    first = false;
    out += item.is_string() ? item.as_string() : to_display(item);
    if (out.size() > kMaxStringBytes) fail("join", too_long());
  }
  return Value::string(std::move(out), a[0].span());
}

Value trim(const Value* a, size_t) {
  if (a[0].is_null()) return a[0];
  const std::string& s = string_arg("trim", a, 0);
  size_t begin = 0, end = s.size();
  while (begin < end && is_space(s[begin])) ++begin;
  while (end > begin && is_space(s[end - 1])) --end;
  if (begin == 0 && end == s.size()) return a[0];
  return Value::string(s.substr(begin, end - begin), a[0].span());
}

Value replace(const Value* a, size_t) {
  const std::string& from = string_arg("replace", a, 1);
  const std::string& to = string_arg("replace", a, 2);
  if (from.empty()) fail("replace", "argument 2 (the text to replace) must not be empty");
  if (a[0].is_null()) return a[0];
  const std::string& s = string_arg("replace", a, 0);
  std::string out;
  size_t start = 0;
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, start)) {
    out.append(s, start, at - start);
    out += to;
    start = at + from.size();
    if (out.size() > kMaxStringBytes) fail("replace", too_long());
  }
  if (start == 0) return a[0];
  out.append(s, start, std::string::npos);
  return Value::string(std::move(out), a[0].span());
}

Value len(const Value* a, size_t) {
  const Value& x = a[0];
  switch (x.kind()) {
    case Kind::Null:
      return Value::integer(0, x.span());
    case Kind::String:
      return Value::integer(static_cast<int64_t>(code_points(x.as_string())), x.span());
    case Kind::List:
    case Kind::Set:
      return Value::integer(static_cast<int64_t>(x.as_list().size()), x.span());
    case Kind::Map:
      return Value::integer(static_cast<int64_t>(x.as_map().size()), x.span());
    case Kind::Caps:
      return Value::integer(static_cast<int64_t>(std::bitset<64>(x.as_caps()).count()), x.span());
    default:
      wrong_kind("len", 0, "a string, list, set, map or caps", x);
  }
}

Value string(const Value* a, size_t) {
  if (a[0].is_string()) return a[0];
  return Value::string(to_display(a[0]), a[0].span());
}

Value empty(const Value* a, size_t) {
  const Value& x = a[0];
  switch (x.kind()) {
    case Kind::Null:
      return Value::boolean(true);
    case Kind::String:
      return Value::boolean(x.as_string().empty());
    case Kind::List:
    case Kind::Set:
      return Value::boolean(x.as_list().empty());
    case Kind::Map:
      return Value::boolean(x.as_map().empty());
    case Kind::Caps:
      return Value::boolean(x.as_caps() == 0);
    default:
      wrong_kind("empty", 0, "null, a string, list, set, map or caps", x);
  }
}

}  // namespace capguard::builtins_impl
