#include "runtime/documents/normalize/field_guard.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace capguard::normalize {

void FieldGuard::scan(const Value& v, Mark& mark, Span& at) const {
  if (v.is_list()) {
    for (const Value& item : v.as_list()) scan(item, mark, at);
    return;
  }
  if (v.is_map()) {
    for (const auto& e : v.as_map()) scan(e.second, mark, at);
    return;
  }
  Mark m = Mark::None;
  if (unread_->failed(v.span())) {
    m = Mark::Failed;
  } else if (unread_->unset(v.span())) {
    m = v.is_string() && v.as_string().empty() ? Mark::UnsetEmpty : Mark::Unset;
  }
  // Failed beats an empty unset value, which beats an unset one.
  auto rank = [](Mark x) {
    return x == Mark::Failed ? 3 : x == Mark::UnsetEmpty ? 2 : x == Mark::Unset ? 1 : 0;
  };
  if (rank(m) > rank(mark)) {
    mark = m;
    at = v.span();
  }
}

Value FieldGuard::without(std::initializer_list<const char*> keys) const {
  Entries kept;
  for (const auto& e : service_.as_map()) {
    if (std::find_if(keys.begin(), keys.end(), [&](const char* k) { return e.first == k; }) ==
        keys.end()) {
      kept.push_back(e);
    }
  }
  return Value::map_unique(std::move(kept), service_.span());
}

namespace {

// `service` with `key` set to `value` (nullptr: removed).
Value with_key(const Value& service, const std::string& key, const Value* value) {
  Entries out;
  bool found = false;
  for (const auto& e : service.as_map()) {
    if (e.first != key) {
      out.push_back(e);
    } else if (value != nullptr) {
      out.emplace_back(e.first, *value);
      found = true;
    }
  }
  if (!found && value != nullptr) out.emplace_back(key, *value);
  return Value::map_unique(std::move(out), service.span());
}

}  // namespace

Value FieldGuard::read(const char* field, std::initializer_list<const char*> keys,
                       const Reader& reader, bool empty_is_unknown) {
  // 1. Values whose text is not known are taken out before reading: a list entry alone, any
  //    other value with its whole key.
  Value svc = service_;
  if (unread_ != nullptr && !unread_->empty()) {
    for (const char* k : keys) {
      const Value* v = svc.get(k);
      if (v == nullptr) continue;
      auto unknown_at = [&](const Value& x, Span& at) {
        Mark mark = Mark::None;
        scan(x, mark, at);
        if (mark == Mark::UnsetEmpty && empty_is_unknown) {
          diags_.warning(at, fmt::format("{} of service {} is unknown: its value depends on a "
                                         "variable that is not set; policies reading it do not "
                                         "check it",
                                         field, name_));
        }
        return mark == Mark::Failed || (mark == Mark::UnsetEmpty && empty_is_unknown);
      };
      Span at;
      if (v->is_list()) {
        List kept;
        for (const Value& item : v->as_list()) {
          if (unknown_at(item, at)) {
            mark_unknown(field, at);
          } else {
            kept.push_back(item);
          }
        }
        if (kept.size() != v->as_list().size()) {
          Value list = Value::list(std::move(kept), v->span());
          svc = with_key(svc, k, &list);
        }
      } else if (unknown_at(*v, at)) {
        mark_unknown(field, at);
        svc = with_key(svc, k, nullptr);
      }
    }
  }
  Diagnostics found;
  Value out = reader(svc, found);
  if (!found.has_errors()) {
    diags_.append(found);
    return out;
  }
  // 2. An invalid value: its error stands (a warning when the value used an unset variable: it
  //    is invalid only because of that variable), and the field is unknown.
  for (Diagnostic d : found.all()) {
    if (d.level == DiagLevel::Error) {
      mark_unknown(field, d.span);
      if (unread_ != nullptr && unread_->unset(d.span)) {
        d.level = DiagLevel::Warning;
        d.message = fmt::format(
            "{} of service {} is unknown: its value depends on a variable "
            "that is not set ({}); policies reading it do not check it",
            field, name_, d.message);
      } else {
        d.message += fmt::format(" (service {}: {} not checked)", name_, field);
      }
    }
    diags_.add(std::move(d));
  }
  // 3. The entries of list values that read without error on their own are kept; with them
  //    still failing, the field holds its default.
  Diagnostics ignored;
  Value kept_svc = svc;
  Value base = without(keys);  // an entry is tried alone, without the field's other keys
  for (const char* k : keys) {
    const Value* v = kept_svc.get(k);
    if (v == nullptr || !v->is_list()) continue;
    List kept;
    for (const Value& item : v->as_list()) {
      Value one = Value::list({item}, v->span());
      Diagnostics alone;
      reader(with_key(base, k, &one), alone);
      if (!alone.has_errors()) kept.push_back(item);
    }
    Value list = Value::list(std::move(kept), v->span());
    kept_svc = with_key(kept_svc, k, &list);
  }
  Diagnostics again;
  out = reader(kept_svc, again);
  if (!again.has_errors()) return out;
  return reader(without(keys), ignored);
}

void FieldGuard::mark_unknown(const char* field, Span span) {
  if (!is_unknown(field)) unknown_.push_back(Value::string(field, span));
}

bool FieldGuard::is_unknown(const char* field) const {
  return std::any_of(unknown_.begin(), unknown_.end(),
                     [&](const Value& v) { return v.as_string() == field; });
}

Value FieldGuard::unknown_value(Span fallback) const {
  return Value::list(unknown_, fallback);
}

}  // namespace capguard::normalize
