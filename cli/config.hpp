#pragma once
// Project configuration (.capguard.yaml, found in the current folder or the nearest parent) and
// the resolution of every setting from its three sources. Precedence, highest first: command-line
// flags, CAPGUARD_* environment variables, the configuration file, the built-in default. A list
// setting (policies, only, skip, waivers) takes the whole list of the highest source that sets
// it; params are merged name by name (file < --params files < --param); waivers written inside
// .capguard.yaml always apply, besides the waivers file of the highest source.
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
//   waivers:   a path to a waivers file, or a list of waivers (cli/waivers.hpp)
//
// Environment: CAPGUARD_POLICY (paths separated by ':'), CAPGUARD_NO_STDLIB (1/true/0/false),
// CAPGUARD_PARAMS (a params file), CAPGUARD_PRESET, CAPGUARD_ONLY, CAPGUARD_SKIP (comma lists),
// CAPGUARD_FAIL_ON, CAPGUARD_FORMAT, CAPGUARD_WAIVERS (a waivers file).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/options.hpp"
#include "cli/waivers.hpp"
#include "lang/diagnostics.hpp"

namespace capguard::cli {

// A param value given as text: NAME=VALUE from --param, or from .capguard.yaml (the YAML value
// in flow style, e.g. "[CHOWN, NET_BIND_SERVICE]" or "512M").
struct ParamSetting {
  std::string name;
  std::string text;
  Span span;           // in .capguard.yaml; unknown for flags
  std::string origin;  // "--param" or the configuration file's path
};

struct ProjectConfig {
  std::string path;  // "" when there is none
  std::vector<std::string> policies;
  std::optional<bool> no_stdlib;
  std::vector<ParamSetting> params;
  std::vector<std::string> params_files;
  std::optional<std::string> preset;
  std::optional<std::vector<std::string>> only, skip;
  std::optional<Severity> fail_on;
  std::optional<Format> format;
  std::optional<std::string> waivers_file;
  std::vector<Waiver> waivers;  // written inline in the file
};

// The nearest .capguard.yaml from folder `start` upwards, or "". The path is relative to `start`
// (so it opens as is when `start` is the current folder, as load_settings uses it).
std::string find_config(const std::string& start);

// Reads a configuration file. Mistakes go to `diags` with their location.
ProjectConfig load_config(const std::string& path, Diagnostics& diags);
// The same from text (`path` labels locations and anchors relative paths).
ProjectConfig parse_config(const std::string& path, const std::string& text, Diagnostics& diags);

// The settings of a run, every source resolved.
struct Settings {
  std::vector<std::string> policy_paths;
  bool no_stdlib = false;
  std::vector<std::string> params_files;  // applied in order, before `params`
  std::vector<ParamSetting> params;       // applied in order: later ones win
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
