#pragma once
// The embedded standard library's policies, compiled when capguard was built (README.md).

#include <optional>
#include <string_view>
#include <vector>

#include "lang/compile/ir.hpp"
#include "lang/core/diagnostics.hpp"
#include "stdlib-policies/embedded.hpp"

namespace capguard::stdlib {

// The embedded files a policy run compiles: every *.policy file but the *_test.policy ones, in
// path order (cli/common/policy_loading.cpp collects the same ones).
inline std::vector<EmbeddedFile> policy_files() {
  std::vector<EmbeddedFile> out;
  for (const EmbeddedFile& f : embedded_files()) {
    auto ends_with = [&](std::string_view suffix) {
      return f.path.size() >= suffix.size() &&
             f.path.compare(f.path.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (ends_with(".policy") && !ends_with("_test.policy")) out.push_back(f);
  }
  return out;
}

// Registers the sources of policy_files() (add_source, in order) and returns their program, the
// same as compile_policies() over those sources with document_schema() and
// runtime_compile_options() returns (the build checked that it compiles with no diagnostic).
// nullopt, with an error in `diags`, only when the built-in bytes do not load (a broken build).
// With `defer_steps`, the policies' steps stay in the built-in bytes until asked for
// (ir::Program::load_steps); without `policy_texts`, the policies' descriptions, rationales and
// references are left empty (deserialize_program).
std::optional<ir::Program> precompiled_stdlib(Diagnostics& diags, bool defer_steps = false,
                                              bool policy_texts = true);

}  // namespace capguard::stdlib
