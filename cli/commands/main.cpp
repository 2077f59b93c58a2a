// capguard: container-security policies for Compose files and `docker inspect` output.

#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/common/command.hpp"
#include "cli/common/layout.hpp"
#include "cli/common/version_text.hpp"

int main(int argc, char** argv) {
  using namespace capguard::cli;
  std::ios::sync_with_stdio(false);
  if (argc < 2) {
    std::cerr << main_help_page();
    return kExitError;
  }
  std::string name = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (name == "--help" || name == "-h" || name == "help") {
    if (name != "help" || args.empty()) {
      std::cout << main_help_page();
      return kExitOk;
    }
    // `capguard help COMMAND` is `capguard COMMAND --help`.
    name = args.front();
    args = {"--help"};
  }
  if (name == "--version" || name == "version") {
    std::cout << version_text();
    return kExitOk;
  }
  for (const Command* c : commands()) {
    if (name == c->name) {
      try {
        return c->run(args);
      } catch (const std::exception& e) {
        std::cerr << "capguard: internal error: " << e.what() << "\n";
        return kExitError;
      }
    }
  }
  std::vector<std::string> names;
  for (const Command* c : commands()) names.push_back(c->name);
  std::cerr << "capguard: error: unknown command `" << capguard::printable_text(name, false) << "`"
            << capguard::did_you_mean_hint(name, names)
            << "\nusage: capguard COMMAND [ARGS...]\nRun `capguard --help` for the commands.\n";
  return kExitError;
}
