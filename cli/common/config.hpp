#pragma once
// Project configuration (.capguard.yaml, found in the current folder or the nearest parent) and
// the resolution of every setting from its three sources. Precedence, highest first: command-line
// flags, CAPGUARD_* environment variables, the configuration file, the built-in default. A list
// setting (policies, only, skip, waivers) takes the whole list of the highest source that sets
// it; waivers written inside .capguard.yaml always apply, besides the waivers file of the highest
// source. Params are merged name by name, with the same precedence, highest first:
//   --param NAME=VALUE (a later one wins), --params FILE (a later file wins), CAPGUARD_PARAMS,
//   .capguard.yaml `params:`, .capguard.yaml `params_files:` (a later file wins),
//   the param's default.
//
// .capguard.yaml keys (all optional; unknown keys are errors with a "did you mean"):
//   policies:  [paths]         policy files or folders, relative to the configuration file
//   no_stdlib: bool
//   params:    {name: value}   checked against the params' declared types
//   params_files: [paths]
//   preset:    baseline | restricted
//   only:      [ids or tags]
//   skip:      [ids or tags]
//   fail_on:   info | low | medium | high | critical
//   format:    text | json | sarif | junit | github
//   waivers:   a path to a waivers file, or a list of waivers (cli/common/waivers.hpp)
//
// Environment: CAPGUARD_POLICY (paths separated by ':'), CAPGUARD_NO_STDLIB (1/true/0/false),
// CAPGUARD_PARAMS (a params file), CAPGUARD_PRESET, CAPGUARD_ONLY, CAPGUARD_SKIP (comma lists),
// CAPGUARD_FAIL_ON, CAPGUARD_FORMAT, CAPGUARD_WAIVERS (a waivers file).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/common/options.hpp"
#include "cli/common/waivers.hpp"
#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"

namespace capguard::cli {

// A param value given as text, from `--param NAME=VALUE`: parsed by the param's declared type.
struct ParamSetting {
  std::string name;
  std::string text;
};

// Param values from one source below the command line's --param: a params file (YAML or JSON
// mapping of names to values) or the `params:` mapping of .capguard.yaml. Values are coerced to
// the declared types like a params file's, and keep their spans for error messages.
struct ParamLayer {
  std::string file;                                   // a params file to read, or ""
  std::vector<std::pair<std::string, Value>> values;  // when `file` is "": the values themselves
};

struct ProjectConfig {
  std::string path;  // "" when there is none
  std::vector<std::string> policies;
  std::optional<bool> no_stdlib;
  std::vector<std::pair<std::string, Value>> params;  // `params:`, in file order
  std::vector<std::string> params_files;
  std::optional<std::string> preset;
  std::optional<std::vector<std::string>> only, skip;
  std::optional<Severity> fail_on;
  std::optional<Format> format;
  std::optional<std::string> waivers_file;
  std::vector<Waiver> waivers;  // written inline in the file
};

// The nearest .capguard.yaml from folder `start` upwards, or "". The search stops at the
// repository root: the first folder holding `.git` (a folder, or a file in a worktree or a
// submodule) is the last one searched, so that a project
// never picks up the configuration of whatever folder it was cloned into. Outside a repository it
// goes up to the file system root. The path is relative to `start` (so it opens as is when `start`
// is the current folder, as load_settings uses it).
std::string find_config(const std::string& start);

// Reads a configuration file. Mistakes go to `diags` with their location.
ProjectConfig load_config(const std::string& path, Diagnostics& diags);
// The same from text (`path` labels locations and anchors relative paths).
ProjectConfig parse_config(const std::string& path, const std::string& text, Diagnostics& diags);

// The settings of a run, every source resolved.
struct Settings {
  std::vector<std::string> policy_paths;
  bool no_stdlib = false;
  std::vector<ParamLayer> param_layers;  // lowest precedence first: a later layer wins
  std::vector<ParamSetting> params;      // --param, above every layer; a later one wins
  std::optional<std::string> preset;
  std::vector<std::string> only, skip;
  Severity fail_on = Severity::Low;
  Format format = Format::Text;
  std::vector<std::string> waiver_files;
  std::vector<Waiver> waivers;  // from the configuration file
};

using EnvLookup = std::function<const char*(const char*)>;  // like std::getenv

Settings resolve_settings(const CheckOptions& flags, const EnvLookup& env,
                          const ProjectConfig& config, Diagnostics& diags);

// The settings of a command: .capguard.yaml (--config FILE, or the nearest one unless
// --no-config) resolved with the process environment and `flags`.
Settings load_settings(const CheckOptions& flags, Diagnostics& diags);

}  // namespace capguard::cli
