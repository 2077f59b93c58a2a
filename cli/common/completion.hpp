#pragma once
// Shell completions (`capguard completion bash|zsh|fish`), generated from the same data as --help
// (command_docs() in layout.hpp): commands, their flags, the values a flag's help lists
// ("text | json | ..."), files for FILE and PATH, and policy ids (from `capguard list`, at
// completion time, so --policy libraries and .capguard.yaml count) for ID and IDS.

#include <optional>
#include <string>
#include <vector>

#include "cli/common/layout.hpp"

namespace capguard::cli {

enum class Shell { Bash, Zsh, Fish };

std::optional<Shell> parse_shell(const std::string& name);

std::string completion_script(Shell shell, const std::vector<CommandDoc>& docs);

}  // namespace capguard::cli
