// `capguard man [COMMAND]`: a man page in roff, generated from the same data as --help
// (cli/common/manpage.hpp): capguard(1) without COMMAND, capguard-COMMAND(1) with it.
// `--output-dir DIR` writes all of them as DIR/capguard.1 and DIR/capguard-COMMAND.1 (the build
// does this; `man -l <(capguard man check)` reads one without installing).

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "cli/common/command.hpp"
#include "cli/common/layout.hpp"
#include "cli/common/manpage.hpp"
#include "cli/common/options.hpp"

namespace capguard::cli {
namespace {

constexpr const char* kUsage = "capguard man [OPTIONS] [COMMAND]";

bool write_page(const std::string& path, const std::string& text, Diagnostics& diags) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    diags.file_error(path, std::string("cannot write: ") + std::strerror(errno));
    return false;
  }
  return true;
}

int run_man(const std::vector<std::string>& args) {
  ArgParser parser("capguard man");
  parser.argument("COMMAND", "the command whose page to print (default: capguard(1))");
  std::string output_dir;
  parser.option("output-dir", 0, "DIR", "write every page into DIR instead of printing one",
                [&](const std::string& v) {
                  output_dir = v;
                  return std::string();
                });
  Diagnostics usage;
  std::vector<std::string> positional;
  if (parse_or_print_help(parser, args, usage, positional)) return kExitOk;
  if (positional.size() > 1) usage.file_error("capguard man", "expected at most one command");
  if (!output_dir.empty() && !positional.empty()) {
    usage.file_error("capguard man", "--output-dir writes every page: give no COMMAND");
  }
  std::vector<CommandDoc> docs = command_docs();
  const CommandDoc* wanted = nullptr;
  if (positional.size() == 1) {
    std::vector<std::string> names;
    for (const CommandDoc& d : docs) {
      names.push_back(d.command->name);
      if (positional[0] == d.command->name) wanted = &d;
    }
    if (wanted == nullptr) {
      usage.file_error("capguard man", "unknown command `" + printable_text(positional[0], false) +
                                           "`" + did_you_mean_hint(positional[0], names));
    }
  }
  if (usage.has_errors()) return usage_error(usage, parser);
  if (output_dir.empty()) {
    std::cout << (wanted != nullptr ? command_man_page(*wanted) : main_man_page(docs));
    return kExitOk;
  }
  Diagnostics diags;
  bool ok = write_page(output_dir + "/capguard.1", main_man_page(docs), diags);
  for (const CommandDoc& d : docs) {
    ok = write_page(output_dir + "/capguard-" + d.command->name + ".1", command_man_page(d),
                    diags) &&
         ok;
  }
  std::cerr << render(diags);
  return ok ? kExitOk : kExitError;
}

const Command kMan("man", kUsage, "print a man page (capguard(1), or one command's)", run_man);

}  // namespace
}  // namespace capguard::cli
