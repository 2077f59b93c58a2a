#include "cli/common/config.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "lang/core/file_read.hpp"
#include "runtime/documents/yaml_loader.hpp"

namespace capguard::cli {

namespace fs = std::filesystem;

std::string find_config(const std::string& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec).lexically_normal();
  if (ec) return "";
  if (!dir.has_filename()) dir = dir.parent_path();  // "/a/b/" -> "/a/b"
  fs::path from = dir;
  while (true) {
    fs::path candidate = dir / ".capguard.yaml";
    if (fs::is_regular_file(candidate, ec)) {
      // Report it relative to `start`, as users name files ("../.capguard.yaml").
      fs::path rel = candidate.lexically_relative(from);
      return rel.empty() ? candidate.string() : rel.string();
    }
    // The repository root ends the search: a configuration above it belongs to something else.
    // `.git` is a folder in a clone, a file in a worktree or a submodule.
    if (fs::exists(dir / ".git", ec)) return "";
    if (!dir.has_parent_path() || dir.parent_path() == dir) return "";
    dir = dir.parent_path();
  }
}

namespace {

const std::vector<std::string> kKeys = {"policies", "no_stdlib", "params", "params_files",
                                        "preset",   "only",      "skip",   "fail_on",
                                        "format",   "waivers"};

Span mark_span(FileId file, const YAML::Node& node) {
  YAML::Mark m = node.Mark();
  if (m.line < 0) return Span{file, 0, 0, 0};
  return Span{file, static_cast<uint32_t>(m.line + 1), static_cast<uint32_t>(m.column + 1), 0};
}

// A path from the configuration, relative to its folder.
std::string relative_to(const std::string& config_path, const std::string& path) {
  fs::path p(path);
  if (p.is_absolute()) return path;
  fs::path dir = fs::path(config_path).parent_path();
  return dir.empty() ? path : (dir / p).lexically_normal().string();
}

// A string or a list of strings.
std::optional<std::vector<std::string>> string_list(FileId file, const std::string& key,
                                                    const YAML::Node& node, Diagnostics& diags) {
  std::vector<std::string> out;
  if (node.IsScalar()) return std::vector<std::string>{node.as<std::string>()};
  if (node.IsNull()) return out;
  if (!node.IsSequence()) {
    diags.error(mark_span(file, node), fmt::format("`{}` must be a list of strings", key));
    return std::nullopt;
  }
  for (const YAML::Node& item : node) {
    if (!item.IsScalar()) {
      diags.error(mark_span(file, item), fmt::format("`{}` must be a list of strings", key));
      return std::nullopt;
    }
    out.push_back(item.as<std::string>());
  }
  return out;
}

void parse_key(ProjectConfig& c, FileId file, const std::string& key, const YAML::Node& value,
               Diagnostics& diags) {
  Span where = mark_span(file, value);
  auto scalar = [&]() -> std::optional<std::string> {
    if (!value.IsScalar()) {
      diags.error(where, fmt::format("`{}` must be a single value", key));
      return std::nullopt;
    }
    return value.as<std::string>();
  };
  if (key == "policies") {
    if (auto list = string_list(file, key, value, diags)) {
      for (const std::string& p : *list) c.policies.push_back(relative_to(c.path, p));
    }
  } else if (key == "params_files") {
    if (auto list = string_list(file, key, value, diags)) {
      for (const std::string& p : *list) c.params_files.push_back(relative_to(c.path, p));
    }
  } else if (key == "only" || key == "skip") {
    if (auto list = string_list(file, key, value, diags)) {
      std::vector<std::string> items;
      for (const std::string& s : *list) {
        for (std::string& part : split_list(s)) items.push_back(part);
      }
      (key == "only" ? c.only : c.skip) = items;
    }
  } else if (key == "no_stdlib") {
    if (auto s = scalar()) {
      if (*s == "true" || *s == "false") {
        c.no_stdlib = *s == "true";
      } else {
        diags.error(where, "`no_stdlib` must be true or false");
      }
    }
  } else if (key == "preset") {
    if (auto s = scalar()) {
      if (*s == "baseline" || *s == "restricted") {
        c.preset = *s;
      } else {
        diags.error(where, fmt::format("unknown preset `{}`; expected baseline or restricted", *s));
      }
    }
  } else if (key == "fail_on") {
    if (auto s = scalar()) {
      c.fail_on = parse_severity(*s);
      if (!c.fail_on) {
        diags.error(where, fmt::format("unknown severity `{}`; expected info, low, medium, high "
                                       "or critical",
                                       *s));
      }
    }
  } else if (key == "format") {
    if (auto s = scalar()) {
      c.format = parse_format(*s);
      if (!c.format) {
        diags.error(where, fmt::format("unknown format `{}`; expected text, json, sarif, junit "
                                       "or github{}",
                                       *s, did_you_mean_hint(*s, format_names())));
      }
    }
  } else if (key == "params") {
    if (value.IsNull()) return;
    if (!value.IsMap()) {
      diags.error(where, "`params` must be a mapping of param names to values");
      return;
    }
    // Checked here; the values are read by the document loader (param_values).
    for (const auto& kv : value) {
      if (!kv.first.IsScalar()) {
        diags.error(mark_span(file, kv.first), "a param name must be a string");
      }
    }
  } else if (key == "waivers") {
    if (value.IsScalar()) {
      c.waivers_file = relative_to(c.path, value.as<std::string>());
    } else if (!value.IsNull()) {
      c.waivers = parse_waiver_list(file, c.path, value, diags);
    }
  }
}

// The `params:` mapping read by runtime/yaml_loader, so that its values are typed (and coerced to
// the params' types) exactly as a params file's, and keep their spans in the configuration.
std::vector<std::pair<std::string, Value>> param_values(FileId file, Diagnostics& diags) {
  std::vector<std::pair<std::string, Value>> out;
  YamlDocument doc = parse_yaml_document(file, diags);
  const Value* params = doc.ok ? doc.root.get("params") : nullptr;
  if (params == nullptr || !params->is_map()) return out;
  for (const auto& e : params->as_map()) out.emplace_back(e.first, e.second);
  return out;
}

}  // namespace

ProjectConfig parse_config(const std::string& path, const std::string& text, Diagnostics& diags) {
  ProjectConfig c;
  c.path = path;
  FileId file = add_source(path, text);
  // The loader first: its limits and its checks of what yaml-cpp accepts but YAML does not.
  if (!parse_yaml_document(file, diags).ok) return c;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    diags.error(Span{file, static_cast<uint32_t>(e.mark.line + 1),
                     static_cast<uint32_t>(e.mark.column + 1), 0},
                "invalid YAML: " + e.msg);
    return c;
  }
  if (root.IsNull()) return c;
  if (!root.IsMap()) {
    diags.error(mark_span(file, root), "the configuration must be a mapping of settings");
    return c;
  }
  size_t errors_before = diags.error_count();
  bool has_params = false;
  for (const auto& kv : root) {
    if (!kv.first.IsScalar()) {
      diags.error(mark_span(file, kv.first), "a setting name must be a string");
      continue;
    }
    has_params |= kv.first.as<std::string>() == "params" && kv.second.IsMap();
    std::string key = kv.first.as<std::string>();
    if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
      diags.error(mark_span(file, kv.first),
                  fmt::format("unknown setting `{}`{}", key, did_you_mean_hint(key, kKeys)));
      continue;
    }
    try {
      parse_key(c, file, key, kv.second, diags);
    } catch (const YAML::Exception& e) {  // a conversion the checks above did not foresee
      diags.error(mark_span(file, kv.second), fmt::format("invalid `{}`: {}", key, e.msg));
    }
  }
  // A configuration with mistakes fails the run anyway: its params are not read a second time.
  if (has_params && diags.error_count() == errors_before) c.params = param_values(file, diags);
  return c;
}

ProjectConfig load_config(const std::string& path, Diagnostics& diags) {
  std::string text, error;
  if (!read_bounded(path, text, error)) {
    diags.file_error(path, "cannot read the configuration file: " + error);
    ProjectConfig c;
    c.path = path;
    return c;
  }
  return parse_config(path, text, diags);
}

namespace {

std::vector<std::string> split_on(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::string item;
  for (char c : text + sep) {
    if (c == sep) {
      if (!item.empty()) out.push_back(item);
      item.clear();
    } else {
      item += c;
    }
  }
  return out;
}

}  // namespace

Settings resolve_settings(const CheckOptions& flags, const EnvLookup& env,
                          const ProjectConfig& config, Diagnostics& diags) {
  Settings s;
  auto var = [&](const char* name) -> std::optional<std::string> {
    const char* v = env(name);
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
  };
  auto env_error = [&](const char* name, const std::string& message) {
    diags.file_error(name, message);
  };

  // policies
  if (!flags.policy_paths.empty()) {
    s.policy_paths = flags.policy_paths;
  } else if (auto v = var("CAPGUARD_POLICY")) {
    s.policy_paths = split_on(*v, ':');
  } else {
    s.policy_paths = config.policies;
  }
  // no_stdlib
  if (flags.no_stdlib) {
    s.no_stdlib = *flags.no_stdlib;
  } else if (auto v = var("CAPGUARD_NO_STDLIB")) {
    if (*v == "1" || *v == "true") {
      s.no_stdlib = true;
    } else if (*v == "0" || *v == "false") {
      s.no_stdlib = false;
    } else {
      env_error("CAPGUARD_NO_STDLIB", "expected 1, true, 0 or false, got `" + *v + "`");
    }
  } else {
    s.no_stdlib = config.no_stdlib.value_or(false);
  }
  // params: merged name by name, lowest precedence first (config.hpp)
  for (const std::string& f : config.params_files) s.param_layers.push_back(ParamLayer{f, {}});
  if (!config.params.empty()) s.param_layers.push_back(ParamLayer{"", config.params});
  if (auto v = var("CAPGUARD_PARAMS")) s.param_layers.push_back(ParamLayer{*v, {}});
  for (const std::string& f : flags.params_files) s.param_layers.push_back(ParamLayer{f, {}});
  for (const std::string& p : flags.params) {
    size_t eq = p.find('=');
    s.params.push_back(ParamSetting{p.substr(0, eq), p.substr(eq + 1)});
  }
  // preset
  if (flags.preset) {
    s.preset = flags.preset;
  } else if (auto v = var("CAPGUARD_PRESET")) {
    if (*v == "baseline" || *v == "restricted") {
      s.preset = *v;
    } else {
      env_error("CAPGUARD_PRESET", "unknown preset `" + *v + "`; expected baseline or restricted");
    }
  } else {
    s.preset = config.preset;
  }
  // only / skip
  if (flags.only_set) {
    s.only = flags.only;
  } else if (auto v = var("CAPGUARD_ONLY")) {
    s.only = split_list(*v);
  } else if (config.only) {
    s.only = *config.only;
  }
  if (flags.skip_set) {
    s.skip = flags.skip;
  } else if (auto v = var("CAPGUARD_SKIP")) {
    s.skip = split_list(*v);
  } else if (config.skip) {
    s.skip = *config.skip;
  }
  // fail_on
  if (flags.fail_on) {
    s.fail_on = *flags.fail_on;
  } else if (auto v = var("CAPGUARD_FAIL_ON")) {
    if (auto sev = parse_severity(*v)) {
      s.fail_on = *sev;
    } else {
      env_error("CAPGUARD_FAIL_ON",
                "unknown severity `" + *v + "`; expected info, low, medium, high or critical");
    }
  } else if (config.fail_on) {
    s.fail_on = *config.fail_on;
  }
  // format
  if (flags.format) {
    s.format = *flags.format;
  } else if (auto v = var("CAPGUARD_FORMAT")) {
    if (auto f = parse_format(*v)) {
      s.format = *f;
    } else {
      env_error("CAPGUARD_FORMAT",
                "unknown format `" + *v + "`; expected text, json, sarif, junit or github");
    }
  } else if (config.format) {
    s.format = *config.format;
  }
  // waivers: the file of the highest source; waivers written in .capguard.yaml always apply
  if (!flags.waiver_files.empty()) {
    s.waiver_files = flags.waiver_files;
  } else if (auto v = var("CAPGUARD_WAIVERS")) {
    s.waiver_files = {*v};
  } else if (config.waivers_file) {
    s.waiver_files = {*config.waivers_file};
  }
  s.waivers = config.waivers;
  return s;
}

Settings load_settings(const CheckOptions& flags, Diagnostics& diags) {
  ProjectConfig config;
  if (!flags.no_config) {
    std::string path = flags.config.empty() ? find_config(".") : flags.config;
    if (!path.empty()) config = load_config(path, diags);
  }
  return resolve_settings(flags, std::getenv, config, diags);
}

}  // namespace capguard::cli
