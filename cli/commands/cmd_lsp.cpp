// `capguard lsp`: the language server for policy files, over standard input and output
// (spec/lsp.md). The protocol and the analysis live in cli/lsp/.

#include <iostream>

#include "cli/common/command.hpp"
#include "cli/common/layout.hpp"
#include "cli/common/options.hpp"
#include "cli/lsp/server.hpp"

namespace capguard::cli {
namespace {

constexpr const char* kUsage = "capguard lsp [OPTIONS]";

int run_lsp(const std::vector<std::string>& args) {
  ArgParser parser("capguard lsp");
  // Editors' LSP clients commonly pass --stdio; it is the only transport, so it is accepted.
  parser.flag("stdio", 0, "talk over standard input and output (the default and only transport)",
              [] {});
  Diagnostics usage;
  std::vector<std::string> positional;
  if (parse_or_print_help(parser, args, usage, positional)) return kExitOk;
  if (!positional.empty())
    usage.file_error("capguard lsp", "unexpected argument `" + positional[0] + "`");
  if (usage.has_errors()) return usage_error(usage, parser);
  std::ios::sync_with_stdio(false);
  return lsp::run_server(std::cin, std::cout);
}

const Command kLsp("lsp", kUsage,
                   "language server for policy files (diagnostics, hover, completion, ...)",
                   run_lsp);

}  // namespace
}  // namespace capguard::cli
