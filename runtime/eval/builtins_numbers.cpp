// Size, duration and number built-ins: size, duration, to_bytes, to_seconds, int, float, min,
// max, abs, sum. Integer arithmetic is checked: overflow is a RuntimeError, never a wrap.

#include <charconv>
#include <cmath>
#include <limits>

#include "lang/core/units.hpp"
#include "runtime/eval/builtins_support.hpp"

namespace capguard::builtins_impl {
namespace {

constexpr double kTwoTo63 = 9223372036854775808.0;

bool is_orderable(Kind k) {
  return k == Kind::Int || k == Kind::Float || k == Kind::String || k == Kind::Size ||
         k == Kind::Duration;
}

bool comparable(const Value& x, const Value& y) {
  return (x.is_number() && y.is_number()) || x.kind() == y.kind();
}

// min and max: over the arguments, or over the items of a single list/set argument. Returns the
// chosen value itself (with its span); null for an empty or null collection.
Value extreme(std::string_view name, const Value* a, size_t n, bool want_smallest) {
  const Value* items = a;
  size_t count = n;
  if (n == 1) {
    if (a[0].is_null()) return a[0];
    if (a[0].is_sequence()) {
      items = a[0].as_list().data();
      count = a[0].as_list().size();
      if (count == 0) return Value::null(a[0].span());
    }
  }
  const Value* best = &items[0];
  if (!is_orderable(best->kind())) {
    fail(name, std::string("cannot order values of kind ") + kind_name(best->kind()));
  }
  for (size_t k = 1; k < count; ++k) {
    const Value& item = items[k];
    if (!is_orderable(item.kind()) || !comparable(*best, item)) {
      fail(name, std::string("cannot compare ") + kind_name(best->kind()) + " with " +
                     kind_name(item.kind()));
    }
    int c = Value::compare(item, *best);
    if (want_smallest ? c < 0 : c > 0) best = &item;
  }
  return *best;
}

}  // namespace

Value size(const Value* a, size_t) {
  const Value& x = a[0];
  switch (x.kind()) {
    case Kind::Null:
    case Kind::Size:
      return x;
    case Kind::Int:
      if (x.as_int() < 0) fail("size", "a size cannot be negative (" + to_display(x) + ")");
      return Value::size(x.as_int(), x.span());
    case Kind::String: {
      std::string error;
      std::optional<int64_t> bytes = units::parse_size(x.as_string(), error);
      if (!bytes) fail("size", error);
      return Value::size(*bytes, x.span());
    }
    default:
      wrong_kind("size", 0, "a string such as \"256M\", an int of bytes, or a size", x);
  }
}

Value duration(const Value* a, size_t) {
  const Value& x = a[0];
  switch (x.kind()) {
    case Kind::Null:
    case Kind::Duration:
      return x;
    case Kind::Int:
      return Value::duration(x.as_int(), x.span());
    case Kind::String: {
      std::string error;
      std::optional<int64_t> ns = units::parse_duration(x.as_string(), error);
      if (!ns) fail("duration", error);
      return Value::duration(*ns, x.span());
    }
    default:
      wrong_kind("duration", 0, "a string such as \"1m30s\", an int of nanoseconds, or a duration",
                 x);
  }
}

Value to_bytes(const Value* a, size_t) {
  const Value& x = a[0];
  if (x.is_null()) return x;
  if (x.kind() != Kind::Size) wrong_kind("to_bytes", 0, "a size", x);
  return Value::integer(x.as_int(), x.span());
}

Value to_seconds(const Value* a, size_t) {
  const Value& x = a[0];
  if (x.is_null()) return x;
  if (x.kind() != Kind::Duration) wrong_kind("to_seconds", 0, "a duration", x);
  return Value::number(static_cast<double>(x.as_int()) / 1e9, x.span());
}

Value to_int(const Value* a, size_t) {
  const Value& x = a[0];
  switch (x.kind()) {
    case Kind::Null:
    case Kind::Int:
      return x;
    case Kind::Bool:
      return Value::integer(x.as_bool() ? 1 : 0, x.span());
    case Kind::Size:
    case Kind::Duration:
      return Value::integer(x.as_int(), x.span());
    case Kind::Float: {
      double d = std::trunc(x.as_float());
      if (!(d >= -kTwoTo63 && d < kTwoTo63)) {
        fail("int", to_display(x) + " is out of the range of int");
      }
      return Value::integer(static_cast<int64_t>(d), x.span());
    }
    case Kind::String: {
      std::string_view text = x.as_string();
      if (!text.empty() && text[0] == '+') text.remove_prefix(1);
      int64_t out = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
      if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        fail("int", "\"" + x.as_string() + "\" is not an integer");
      }
      return Value::integer(out, x.span());
    }
    default:
      wrong_kind("int", 0, "a number, string, bool, size or duration", x);
  }
}

Value to_float(const Value* a, size_t) {
  const Value& x = a[0];
  switch (x.kind()) {
    case Kind::Null:
    case Kind::Float:
      return x;
    case Kind::Bool:
      return Value::number(x.as_bool() ? 1 : 0, x.span());
    case Kind::Int:
    case Kind::Size:
    case Kind::Duration:
      return Value::number(static_cast<double>(x.as_int()), x.span());
    case Kind::String: {
      std::string_view text = x.as_string();
      if (!text.empty() && text[0] == '+') text.remove_prefix(1);
      double out = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
      if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
          !std::isfinite(out)) {
        fail("float", "\"" + x.as_string() + "\" is not a number");
      }
      return Value::number(out, x.span());
    }
    default:
      wrong_kind("float", 0, "a number, string, bool, size or duration", x);
  }
}

Value min(const Value* a, size_t n) {
  return extreme("min", a, n, true);
}
Value max(const Value* a, size_t n) {
  return extreme("max", a, n, false);
}

Value abs(const Value* a, size_t) {
  const Value& x = a[0];
  switch (x.kind()) {
    case Kind::Null:
      return x;
    case Kind::Float:
      return Value::number(std::fabs(x.as_float()), x.span());
    case Kind::Int:
    case Kind::Size:
    case Kind::Duration: {
      int64_t i = x.as_int();
      if (i == std::numeric_limits<int64_t>::min()) fail("abs", "integer overflow");
      if (i >= 0) return x;
      if (x.kind() == Kind::Int) return Value::integer(-i, x.span());
      return x.kind() == Kind::Size ? Value::size(-i, x.span()) : Value::duration(-i, x.span());
    }
    default:
      wrong_kind("abs", 0, "a number, size or duration", x);
  }
}

// sum(xs) or sum(xs, start): `start` is added first, so sum(limits, 0B) is a size even when
// `limits` is empty (an empty sum without start is the int 0).
Value sum(const Value* a, size_t n) {
  const Value& xs = a[0];
  if (!xs.is_null() && !xs.is_sequence()) wrong_kind("sum", 0, "a list or set", xs);
  List items;
  if (n > 1) items.push_back(a[1]);
  if (xs.is_sequence()) items.insert(items.end(), xs.as_list().begin(), xs.as_list().end());
  if (items.empty()) return Value::integer(0, xs.span());
  Kind kind = items[0].kind();
  int64_t total = 0;
  double float_total = 0;
  bool overflow = false;  // of the integer total; irrelevant once a float makes the sum a float
  for (const Value& item : items) {
    Kind k = item.kind();
    if (k != Kind::Int && k != Kind::Float && k != Kind::Size && k != Kind::Duration) {
      fail("sum", std::string("cannot add values of kind ") + kind_name(k));
    }
    bool numbers = (kind == Kind::Int || kind == Kind::Float) && item.is_number();
    if (!numbers && k != kind) {
      fail("sum", std::string("cannot add ") + kind_name(k) + " to " + kind_name(kind));
    }
    if (k == Kind::Float) kind = Kind::Float;
    float_total += item.as_double();
    if (k != Kind::Float && __builtin_add_overflow(total, item.as_int(), &total)) {
      overflow = true;
    }
  }
  if (overflow && kind != Kind::Float) fail("sum", "integer overflow");
  switch (kind) {
    case Kind::Float:
      return Value::number(float_total, xs.span());
    case Kind::Size:
      return Value::size(total, xs.span());
    case Kind::Duration:
      return Value::duration(total, xs.span());
    default:
      return Value::integer(total, xs.span());
  }
}

}  // namespace capguard::builtins_impl
