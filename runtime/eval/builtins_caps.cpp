// Capability built-ins: caps, cap_name, is_capability, unknown_caps, all_caps,
// docker_default_caps, dangerous_caps, effective_caps. Names follow lang/core/caps.hpp: any case,
// optional CAP_ prefix, ALL for every capability. Unknown names never raise: caps() ignores them
// and unknown_caps() lists them, so a policy decides what an unknown name means.

#include "runtime/eval/builtins_support.hpp"

namespace capguard::builtins_impl {
namespace {

// The capabilities named by `x`: a caps value (equal to every capability counts as ALL), one
// string, or a list/set of strings and caps. Null names none. Unknown names are skipped.
struct Named {
  caps::Mask mask = 0;
  bool all = false;
};

void add_name(std::string_view name, size_t index, const Value& item, Named& out) {
  // `all` is ALL (or caps holding every capability); `mask` the capabilities named one by one,
  // which the engine's rule needs apart: `cap_add: [ALL]` minus the drops it names.
  if (item.kind() == Kind::Caps) {
    if (item.as_caps() == caps::kAll) {
      out.all = true;
    } else {
      out.mask |= item.as_caps();
    }
    return;
  }
  if (!item.is_string()) wrong_kind(name, index, "capability names (strings or caps)", item);
  std::optional<int> cap = caps::parse(item.as_string());
  if (!cap) return;
  if (*cap < 0) {
    out.all = true;
  } else {
    out.mask |= caps::bit(*cap);
  }
}

Named named_caps(std::string_view name, const Value* a, size_t index) {
  Named out;
  const Value& x = a[index];
  if (x.is_null()) return out;
  if (x.is_sequence()) {
    for (const Value& item : x.as_list()) add_name(name, index, item, out);
  } else if (x.is_string() || x.kind() == Kind::Caps) {
    add_name(name, index, x, out);
  } else {
    wrong_kind(name, index, "capability names (a list or set of strings, or caps)", x);
  }
  return out;
}

}  // namespace

Value to_caps(const Value* a, size_t) {
  if (a[0].kind() == Kind::Caps) return a[0];
  Named named = named_caps("caps", a, 0);
  return Value::caps(named.all ? caps::kAll : named.mask, a[0].span());
}

Value cap_name(const Value* a, size_t) {
  if (a[0].is_null()) return a[0];
  std::optional<int> cap = caps::parse(string_arg("cap_name", a, 0));
  if (!cap) return Value::null(a[0].span());
  return Value::string(*cap < 0 ? "ALL" : std::string(caps::name(*cap)), a[0].span());
}

Value is_capability(const Value* a, size_t) {
  if (a[0].is_null()) return Value::boolean(false);
  std::optional<int> cap = caps::parse(string_arg("is_capability", a, 0));
  return Value::boolean(cap && *cap >= 0);
}

Value unknown_caps(const Value* a, size_t) {
  const Value& x = a[0];
  List out;
  auto check = [&](const Value& item) {
    if (item.kind() == Kind::Caps) return;
    if (!item.is_string()) wrong_kind("unknown_caps", 0, "capability names (strings)", item);
    if (!caps::parse(item.as_string())) out.push_back(item);
  };
  if (x.is_sequence()) {
    for (const Value& item : x.as_list()) check(item);
  } else if (!x.is_null()) {
    check(x);
  }
  return Value::list(std::move(out), x.span());
}

Value all_caps(const Value*, size_t) {
  return Value::caps(caps::kAll);
}
Value docker_default_caps(const Value*, size_t) {
  return Value::caps(caps::docker_defaults());
}
Value dangerous_caps(const Value*, size_t) {
  return Value::caps(caps::dangerous());
}

Value effective_caps(const Value* a, size_t) {
  const Value& privileged = a[0];
  if (!privileged.is_null() && !privileged.is_bool()) {
    wrong_kind("effective_caps", 0, "a bool", privileged);
  }
  Named added = named_caps("effective_caps", a, 1);
  Named dropped = named_caps("effective_caps", a, 2);
  bool is_privileged = privileged.is_bool() && privileged.as_bool();
  return Value::caps(
      caps::effective(is_privileged, added.mask, added.all, dropped.mask, dropped.all));
}

}  // namespace capguard::builtins_impl
