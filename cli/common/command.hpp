#pragma once
// Subcommands register themselves: each cli/cmd_*.cpp defines one static Command object, and
// main.cpp dispatches on the first argument. Adding a subcommand touches only its own file.

#include <string>
#include <vector>

namespace capguard::cli {

// Exit statuses, the same for every subcommand.
constexpr int kExitOk = 0;        // nothing at or above --fail-on
constexpr int kExitFindings = 1;  // findings (check), failing tests (test)
constexpr int kExitError = 2;     // usage error, unreadable/invalid input, policy error

struct Command {
  using Run = int (*)(const std::vector<std::string>& args);  // args after the subcommand name
  const char* name;
  const char* usage;    // "capguard parse FILE..."
  const char* summary;  // one line for `capguard --help`
  Run run;

  Command(const char* name, const char* usage, const char* summary, Run run);
};

const std::vector<const Command*>& commands();

}  // namespace capguard::cli
