#pragma once
// The one visible place that turns policy sources into a program: parse -> check -> compile.
// `capguard check`, `test`, `eval`, `compile` and the benchmarks all go through it.

#include <optional>
#include <string>
#include <vector>

#include "lang/compile/compiler_options.hpp"
#include "lang/compile/ir.hpp"
#include "lang/core/diagnostics.hpp"
#include "lang/core/types.hpp"

namespace capguard {

// Parses, checks and compiles the registered sources `files` together (imports resolve across
// them). Every mistake goes to `diags`; returns nullopt when there was any error. Pass
// runtime_compile_options() (runtime/eval/evaluator.hpp) as `options` for constant folding through
// the evaluator and precompiled regexes.
std::optional<ir::Program> compile_policies(const std::vector<FileId>& files, const Schema& schema,
                                            Diagnostics& diags, const CompileOptions& options = {});

// The same, but a file that does not compile does not stop the others: each round compiles the
// files left, and the files holding an error are left out of the next round (with their errors
// reported), until the rest compiles. A file importing a package that was left out then fails on
// its own import. Returns the program of the files that compile (nullopt when none is left or an
// error names no file); `failed`, when given, receives the files left out.
std::optional<ir::Program> compile_policies_isolated(const std::vector<FileId>& files,
                                                     const Schema& schema, Diagnostics& diags,
                                                     const CompileOptions& options = {},
                                                     std::vector<FileId>* failed = nullptr);

// Registers policy sources from paths: a file is read as is; a folder contributes its `*.policy`
// files, recursively, in path order. Unreadable paths are file errors in `diags` (and skipped).
std::vector<FileId> load_policy_sources(const std::vector<std::string>& paths, Diagnostics& diags);

}  // namespace capguard
