#include "runtime/documents/compose/discovery.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "runtime/documents/compose/env_file.hpp"

namespace capguard {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMainNames[] = {"compose.yaml", "compose.yml", "docker-compose.yml",
                                      "docker-compose.yaml"};
constexpr const char* kOverrideNames[] = {"compose.override.yml", "compose.override.yaml",
                                          "docker-compose.override.yml",
                                          "docker-compose.override.yaml"};

bool exists(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

bool is_file(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

std::string dir_or_dot(const std::string& dir) {
  return dir.empty() ? "." : dir;
}

std::string lexical_key(const std::string& dir) {
  std::error_code ec;
  fs::path p = fs::absolute(dir_or_dot(dir), ec);
  std::string s = p.lexically_normal().string();
  if (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

void warn(Diagnostics& diags, const std::string& file, std::string message) {
  Diagnostic d;
  d.level = DiagLevel::Warning;
  d.file_name = file;
  d.message = std::move(message);
  diags.add(std::move(d));
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// The names of `list` present in `dir`, as paths, in the list's order.
template <size_t N>
std::vector<std::string> present(const std::string& dir, const char* const (&list)[N]) {
  std::vector<std::string> found;
  for (const char* name : list) {
    std::string path = join_path(dir, name);
    if (is_file(path)) found.push_back(path);
  }
  return found;
}

// The first of `found`, with docker compose's warning when there are several: a service written
// only in an ignored file is neither run nor checked.
std::string pick(const std::vector<std::string>& found, const char* what, Diagnostics& diags) {
  if (found.size() > 1)
    warn(diags, found[0],
         fmt::format("found multiple {} files with supported names: {}; using {} (as docker "
                     "compose does), the others are not checked",
                     what, joined(found), found[0]));
  return found[0];
}

// The default files in `start` or, when `parents`, the nearest parent folder that has one.
// Parent folders are named relative to `start` ("../compose.yaml") when it is relative.
std::vector<std::string> default_files(const std::string& start, bool parents, Diagnostics& diags) {
  std::string dir = dir_or_dot(start);
  std::error_code ec;
  fs::path abs = fs::absolute(dir, ec).lexically_normal();
  if (abs.filename().empty() && abs.has_relative_path()) abs = abs.parent_path();
  while (true) {
    std::vector<std::string> main = present(dir, kMainNames);
    if (!main.empty()) {
      std::vector<std::string> files{pick(main, "config", diags)};
      std::vector<std::string> overrides = present(dir, kOverrideNames);
      if (!overrides.empty()) files.push_back(pick(overrides, "override", diags));
      return files;
    }
    if (!parents || !abs.has_relative_path()) return {};  // not asked, or at the root
    abs = abs.parent_path();
    dir = fs::path(dir).is_absolute() ? abs.string()
                                      : (fs::path(dir) / "..").lexically_normal().string();
  }
}

bool process_flag(const Environment& process, const char* name, Diagnostics& diags) {
  auto v = process.get(name);
  if (!v) return false;
  // Go's strconv.ParseBool, as compose-go reads it.
  const std::string& s = *v;
  if (s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true" || s == "True") return true;
  if (s == "0" || s == "f" || s == "F" || s == "FALSE" || s == "false" || s == "False")
    return false;
  diags.file_error(name,
                   fmt::format("{}=\"{}\" is not a boolean (true, false, 1, 0, ...)", name, s));
  return false;
}

class Locator {
 public:
  Locator(const ComposeOptions& options, Diagnostics& diags) : options_(options), diags_(diags) {
    if (options.use_process_env) process_ = Environment::from_process();
    env_ = process_;
    explicit_env_files_ = options.env_files;
    if (explicit_env_files_.empty()) {
      if (auto list = process_.get("COMPOSE_ENV_FILES")) {
        for (std::string& f : split_compose_file(*list, ","))
          if (!f.empty()) explicit_env_files_.push_back(std::move(f));
      }
    }
    no_dot_env_ = process_flag(process_, "COMPOSE_DISABLE_ENV_FILE", diags_);
  }

  std::optional<ProjectSetup> run(bool find_files) {
    size_t errors = diags_.error_count();
    std::string first_dir = !options_.project_dir.empty() ? options_.project_dir
                            : !options_.files.empty()     ? folder_of(options_.files[0])
                                                          : dir_or_dot(options_.working_dir);
    add_env_files(first_dir);
    ProjectSetup setup;
    if (find_files) {
      setup.files = options_.files;
      if (setup.files.empty()) setup.files = compose_file_variable();
      if (diags_.error_count() != errors) return std::nullopt;
      if (setup.files.empty()) {
        std::string where =
            dir_or_dot(options_.project_dir.empty() ? options_.working_dir : options_.project_dir);
        setup.files = default_files(where, options_.search_parent_folders, diags_);
        if (setup.files.empty()) {
          diags_.file_error(
              where,
              fmt::format("no compose file found{} (compose.yaml, compose.yml, "
                          "docker-compose.yml or docker-compose.yaml)",
                          options_.search_parent_folders ? " here or in a parent folder" : ""));
          return std::nullopt;
        }
      }
      setup.project_dir =
          options_.project_dir.empty() ? folder_of(setup.files[0]) : options_.project_dir;
      if (setup.project_dir != first_dir &&
          lexical_key(setup.project_dir) != lexical_key(first_dir)) {
        add_env_files(setup.project_dir);
      }
    } else {
      setup.project_dir = first_dir;
    }
    if (diags_.error_count() != errors) return std::nullopt;
    setup.profiles = options_.profiles;
    if (setup.profiles.empty()) {
      if (auto p = env_.get("COMPOSE_PROFILES")) setup.profiles = split_profiles(*p);
    }
    setup.env = std::move(env_);
    return setup;
  }

 private:
  // The env files for a project in `dir` (step 1), adding only the keys not yet set.
  void add_env_files(const std::string& dir) {
    std::vector<std::string> files = explicit_env_files_;
    if (files.empty() && !no_dot_env_) {
      std::string dot_env = join_path(dir_or_dot(dir), ".env");
      // A .env that is not a readable file (a folder, a device) is an error, not skipped.
      if (exists(dot_env)) files.push_back(dot_env);
    }
    Environment added;
    for (const std::string& f : files) load_env_file(f, env_, added, diags_);
    env_.merge_missing(added);
  }

  // COMPOSE_FILE's entries, relative ones against the working folder.
  std::vector<std::string> compose_file_variable() {
    auto value = env_.get("COMPOSE_FILE");
    if (!value) return {};
    std::string separator = env_.get("COMPOSE_PATH_SEPARATOR").value_or("");
    if (separator.empty()) separator = ":";
    std::vector<std::string> files;
    for (const std::string& entry : split_compose_file(*value, separator)) {
      if (entry.empty()) {
        diags_.file_error(dir_or_dot(options_.working_dir),
                          fmt::format("COMPOSE_FILE=\"{}\" has an empty entry (entries are "
                                      "separated by \"{}\")",
                                      *value, separator));
        continue;
      }
      std::string path = join_path(options_.working_dir, entry);
      if (!is_file(path)) {
        diags_.file_error(path, "compose file named by COMPOSE_FILE not found");
        continue;
      }
      files.push_back(path);
    }
    return files;
  }

  const ComposeOptions& options_;
  Diagnostics& diags_;
  Environment process_;
  Environment env_;
  std::vector<std::string> explicit_env_files_;
  bool no_dot_env_ = false;
};

}  // namespace

std::vector<std::string> split_compose_file(const std::string& value,
                                            const std::string& separator) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t at = value.find(separator, start);
    out.push_back(value.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return out;
    start = at + separator.size();
  }
}

std::vector<std::string> split_profiles(const std::string& value) {
  std::vector<std::string> out;
  for (std::string p : split_compose_file(value, ",")) {
    size_t b = p.find_first_not_of(" \t");
    size_t e = p.find_last_not_of(" \t");
    if (b == std::string::npos) continue;
    out.push_back(p.substr(b, e - b + 1));
  }
  return out;
}

std::optional<ProjectSetup> locate_project(const ComposeOptions& options, bool find_files,
                                           ComposeFileLoader& loader) {
  return Locator(options, loader.diags()).run(find_files);
}

}  // namespace capguard
