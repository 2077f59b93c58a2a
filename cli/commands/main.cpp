// capguard: container-security policies for Compose files and `docker inspect` output.

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/common/command.hpp"
#include "cli/common/engine_twin.hpp"
#include "cli/common/layout.hpp"
#include "cli/common/report_output.hpp"
#include "cli/common/version_text.hpp"
#include "lang/core/file_read.hpp"
#include "lang/core/phase_probe.hpp"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CAPGUARD_ASAN_BY_FEATURE 1
#endif
#endif
#ifndef CAPGUARD_ASAN_BY_FEATURE
#define CAPGUARD_ASAN_BY_FEATURE 0
#endif

CAPGUARD_PHASE_AT_PREINIT("start: fork, exec, dynamic loader");

namespace {

// Runs the command named in argv; the exit status.
int run(int argc, char** argv) {
  using namespace capguard::cli;
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

}  // namespace

int main(int argc, char** argv) {
  using namespace capguard::cli;
  CAPGUARD_PHASE("static constructors");
  // The standard streams stay synchronized with stdio: unsynchronizing them allocates six
  // buffers (128 KB, and a page fault for each) that `check`, which writes its report with
  // write(2) (report_output.hpp), never uses. `capguard lsp`, which reads std::cin, does it.
  remember_arguments(argv);
  if (std::string bad = capguard::input_limit_env_error(); !bad.empty()) {
    std::cerr << "capguard: error: " << bad << "\n";
    return kExitError;
  }
  int status = run(argc, argv);
  // Whatever a command printed must have reached standard output: a lost report is a failure.
  std::string error;
  if (!flush_standard_output(error)) {
    std::cerr << "capguard: error: " << error << "\n";
    return kExitError;
  }
  CAPGUARD_PHASE("end of the report, flush");
  CAPGUARD_PHASES_WRITE();
#if !defined(__SANITIZE_ADDRESS__) && !CAPGUARD_ASAN_BY_FEATURE
  // Everything is written: the process ends without destroying its static objects one by one
  // (yaml-cpp's and RE2's tables, the document schema, per-thread caches), which the system
  // reclaims anyway. Not under AddressSanitizer, whose leak check runs at exit.
  std::cerr.flush();
  std::fflush(nullptr);
  std::_Exit(status);
#endif
  return status;
}
