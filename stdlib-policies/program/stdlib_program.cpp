#include "stdlib-policies/program/stdlib_program.hpp"

#include <fmt/format.h>

#include "lang/compile/ir_serialize.hpp"
#include "runtime/documents/document_schema.hpp"
#include "runtime/eval/evaluator.hpp"

namespace capguard::stdlib {

// Written by precompile.cpp into the build folder (stdlib_program_data.cpp).
extern const unsigned char kProgramBytes[];
extern const size_t kProgramSize;

std::optional<ir::Program> precompiled_stdlib(Diagnostics& diags, bool defer_steps,
                                              bool policy_texts) {
  std::vector<FileId> ids;
  for (const EmbeddedFile& f : policy_files()) {
    ids.push_back(add_static_source(std::string(f.path), f.text));
  }
  std::string error;
  std::optional<ir::Program> program = deserialize_program(
      std::string_view(reinterpret_cast<const char*>(kProgramBytes), kProgramSize), ids,
      &document_schema, runtime_compile_options(), error, defer_steps, policy_texts);
  if (!program) {
    diags.file_error("capguard",
                     fmt::format("the built-in standard library does not load: {}", error));
  }
  return program;
}

}  // namespace capguard::stdlib
