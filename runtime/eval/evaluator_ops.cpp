#include "runtime/eval/evaluator_ops.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace capguard::ops {

namespace {

[[noreturn]] void fail(const std::string& message) {
  throw RuntimeError(message);
}

[[noreturn]] void bad_operands(std::string_view op, const Value& a, const Value& b) {
  fail(fmt::format("cannot apply {} to {} and {}", op, kind_name(a.kind()), kind_name(b.kind())));
}

// A capability-like operand: caps, or a name/list of names when the other side is caps.
bool caps_pair(const Value& a, const Value& b) {
  auto caps_like = [](const Value& v) {
    return v.kind() == Kind::Caps || v.is_string() || v.is_sequence() || v.is_null();
  };
  return (a.kind() == Kind::Caps && caps_like(b)) || (b.kind() == Kind::Caps && caps_like(a));
}

ListView items_or_empty(const Value& v) {
  return v.is_null() ? ListView() : v.as_list();
}

bool list_has(ListView items, const Value& v) {
  return std::find(items.begin(), items.end(), v) != items.end();
}

// The result of a list/set operation: a set when the left operand is a set, else a list in the
// order the items were produced.
Value collection_like(const Value& left, List items, Span span) {
  if (left.is_set()) return Value::set(std::move(items), span);
  return Value::list(std::move(items), span);
}

enum class SetOp { Union, Intersect, Difference };

Value set_op(SetOp op, const Value& a, const Value& b, std::string_view name) {
  if (caps_pair(a, b)) {
    caps::Mask x = to_mask(a), y = to_mask(b);
    caps::Mask r = op == SetOp::Union ? (x | y) : op == SetOp::Intersect ? (x & y) : (x & ~y);
    return Value::caps(r, a.span());
  }
  if (!(a.is_sequence() || a.is_null()) || !(b.is_sequence() || b.is_null()) ||
      (a.is_null() && b.is_null())) {
    bad_operands(name, a, b);
  }
  ListView x = items_or_empty(a);
  ListView y = items_or_empty(b);
  // Membership is a linear scan, so the work is the product of the sizes; the step budget counts
  // this operation as one step, so it is bounded here (the same 20M as the default budget).
  constexpr uint64_t kMaxComparisons = 20'000'000;
  if (uint64_t{x.size()} * (x.size() + y.size()) > kMaxComparisons) {
    fail(fmt::format("{} on lists of {} and {} items is too much work (more than {} comparisons)",
                     name, x.size(), y.size(), kMaxComparisons));
  }
  List out;
  out.reserve(x.size() + (op == SetOp::Union ? y.size() : 0));
  for (const Value& v : x) {
    bool in_y = list_has(y, v);
    bool keep = op == SetOp::Union || (op == SetOp::Intersect ? in_y : !in_y);
    if (keep && !list_has(ListView(out.data(), out.size()), v)) out.push_back(v);
  }
  if (op == SetOp::Union) {
    for (const Value& v : y) {
      if (!list_has(ListView(out.data(), out.size()), v)) out.push_back(v);
    }
  }
  return collection_like(a.is_null() ? b : a, std::move(out), a.span());
}

void check_overflow(bool overflow, std::string_view op) {
  if (overflow) fail(fmt::format("integer overflow in {}", op));
}

// Number of a numeric multiplier (int or float) as double.
bool is_scalar_unit(const Value& v) {
  return v.kind() == Kind::Size || v.kind() == Kind::Duration;
}

Value unit_value(Kind k, double amount, std::string_view op) {
  if (!std::isfinite(amount) || std::fabs(amount) > 9.2e18) fail(fmt::format("overflow in {}", op));
  int64_t r = static_cast<int64_t>(amount);
  return k == Kind::Size ? Value::size(r) : Value::duration(r);
}

}  // namespace

[[noreturn]] void not_iterable(const Value& v) {
  fail(fmt::format("cannot iterate over a {}", kind_name(v.kind())));
}

Value entry_value(const MapEntry& e) {
  return Value::map_of_two("key", Value::string(e.first, e.second.span()), "value", e.second,
                           e.second.span());
}

bool as_condition(const Value& v, const char* what) {
  if (!v.is_bool()) fail(fmt::format("{} must be a bool, got {}", what, kind_name(v.kind())));
  return v.as_bool();
}

caps::Mask to_mask(const Value& v) {
  switch (v.kind()) {
    case Kind::Null:
      return 0;
    case Kind::Caps:
      return v.as_caps();
    case Kind::String: {
      std::optional<int> n = caps::parse(v.as_string());
      if (!n) fail(fmt::format("unknown capability \"{}\"", v.as_string()));
      return *n < 0 ? caps::kAll : caps::bit(*n);
    }
    case Kind::List:
    case Kind::Set: {
      caps::Mask m = 0;
      for (const Value& item : v.as_list()) {
        if (!item.is_string() && item.kind() != Kind::Caps) {
          fail(fmt::format("a capability list must hold names, got {}", kind_name(item.kind())));
        }
        m |= to_mask(item);
      }
      return m;
    }
    default:
      fail(fmt::format("expected capabilities, got {}", kind_name(v.kind())));
  }
}

bool equal(const Value& a, const Value& b) {
  if (a.kind() != b.kind() && caps_pair(a, b) && !a.is_null() && !b.is_null()) {
    try {
      return to_mask(a) == to_mask(b);
    } catch (const RuntimeError&) {
      return false;  // a list holding a non-capability equals no caps value
    }
  }
  return a == b;
}

int order(const Value& a, const Value& b, std::string_view op) {
  bool comparable = (a.is_number() && b.is_number()) || (a.is_string() && b.is_string()) ||
                    (is_scalar_unit(a) && a.kind() == b.kind());
  if (!comparable) {
    fail(fmt::format("cannot compare {} with {} using {}", kind_name(a.kind()), kind_name(b.kind()),
                     op));
  }
  return Value::compare(a, b);
}

bool contains(const Value& collection, const Value& item) {
  switch (collection.kind()) {
    case Kind::Null:
      return false;
    case Kind::List:
      for (const Value& v : collection.as_list()) {
        if (equal(v, item)) return true;
      }
      return false;
    case Kind::Set: {
      ListView items = collection.as_list();
      auto it =
          std::lower_bound(items.begin(), items.end(), item,
                           [](const Value& x, const Value& y) { return Value::compare(x, y) < 0; });
      return it != items.end() && *it == item;
    }
    case Kind::Caps: {
      caps::Mask have = collection.as_caps();
      if (item.is_string()) {
        std::optional<int> n = caps::parse(item.as_string());
        if (!n) return false;
        return *n < 0 ? (have & caps::kAll) == caps::kAll : (have & caps::bit(*n)) != 0;
      }
      if (item.kind() == Kind::Caps)
        return item.as_caps() != 0 && (have & item.as_caps()) == item.as_caps();
      fail(fmt::format("cannot test a {} for membership in caps", kind_name(item.kind())));
    }
    case Kind::Map:
      if (!item.is_string()) {
        fail(fmt::format("map keys are strings; cannot look up a {}", kind_name(item.kind())));
      }
      return collection.get(item.as_string()) != nullptr;
    case Kind::String:
      if (!item.is_string()) {
        fail(fmt::format("cannot look for a {} in a string", kind_name(item.kind())));
      }
      return collection.as_string().find(item.as_string()) != std::string::npos;
    default:
      fail(fmt::format("cannot use `in` on a {}", kind_name(collection.kind())));
  }
}

Value set_union(const Value& a, const Value& b) {
  return set_op(SetOp::Union, a, b, "|");
}
Value set_intersect(const Value& a, const Value& b) {
  return set_op(SetOp::Intersect, a, b, "&");
}
Value set_difference(const Value& a, const Value& b) {
  return set_op(SetOp::Difference, a, b, "-");
}

Value add(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    int64_t r = 0;
    check_overflow(__builtin_add_overflow(a.as_int(), b.as_int(), &r), "+");
    return Value::integer(r);
  }
  if (a.is_number() && b.is_number()) return Value::number(a.as_double() + b.as_double());
  if (is_scalar_unit(a) && a.kind() == b.kind()) {
    int64_t r = 0;
    check_overflow(__builtin_add_overflow(a.as_int(), b.as_int(), &r), "+");
    return a.kind() == Kind::Size ? Value::size(r) : Value::duration(r);
  }
  if (a.is_string() && b.is_string()) {
    if (a.as_string().size() + b.as_string().size() > kMaxStringBytes) {
      fail(fmt::format("the string made by + is longer than {} bytes", kMaxStringBytes));
    }
    return Value::string(a.as_string() + b.as_string());
  }
  if (a.is_list() && b.is_list()) {
    if (a.as_list().size() + b.as_list().size() > kMaxListItems) {
      fail(fmt::format("the list made by + has more than {} items", kMaxListItems));
    }
    List out = a.as_list().to_vector();
    out.insert(out.end(), b.as_list().begin(), b.as_list().end());
    return Value::list(std::move(out), a.span());
  }
  if ((a.is_set() && b.is_sequence()) || caps_pair(a, b)) return set_union(a, b);
  bad_operands("+", a, b);
}

Value subtract(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    int64_t r = 0;
    check_overflow(__builtin_sub_overflow(a.as_int(), b.as_int(), &r), "-");
    return Value::integer(r);
  }
  if (a.is_number() && b.is_number()) return Value::number(a.as_double() - b.as_double());
  if (is_scalar_unit(a) && a.kind() == b.kind()) {
    int64_t r = 0;
    check_overflow(__builtin_sub_overflow(a.as_int(), b.as_int(), &r), "-");
    return a.kind() == Kind::Size ? Value::size(r) : Value::duration(r);
  }
  if (caps_pair(a, b) || ((a.is_sequence() || a.is_null()) && (b.is_sequence() || b.is_null()))) {
    return set_difference(a, b);
  }
  bad_operands("-", a, b);
}

Value multiply(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    int64_t r = 0;
    check_overflow(__builtin_mul_overflow(a.as_int(), b.as_int(), &r), "*");
    return Value::integer(r);
  }
  if (a.is_number() && b.is_number()) return Value::number(a.as_double() * b.as_double());
  if (is_scalar_unit(a) && b.is_int()) {
    int64_t r = 0;
    check_overflow(__builtin_mul_overflow(a.as_int(), b.as_int(), &r), "*");
    return a.kind() == Kind::Size ? Value::size(r) : Value::duration(r);
  }
  if (a.is_int() && is_scalar_unit(b)) return multiply(b, a);
  if (is_scalar_unit(a) && b.is_float()) {
    return unit_value(a.kind(), static_cast<double>(a.as_int()) * b.as_float(), "*");
  }
  if (a.is_float() && is_scalar_unit(b)) return multiply(b, a);
  bad_operands("*", a, b);
}

Value divide(const Value& a, const Value& b) {
  auto zero = [](const Value& v) { return v.is_float() ? v.as_float() == 0.0 : v.as_int() == 0; };
  if ((b.is_number() || is_scalar_unit(b)) && zero(b) && (a.is_number() || is_scalar_unit(a))) {
    fail("division by zero");
  }
  if (a.is_int() && b.is_int()) {
    if (a.as_int() == INT64_MIN && b.as_int() == -1) fail("integer overflow in /");
    return Value::integer(a.as_int() / b.as_int());
  }
  if (a.is_number() && b.is_number()) return Value::number(a.as_double() / b.as_double());
  if (is_scalar_unit(a) && b.is_int()) {
    int64_t r = a.as_int() / b.as_int();
    return a.kind() == Kind::Size ? Value::size(r) : Value::duration(r);
  }
  if (is_scalar_unit(a) && b.is_float()) {
    return unit_value(a.kind(), static_cast<double>(a.as_int()) / b.as_float(), "/");
  }
  if (is_scalar_unit(a) && a.kind() == b.kind()) {
    return Value::number(static_cast<double>(a.as_int()) / static_cast<double>(b.as_int()));
  }
  bad_operands("/", a, b);
}

Value modulo(const Value& a, const Value& b) {
  bool ints = a.is_int() && b.is_int();
  bool units = is_scalar_unit(a) && a.kind() == b.kind();
  if (!ints && !units) bad_operands("%", a, b);
  if (b.as_int() == 0) fail("division by zero");
  if (b.as_int() == -1) return ints ? Value::integer(0) : unit_value(a.kind(), 0, "%");
  int64_t r = a.as_int() % b.as_int();
  if (ints) return Value::integer(r);
  return a.kind() == Kind::Size ? Value::size(r) : Value::duration(r);
}

Value negate(const Value& a) {
  if (a.is_float()) return Value::number(-a.as_float());
  if (a.is_int() || is_scalar_unit(a)) {
    if (a.as_int() == INT64_MIN) fail("integer overflow in unary -");
    if (a.is_int()) return Value::integer(-a.as_int());
    return a.kind() == Kind::Size ? Value::size(-a.as_int()) : Value::duration(-a.as_int());
  }
  fail(fmt::format("cannot negate a {}", kind_name(a.kind())));
}

const Value* field(const Value& object, int slot, const std::string& name, bool optional) {
  static const Value null_value;
  if (object.is_map()) {
    const Value* v =
        slot >= 0 ? object.get_slot(static_cast<size_t>(slot), name) : object.get(name);
    return v ? v : &null_value;
  }
  if (object.is_null()) {
    if (optional) return &null_value;
    fail(fmt::format("cannot read .{} of null (use ?. when the value may be missing)", name));
  }
  fail(fmt::format("cannot read .{} of a {}", name, kind_name(object.kind())));
}

Value index(const Value& object, const Value& idx, bool optional) {
  switch (object.kind()) {
    case Kind::Null:
      if (optional) return Value();
      fail("cannot index null (use ?[ when the value may be missing)");
    case Kind::List:
    case Kind::Set: {
      if (!idx.is_int())
        fail(fmt::format("a list index must be an int, got {}", kind_name(idx.kind())));
      ListView items = object.as_list();
      int64_t i = idx.as_int();
      int64_t n = static_cast<int64_t>(items.size());
      if (i < 0) i += n;
      if (i < 0 || i >= n) return Value();
      return items[static_cast<size_t>(i)];
    }
    case Kind::Map: {
      if (!idx.is_string())
        fail(fmt::format("a map key must be a string, got {}", kind_name(idx.kind())));
      const Value* v = object.get(idx.as_string());
      return v ? *v : Value();
    }
    case Kind::String: {
      if (!idx.is_int())
        fail(fmt::format("a string index must be an int, got {}", kind_name(idx.kind())));
      const std::string& s = object.as_string();
      int64_t i = idx.as_int();
      int64_t n = static_cast<int64_t>(s.size());
      if (i < 0) i += n;
      if (i < 0 || i >= n) return Value();
      return Value::string(std::string(1, s[static_cast<size_t>(i)]), object.span());
    }
    default:
      fail(fmt::format("cannot index a {}", kind_name(object.kind())));
  }
}

}  // namespace capguard::ops
