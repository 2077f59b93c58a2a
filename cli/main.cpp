// capguard: container-security policies for Compose files and `docker inspect` output.

#include <algorithm>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/command.hpp"

namespace capguard::cli {

namespace {
std::vector<const Command*>& registry() {
  static std::vector<const Command*> list;
  return list;
}
}  // namespace

Command::Command(const char* n, const char* u, const char* s, Run r)
    : name(n), usage(u), summary(s), run(r) {
  registry().push_back(this);
}

const std::vector<const Command*>& commands() {
  std::vector<const Command*>& list = registry();
  std::sort(list.begin(), list.end(),
            [](const Command* a, const Command* b) { return std::strcmp(a->name, b->name) < 0; });
  return list;
}

namespace {
void print_help(std::ostream& out) {
  out << "capguard: container-security policies for Compose files and docker inspect output\n\n"
         "usage: capguard COMMAND [ARGS...]\n\ncommands:\n";
  for (const Command* c : commands()) {
    std::string name = c->name;
    out << "  " << name << std::string(name.size() < 12 ? 12 - name.size() : 1, ' ') << c->summary
        << "\n";
  }
  out << "\nRun `capguard COMMAND --help` for a command's options.\n";
}
}  // namespace

}  // namespace capguard::cli

int main(int argc, char** argv) {
  using namespace capguard::cli;
  std::ios::sync_with_stdio(false);
  if (argc < 2) {
    print_help(std::cerr);
    return kExitError;
  }
  std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    print_help(std::cout);
    return kExitOk;
  }
  if (name == "--version") {
    std::cout << "capguard 0.1.0\n";
    return kExitOk;
  }
  for (const Command* c : commands()) {
    if (name == c->name) {
      std::vector<std::string> args(argv + 2, argv + argc);
      try {
        return c->run(args);
      } catch (const std::exception& e) {
        std::cerr << "capguard: internal error: " << e.what() << "\n";
        return kExitError;
      }
    }
  }
  std::cerr << "capguard: unknown command '" << name << "'\n";
  print_help(std::cerr);
  return kExitError;
}
