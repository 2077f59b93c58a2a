#pragma once
// The IR as readable text (`capguard compile --dump-ir`), documented in spec/ir.md. Expressions
// print as S-expressions, one policy step per line, prefixed by the policy line it came from.

#include <string>

#include "lang/compile/ir.hpp"

namespace capguard::ir {

// A constant as the dump shows it: JSON for scalars and strings, 256MiB for sizes, 1m30s for
// durations, caps[NET_ADMIN, CHOWN] for caps, [..] lists, {..} sets, {"k": v} maps.
std::string constant_text(const Value& v);
// One expression, e.g. (eq (field privileged @3 (local %0 s)) true).
std::string dump_expr(const Expr& e);
// The whole program.
std::string dump_program(const Program& p);

}  // namespace capguard::ir
