#pragma once
// A compiled ir::Program as bytes, and back: how the embedded standard library is compiled when
// capguard is built instead of at every start (stdlib-policies/program/). The bytes hold
// everything the compiler produced except what is rebuilt on loading from the bytes themselves:
// interned field keys (intern_key of the field name) and precompiled regexes (compiled again
// from their constant pattern with the same CompileOptions::compile_regex). Spans name their file
// by position in `files`, so the program can be loaded into a process whose FileIds differ.
//
// The format is private to one build (a version number guards against mixing builds; nothing
// reads bytes written by another build of capguard).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lang/compile/compiler_options.hpp"
#include "lang/compile/ir.hpp"
#include "lang/core/types.hpp"

namespace capguard {

// The bytes of `program`, whose spans point into `files` (or nowhere). Throws
// std::invalid_argument when a span names a file not in `files`.
std::string serialize_program(const ir::Program& program, const std::vector<FileId>& files);

// The program of `bytes`, with span file i mapped to files[i]; object types of params are looked
// up by name in `schema`. nullopt when the bytes are not a program of this build's format (with
// the reason in `error`). With `defer_steps`, the policies' steps are left in the bytes:
// Program::load_steps reads one policy's when asked (ir::steps_of); `bytes` and `schema` must
// then outlive the program. Without `policy_texts`, the policies' descriptions, rationales and
// references are left empty (a check whose report does not print them: all but SARIF).
std::optional<ir::Program> deserialize_program(std::string_view bytes,
                                               const std::vector<FileId>& files,
                                               const Schema& schema, const CompileOptions& options,
                                               std::string& error, bool defer_steps = false,
                                               bool policy_texts = true);
// The same with the schema got from `schema()` only when a param's type names an object (the
// standard library's params name none: a check does not build the document schema).
std::optional<ir::Program> deserialize_program(std::string_view bytes,
                                               const std::vector<FileId>& files,
                                               const Schema& (*schema)(),
                                               const CompileOptions& options, std::string& error,
                                               bool defer_steps = false, bool policy_texts = true);

}  // namespace capguard
