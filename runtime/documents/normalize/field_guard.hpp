#pragma once
// One model field read at a time, so that a value that cannot be read costs that field only
// (spec/document-model.md, "Values that cannot be read"). For each field of a compose service:
//   - a value that failed interpolation (its error is reported; the value is null) or that a
//     variable set nowhere left empty (`image: ${IMAGE}`: a warning) is not read: the field is
//     unknown. In a list (volumes, ports, security_opt...) only that entry is left out.
//   - a value the reader reports as invalid: its error stands, and names the field not checked;
//     when the value used a variable set nowhere, it is invalid only because of that variable,
//     so the error becomes a warning. The field is unknown, and holds the entries of its lists
//     that read without error on their own, or its default when that still fails.
// The default is what the reader gives for the service without the field's keys. Unknown fields
// are listed, in model order, in the service's `unknown` field, each at the offending value.

#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"
#include "runtime/documents/compose/interpolate.hpp"

namespace capguard::normalize {

class FieldGuard {
 public:
  // `service`: the service mapping; `name`: the service's name, for messages; `unread`: the
  // loader's record (nullptr: none).
  FieldGuard(const Value& service, const std::string& name, const UnreadValues* unread,
             Diagnostics& diags)
      : service_(service), name_(name), unread_(unread), diags_(diags) {}

  using Reader = std::function<Value(const Value& service, Diagnostics& diags)>;

  // The model field `field`, read by `read` from the compose keys `keys`. `empty_is_unknown`:
  // whether a string left empty by an unset variable makes the field unknown (false for maps of
  // free text such as `environment`, where "" is an ordinary value).
  Value read(const char* field, std::initializer_list<const char*> keys, const Reader& read,
             bool empty_is_unknown = true);

  // Marks `field` unknown at `span` (a field computed from another unknown one).
  void mark_unknown(const char* field, Span span);
  bool is_unknown(const char* field) const;

  // The `unknown` field: the names of the unknown fields, each at the span of its value.
  Value unknown_value(Span fallback) const;

 private:
  enum class Mark { None, Failed, Unset, UnsetEmpty };
  // The strongest mark of any scalar under `v`, and the span of the first scalar that has it.
  void scan(const Value& v, Mark& mark, Span& at) const;
  Value without(std::initializer_list<const char*> keys) const;

  const Value& service_;
  const std::string& name_;
  const UnreadValues* unread_;
  Diagnostics& diags_;
  List unknown_;
};

}  // namespace capguard::normalize
