#pragma once
// The `user` object of a workload: {raw, name, uid, group, gid, is_root}, from compose `user`
// or inspect Config.User ("USER[:GROUP]", each a name or a number).
//
// is_root: true for uid 0 or the name "root"; false for any other number or name; null when no
// user is given (the image's USER applies, which this tool cannot see). The group does not
// decide: "1000:0" runs as uid 1000 (is_root false) with gid 0 (policies can test gid).

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"

namespace capguard::normalize {

// `raw`: the user value or nullptr when absent; an empty string is the same as absent.
Value user_value(const Value* raw, Span fallback, Diagnostics& diags);

}  // namespace capguard::normalize
