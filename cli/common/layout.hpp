#pragma once
// Text laid out for people, the same in every command: aligned tables (padded by display width,
// so that names in any script or with escaped bytes line up) and the --help pages.
//
// Every --help page has one layout, generated here from the command's registration (usage line,
// one-line summary) and its ArgParser (arguments and options):
//
//   usage: capguard check [OPTIONS] [PATH...]
//
//   check compose projects and containers against the policies
//
//   arguments:
//     PATH                  a compose file, a folder, ...
//
//   options:
//     -f, --file FILE       compose file; ...
//
// The arguments and options tables share one column width, so their help texts line up.

#include <string>
#include <string_view>
#include <vector>

#include "cli/common/command.hpp"
#include "cli/common/options.hpp"

namespace capguard::cli {

// Rows of cells as lines: each line is `indent` followed by the cells, every column but the last
// padded to its widest cell (display_width) plus two spaces. Cells must already be printable
// (printable_text).
std::string text_table(const std::vector<std::vector<std::string>>& rows, std::string_view indent);

// The registered command whose parser is labelled `parser_label` ("capguard check"); throws
// std::logic_error when there is none (a command must label its parser with its own name).
const Command& command_of(const ArgParser& parser);

// The --help page of the command that owns `parser` (see above).
std::string help_page(const ArgParser& parser);

// Adds -h/--help as the parser's last flag, then parses `args` into `positional` (usage errors
// into `usage`). True when --help was given: its page is printed and the command is done.
bool parse_or_print_help(ArgParser& parser, const std::vector<std::string>& args,
                         Diagnostics& usage, std::vector<std::string>& positional);

// The page of `capguard --help`: usage, summary, the commands table, the global options.
std::string main_help_page();

// One command's documentation as data: what its --help page shows. Man pages and shell
// completions are generated from these, so they say what --help says.
struct CommandDoc {
  const Command* command = nullptr;
  std::vector<HelpRow> arguments;
  std::vector<ArgParser::FlagDoc> flags;
};

// Every registered command's documentation, in registration order, taken from the very parser
// each command builds for --help (the command is run with --help and its page discarded). Throws
// std::logic_error when a command does not show its help through help_page().
std::vector<CommandDoc> command_docs();

}  // namespace capguard::cli
