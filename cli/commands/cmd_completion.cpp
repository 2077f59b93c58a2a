// `capguard completion bash|zsh|fish`: the shell completion script, generated from every
// command's --help data (cli/common/completion.hpp).

#include <iostream>

#include "cli/common/command.hpp"
#include "cli/common/completion.hpp"
#include "cli/common/layout.hpp"
#include "cli/common/options.hpp"

namespace capguard::cli {
namespace {

constexpr const char* kUsage = "capguard completion SHELL";

int run_completion(const std::vector<std::string>& args) {
  ArgParser parser("capguard completion");
  parser.argument("SHELL", "bash | zsh | fish");
  Diagnostics usage;
  std::vector<std::string> positional;
  if (parse_or_print_help(parser, args, usage, positional)) return kExitOk;
  std::optional<Shell> shell;
  if (positional.size() != 1) {
    usage.file_error("capguard completion", "expected one shell: bash, zsh or fish");
  } else if (!(shell = parse_shell(positional[0]))) {
    usage.file_error("capguard completion",
                     "unknown shell `" + printable_text(positional[0], false) +
                         "`: expected bash, zsh or fish" +
                         did_you_mean_hint(positional[0], {"bash", "zsh", "fish"}));
  }
  if (usage.has_errors()) return usage_error(usage, parser);
  std::cout << completion_script(*shell, command_docs());
  return kExitOk;
}

const Command kCompletion("completion", kUsage,
                          "print the shell completion script for bash, zsh or fish",
                          run_completion);

}  // namespace
}  // namespace capguard::cli
