#include "runtime/documents/normalize/caps_field.hpp"

#include "lang/core/caps.hpp"
#include "runtime/documents/normalize/field_reader.hpp"

namespace capguard::normalize {

namespace {

struct CapList {
  caps::Mask mask = 0;
  bool all = false;
  Span span;
  List entries;  // one caps value per known entry, at the entry's span
};

CapList read_caps(const Value* v, Span fallback, std::string_view field, List& unknown,
                  Diagnostics& diags) {
  CapList out;
  out.span = fallback;
  if (v == nullptr || v->is_null()) return out;
  out.span = v->span();
  auto items = read_string_list(*v, field, diags);
  if (!items) return out;
  for (const Value& item : *items) {
    auto number = caps::parse(item.as_string());
    if (!number) {
      unknown.push_back(item);
    } else if (*number < 0) {
      out.all = true;
      out.entries.push_back(Value::caps(caps::kAll, item.span()));
    } else {
      out.mask |= caps::bit(*number);
      out.entries.push_back(Value::caps(caps::bit(*number), item.span()));
    }
  }
  return out;
}

}  // namespace

Value caps_value(const Value* add, const Value* drop, bool privileged, Span fallback,
                 std::string_view add_field, std::string_view drop_field, Diagnostics& diags) {
  List unknown;
  CapList added = read_caps(add, fallback, add_field, unknown, diags);
  CapList dropped = read_caps(drop, fallback, drop_field, unknown, diags);
  caps::Mask effective =
      caps::effective(privileged, added.mask, added.all, dropped.mask, dropped.all);
  Span unknown_span = unknown.empty() ? fallback : unknown.front().span();
  return Value::map(
      {{"added", Value::caps(added.all ? caps::kAll : added.mask, added.span)},
       {"dropped", Value::caps(dropped.all ? caps::kAll : dropped.mask, dropped.span)},
       {"effective", Value::caps(effective, added.span.known() ? added.span : fallback)},
       {"unknown", Value::list(std::move(unknown), unknown_span)},
       {"added_entries", Value::list(std::move(added.entries), added.span)},
       {"dropped_entries", Value::list(std::move(dropped.entries), dropped.span)}},
      fallback);
}

}  // namespace capguard::normalize
