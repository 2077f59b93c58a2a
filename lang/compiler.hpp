#pragma once
// The compiler: checked modules -> ir::Program (lang/ir.hpp).
//
// A list of small passes (lang/compiler_passes.hpp), composed in one visible place
// (lang/compiler.cpp): lower (names to slots, fields to slot indices, functions inlined),
// fold constants, compile constant regexes, materialize param defaults and test values.
// Most callers want lang/pipeline.hpp, which parses and checks first.

#include <optional>
#include <vector>

#include "lang/ast.hpp"
#include "lang/checker.hpp"
#include "lang/compiler_options.hpp"
#include "lang/diagnostics.hpp"
#include "lang/ir.hpp"

namespace capguard {

// Compiles `modules`, which `check` accepted with result `checked` against `schema`. Returns
// nullopt when a pass reported an error (to `diags`).
std::optional<ir::Program> compile(const std::vector<ast::Module>& modules,
                                   const CheckResult& checked, const Schema& schema,
                                   Diagnostics& diags, const CompileOptions& options = {});

}  // namespace capguard
