// capguard compile [--dump-ir] FILE|FOLDER...
//
// Parses, checks and compiles policy files (without the standard library) and, with --dump-ir,
// prints the IR as text (spec/ir.md). Without --dump-ir it only reports diagnostics and prints a
// one-line summary. Exit status: 0 when everything compiled, 2 otherwise.

#include <iostream>
#include <string>
#include <vector>

#include "cli/common/command.hpp"
#include "cli/common/layout.hpp"
#include "cli/common/options.hpp"
#include "lang/compile/ir_dump.hpp"
#include "lang/compile/pipeline.hpp"
#include "runtime/documents/document_schema.hpp"
#include "runtime/eval/evaluator.hpp"

namespace capguard::cli {

namespace {

constexpr const char* kUsage = "capguard compile [OPTIONS] PATH...";

int run_compile(const std::vector<std::string>& args) {
  bool dump = false, no_fold = false;
  ArgParser parser("capguard compile");
  parser.argument("PATH", "a policy file, or a folder searched recursively for *.policy");
  parser.flag("dump-ir", 0, "print the compiled IR as text", [&] { dump = true; });
  parser.flag("no-fold", 0, "skip constant folding (to compare IR)", [&] { no_fold = true; });
  Diagnostics usage;
  std::vector<std::string> paths;
  if (parse_or_print_help(parser, args, usage, paths)) return kExitOk;
  if (paths.empty()) usage.file_error("capguard compile", "expected at least one policy file");
  if (usage.has_errors()) return usage_error(usage, parser);

  Diagnostics diags;
  std::vector<FileId> files = load_policy_sources(paths, diags);
  CompileOptions options = runtime_compile_options();
  options.fold_constants = !no_fold;
  std::optional<ir::Program> program;
  if (!diags.has_errors()) program = compile_policies(files, document_schema(), diags, options);
  std::cerr << render(diags);
  if (!program) return kExitError;
  if (dump) {
    std::cout << printable_text(ir::dump_program(*program));
  } else {
    std::cout << files.size() << " files: " << program->policies.size() << " policies, "
              << program->params.size() << " params, " << program->tests.size() << " tests\n";
  }
  return kExitOk;
}

const Command kCompile("compile", kUsage, "compile policy files; --dump-ir shows the IR",
                       run_compile);

}  // namespace

}  // namespace capguard::cli
