#pragma once
// What the harnesses share: the standard library compiled once per process, a fixed input
// document, and a way to run one expression the way `capguard eval` does (wrapped as the `let` of
// a policy, so it is checked and compiled exactly as inside a policy).

#include <cstddef>
#include <cstdint>
#include <string>

#include "lang/compile/ir.hpp"
#include "lang/core/diagnostics.hpp"
#include "lang/core/source.hpp"
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

// Frees what one input registered in the process-wide source registry (lang/core/source.hpp), so
// that a long run does not grow without bound and LeakSanitizer sees what one input keeps.
// Construct it after the harness's static state (stdlib_program(), sample_document()) exists and
// before anything that registers a source; it must outlive every value, diagnostic and program
// made from the input (declare it first).
class SourceScope {
 public:
  SourceScope() : mark_(source_count()) {}
  ~SourceScope() { truncate_sources(mark_); }
  SourceScope(const SourceScope&) = delete;
  SourceScope& operator=(const SourceScope&) = delete;

 private:
  size_t mark_;
};

// The fuzzer's bytes as a string (may hold NULs and invalid UTF-8).
inline std::string as_text(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

}  // namespace capguard::fuzz
