#pragma once
// Man pages in roff, generated from the same data as --help (command_docs() in layout.hpp):
// capguard(1) lists the commands, capguard-COMMAND(1) documents one of them. capguard-policy(5) is
// generated from spec/language.md by scripts/md2man.py at build time.

#include <string>
#include <vector>

#include "cli/common/layout.hpp"

namespace capguard::cli {

// capguard(1): synopsis, the commands with their summaries, exit status, files, environment.
std::string main_man_page(const std::vector<CommandDoc>& docs);

// capguard-COMMAND(1): name, synopsis, arguments, options, exit status, see also.
std::string command_man_page(const CommandDoc& doc);

// `text` escaped for roff: backslashes, hyphens and a leading dot or quote.
std::string roff_escape(const std::string& text);

}  // namespace capguard::cli
