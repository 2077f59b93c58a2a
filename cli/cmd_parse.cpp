// `capguard parse FILE...`: the AST of policy files, or their diagnostics. Every file is read and
// parsed, even after one fails. With no syntax error, the files are also checked together (names,
// fields, types against the document schema) so a typo such as `s.privilegd` is reported here
// too; the AST is printed only when there is no error at all.

#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/command.hpp"
#include "lang/ast_dump.hpp"
#include "lang/checker.hpp"
#include "lang/parser.hpp"
#include "runtime/document_schema.hpp"

namespace capguard::cli {
namespace {

constexpr const char* kUsage = "capguard parse FILE...";

int run_parse(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    (args.empty() ? std::cerr : std::cout)
        << "usage: " << kUsage
        << "\n\nPrints the syntax tree of each policy file, or its syntax and type errors.\n";
    return args.empty() ? kExitError : kExitOk;
  }
  Diagnostics diags;
  std::vector<ast::Module> modules;
  for (const std::string& path : args) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    if (file) text << file.rdbuf();
    if (!file || file.bad()) {
      diags.file_error(path, std::string("cannot read: ") + std::strerror(errno));
      continue;
    }
    FileId id = add_source(path, text.str());
    modules.push_back(parse_module(id, diags));
  }
  if (!diags.has_errors()) check(modules, document_schema(), diags);
  std::cerr << render(diags);
  if (diags.has_errors()) return kExitError;
  for (const ast::Module& m : modules) std::cout << dump_ast(m);
  return kExitOk;
}

const Command kParse("parse", kUsage, "the syntax tree of policy files, or their diagnostics",
                     run_parse);

}  // namespace
}  // namespace capguard::cli
