#pragma once
// The standard library compiled once per test binary, for unit tests that evaluate it. A compile
// failure fails the test that first asks (with the diagnostics shown). Header-only: shared by the
// unit-test areas (each its own binary).

#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "lang/compile/ir.hpp"
#include "lang/compile/pipeline.hpp"
#include "lang/core/diagnostics.hpp"
#include "runtime/documents/document_schema.hpp"
#include "runtime/eval/evaluator.hpp"
#include "stdlib-policies/embedded.hpp"

namespace capguard::testing {

inline const ir::Program& stdlib_program() {
  static const ir::Program program = [] {
    Diagnostics diags;
    std::vector<FileId> files;
    for (const stdlib::EmbeddedFile& f : stdlib::embedded_files()) {
      files.push_back(add_source(std::string(f.path), std::string(f.text)));
    }
    std::optional<ir::Program> p =
        compile_policies(files, document_schema(), diags, runtime_compile_options());
    INFO(render(diags));
    REQUIRE(p);
    return std::move(*p);
  }();
  return program;
}

}  // namespace capguard::testing
