#pragma once
// The `caps` object of a workload from cap_add / cap_drop (compose) or CapAdd / CapDrop
// (inspect): {added, dropped, effective, unknown, added_entries, dropped_entries}. Names match
// case-insensitively with or without CAP_; ALL expands to every capability; `effective` follows
// Docker's rules (lang/core/caps.hpp caps::effective). Entries that are not capabilities are kept,
// as written, in `unknown` so that a policy can flag the typo (Docker itself would refuse to
// start). `added_entries` / `dropped_entries` hold each known entry as its own one-capability set
// (ALL: every capability) at the entry's span, in the order written, so that a policy can report
// the exact line of the offending entry.

#include <string_view>

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"

namespace capguard::normalize {

// `add` / `drop`: the raw list values or nullptr when absent (null is absent too). `fallback`:
// the span used for a value the input does not give (the service's key). Wrong types are
// reported under the field names `add_field` / `drop_field`.
Value caps_value(const Value* add, const Value* drop, bool privileged, Span fallback,
                 std::string_view add_field, std::string_view drop_field, Diagnostics& diags);

}  // namespace capguard::normalize
