// `capguard parse FILE...`: the AST of policy files, or their diagnostics. Every file is read and
// parsed, even after one fails. With no syntax error, the files are also checked together (names,
// fields, types against the document schema) so a typo such as `s.privilegd` is reported here
// too; the AST is printed only when there is no error at all.

#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/common/command.hpp"
#include "cli/common/layout.hpp"
#include "cli/common/options.hpp"
#include "lang/check/checker.hpp"
#include "lang/core/file_read.hpp"
#include "lang/syntax/ast_dump.hpp"
#include "lang/syntax/parser.hpp"
#include "runtime/documents/document_schema.hpp"

namespace capguard::cli {
namespace {

constexpr const char* kUsage = "capguard parse [OPTIONS] FILE...";

int run_parse(const std::vector<std::string>& args) {
  ArgParser parser("capguard parse");
  parser.argument("FILE", "a policy file");
  Diagnostics usage;
  std::vector<std::string> paths;
  if (parse_or_print_help(parser, args, usage, paths)) return kExitOk;
  if (paths.empty()) usage.file_error("capguard parse", "expected at least one policy file");
  if (usage.has_errors()) return usage_error(usage, parser);

  Diagnostics diags;
  std::vector<ast::Module> modules;
  for (const std::string& path : paths) {
    std::optional<FileId> id = read_source(path, diags);
    if (id) modules.push_back(parse_module(*id, diags));
  }
  if (!diags.has_errors()) check(modules, document_schema(), diags);
  std::cerr << render(diags);
  if (diags.has_errors()) return kExitError;
  for (const ast::Module& m : modules) std::cout << printable_text(dump_ast(m));
  return kExitOk;
}

const Command kParse("parse", kUsage, "print the syntax tree of policy files, or their diagnostics",
                     run_parse);

}  // namespace
}  // namespace capguard::cli
