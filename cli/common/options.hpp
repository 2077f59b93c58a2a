#pragma once
// Flag parsing shared by the subcommands: a small table-driven parser (`--flag value`,
// `--flag=value`, `-f value`, `-fvalue`, `--` ends flags) whose mistakes are usage errors with a
// "did you mean", and the option set of `check` (also used in parts by caps, list, explain).
//
// Flags only record what the user typed; settings that can also come from the environment or
// .capguard.yaml stay unset (std::optional / empty) here and are resolved in cli/common/config.hpp.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/reporters/report.hpp"
#include "lang/core/diagnostics.hpp"
#include "lang/core/policy_meta.hpp"

namespace capguard::cli {

// One row of a --help table: "-f, --file FILE" or "PATH", and what it is.
struct HelpRow {
  std::string left;
  std::string help;
};

class ArgParser {
 public:
  using OnFlag = std::function<void()>;
  // Returns an error message ("" when the value is fine).
  using OnValue = std::function<std::string(const std::string&)>;

  // `command` labels errors and finds the command's registration for --help: "capguard check".
  explicit ArgParser(std::string command) : command_(std::move(command)) {}

  // short_name 0: no short form. Hidden flags are accepted but not listed in help().
  void flag(std::string name, char short_name, std::string help, OnFlag on, bool hidden = false);
  void option(std::string name, char short_name, std::string metavar, std::string help, OnValue on,
              bool hidden = false);

  // Documents a positional argument for --help ("PATH", "ID"); parse() returns positional
  // arguments as they come, the command checks them.
  void argument(std::string name, std::string help);

  // Parses `args`; returns the positional arguments. Mistakes go to `diags` as errors labelled
  // with the command ("capguard check: error: unknown flag `--formt`; did you mean `--format`?").
  std::vector<std::string> parse(const std::vector<std::string>& args, Diagnostics& diags) const;

  // The option list for --help, one flag a line (the whole page: help_page in
  // cli/common/layout.hpp).
  std::string help() const;
  std::vector<HelpRow> argument_rows() const { return arguments_; }
  std::vector<HelpRow> option_rows() const;  // hidden flags left out

  // The flags as data, for man pages and shell completions (hidden flags left out).
  struct FlagDoc {
    std::string name;  // without "--"
    char short_name;   // 0: none
    bool takes_value;
    std::string metavar;
    std::string help;
    // The values a help text lists first, "a | b | c: ..." or "a | b (default: a)"; else empty.
    std::vector<std::string> choices() const;
  };
  std::vector<FlagDoc> flag_docs() const;
  const std::string& command() const { return command_; }

 private:
  struct Spec {
    std::string name;  // without "--"
    char short_name;
    bool takes_value;
    std::string metavar;
    std::string help;
    OnFlag on_flag;
    OnValue on_value;
    bool hidden;
  };
  const Spec* find_long(const std::string& name) const;
  const Spec* find_short(char c) const;

  std::string command_;
  std::vector<Spec> specs_;
  std::vector<HelpRow> arguments_;
};

enum class ColorMode { Auto, Always, Never };

// Everything `capguard check` accepts on its command line.
struct CheckOptions {
  // Inputs.
  std::vector<std::string> paths;
  std::vector<std::string> compose_files;  // -f
  std::vector<std::string> env_files;
  std::vector<std::string> profiles;
  std::string input_format = "auto";
  // Policies.
  std::vector<std::string> policy_paths;
  std::optional<bool> no_stdlib;
  std::vector<std::string> params;        // NAME=VALUE, in order
  std::vector<std::string> params_files;  // YAML/JSON
  std::optional<std::string> preset;      // baseline | restricted
  std::vector<std::string> only;          // policy ids or tags (comma lists split)
  std::vector<std::string> skip;
  bool only_set = false, skip_set = false;
  // Outcome and output.
  std::optional<Severity> fail_on;
  std::optional<Format> format;
  std::string output;  // "" = stdout
  std::vector<std::string> waiver_files;
  int jobs = 0;  // 0 = all cores
  bool quiet = false;
  ColorMode color = ColorMode::Auto;
  std::string today;   // hidden --today YYYY-MM-DD (tests)
  std::string config;  // --config FILE instead of searching for .capguard.yaml
  bool no_config = false;
  bool help = false;
};

// Which groups of flags a command takes.
enum FlagGroups : unsigned {
  kInputFlags = 1,   // PATH, -f, --env-file, --profile, --input-format, -j
  kPolicyFlags = 2,  // --policy, --no-stdlib, --param(s), --preset, --only, --skip, --config
  kOutputFlags = 4,  // --fail-on, --format, --output, --waivers, --quiet, --color, --today
  kFormatFlag = 8,   // --format only (list, caps)
};

// Registers the flags of `groups` on `parser`, storing into `options`.
void add_check_flags(ArgParser& parser, CheckOptions& options, unsigned groups);

// Splits "a,b, c" into {"a", "b", "c"} (empty items dropped).
std::vector<std::string> split_list(const std::string& text);

// Whether colours should be used on a stream: always/never as given; auto: the stream is a
// terminal and NO_COLOR is unset (or empty).
bool use_color(ColorMode mode, int fd);

// The --format of a command that prints only text or JSON: text when not given; any other format
// is a usage error labelled `command` in `diags` (and text is returned).
Format text_or_json_format(const CheckOptions& flags, const std::string& command,
                           Diagnostics& diags);

// Renders usage errors, then "usage: USAGE" of the command that owns `parser` and where to find its
// options, to stderr; returns kExitError (cli/common/command.hpp). Every command's usage errors end
// so.
int usage_error(const Diagnostics& diags, const ArgParser& parser);

}  // namespace capguard::cli
