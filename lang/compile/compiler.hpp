#pragma once
// The compiler: checked modules -> ir::Program (lang/compile/ir.hpp).
//
// A list of small passes (lang/compile/compiler_passes.hpp), composed in one visible place
// (lang/compile/compiler.cpp): lower (names to slots, fields to slot indices, functions inlined),
// fold constants, compile constant regexes, materialize param defaults and test values.
// Most callers want lang/compile/pipeline.hpp, which parses and checks first.

#include <optional>
#include <vector>

#include "lang/check/checker.hpp"
#include "lang/compile/compiler_options.hpp"
#include "lang/compile/ir.hpp"
#include "lang/core/diagnostics.hpp"
#include "lang/syntax/ast.hpp"

namespace capguard {

// Compiles `modules`, which `check` accepted with result `checked` against `schema`. Returns
// nullopt when a pass reported an error (to `diags`).
std::optional<ir::Program> compile(const std::vector<ast::Module>& modules,
                                   const CheckResult& checked, const Schema& schema,
                                   Diagnostics& diags, const CompileOptions& options = {});

}  // namespace capguard
