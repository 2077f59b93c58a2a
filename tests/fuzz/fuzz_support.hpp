#pragma once
// What the harnesses share: the standard library compiled once per process, a fixed input
// document, and a way to run one expression the way `capguard eval` does (wrapped as the `let` of
// a policy, so it is checked and compiled exactly as inside a policy).

#include <cstddef>
#include <cstdint>
#include <string>

#include "lang/compile/ir.hpp"
#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"

namespace capguard::fuzz {

// The embedded standard library, parsed, checked and compiled on first use. Aborts when the
// standard library itself does not compile (a harness would test nothing).
const ir::Program& stdlib_program();

// The default value of every param of `program`.
std::vector<Value> default_params(const ir::Program& program);

// A small normalized compose document {"input": ..., "services": [...]} to evaluate against.
const Value& sample_document();

// Parses `text` as one expression, checks, compiles and evaluates it against sample_document().
// Errors are diagnostics or runtime errors; the result is discarded. Returns true when it
// produced a value.
bool run_expression(const std::string& text, Diagnostics& diags);

// The fuzzer's bytes as a string (may hold NULs and invalid UTF-8).
inline std::string as_text(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

}  // namespace capguard::fuzz
