// The registry of subcommands (cli/common/command.hpp), in the command library so that the help
// pages (cli/common/layout.hpp) can list the commands from anywhere, tests included.
#include "cli/common/command.hpp"

#include <algorithm>
#include <cstring>

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

}  // namespace capguard::cli
