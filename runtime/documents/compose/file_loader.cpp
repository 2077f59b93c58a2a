#include "runtime/documents/compose/file_loader.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "lang/core/phase_probe.hpp"
#include "runtime/documents/compose/env_file.hpp"
#include "runtime/documents/compose/include.hpp"
#include "runtime/documents/compose/interpolate.hpp"

namespace capguard {

namespace fs = std::filesystem;

namespace {

bool exists(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

}  // namespace

std::string folder_of(const std::string& path) {
  std::string parent = fs::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

std::string join_path(const std::string& folder, const std::string& path) {
  fs::path p(path);
  if (p.is_absolute() || folder.empty() || folder == ".") return p.lexically_normal().string();
  return (fs::path(folder) / p).lexically_normal().string();
}

bool ComposeFileLoader::project_environment(const std::string& project_dir,
                                            const std::vector<std::string>& env_files,
                                            Environment& out) {
  Environment process = use_process_env_ ? Environment::from_process() : Environment();
  bool ok = true;
  if (!env_files.empty()) {
    for (const std::string& f : env_files) ok = load_env_file(f, process, out, diags_) && ok;
  } else {
    std::string dot_env = join_path(project_dir.empty() ? "." : project_dir, ".env");
    // A .env that is not a readable file (a folder, a device) is an error, not skipped.
    if (exists(dot_env)) ok = load_env_file(dot_env, process, out, diags_);
  }
  out.overlay(process);
  return ok;
}

std::string ComposeFileLoader::folder_of_file(FileId file) const {
  auto it = folders_.find(file);
  if (it != folders_.end()) return it->second;
  return folder_of(source_name(file));
}

std::optional<Value> ComposeFileLoader::load_file(const std::string& path, const Environment& env,
                                                  const Span& named_at) {
  if (named_at.known() && !exists(path)) {
    diags_.error(named_at, fmt::format("file \"{}\" not found", path));
    return std::nullopt;
  }
  // The cycle check compares canonical paths (weakly_canonical: readlink on every component),
  // computed only when there is a file being loaded to compare with: the top-level files of a
  // project need none, and an entry's own is computed when a nested file first asks.
  auto canonical = [](const std::string& p) {
    std::error_code ec;
    std::string key = fs::weakly_canonical(p, ec).string();
    return key.empty() ? p : key;
  };
  std::string key;
  if (!include_stack_.empty()) key = canonical(path);
  auto same = [&](auto& entry) {
    if (entry.first.empty()) entry.first = canonical(entry.second);
    return entry.first == key;
  };
  if (std::find_if(include_stack_.begin(), include_stack_.end(), same) != include_stack_.end()) {
    std::string chain;
    for (const auto& entry : include_stack_) chain += entry.second + " -> ";
    diags_.error(named_at, fmt::format("include cycle: {}{}", chain, path));
    return std::nullopt;
  }
  if (++files_loaded_ > kMaxFiles) {
    // Includes reached many times over (a include b twice, b include c twice...) would
    // otherwise grow exponentially.
    diags_.error(named_at, fmt::format("more than {} compose files loaded for one project "
                                       "(through include and extends)",
                                       kMaxFiles));
    return std::nullopt;
  }
  auto file = read_file(path, diags_);
  if (!file) return std::nullopt;
  include_stack_.emplace_back(key, path);
  auto root = load_source(*file, folder_of(path), env);
  include_stack_.pop_back();
  return root;
}

std::optional<Value> ComposeFileLoader::load_source(FileId file, const std::string& dir,
                                                    const Environment& env) {
  folders_[file] = dir;
  CAPGUARD_PHASE("compose options, file read");
  YamlDocument doc = parse_yaml_document(file, diags_);
  CAPGUARD_PHASE("YAML parsed (yaml-cpp, tree)");
  if (!doc.ok) return std::nullopt;
  if (doc.root.is_null()) {
    // Nothing to check is never a pass: an empty file, a file of comments and a top-level null
    // each say what they are.
    std::string_view text = source(file).text();
    bool blank = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF") == std::string::npos;
    bool comments = !blank && text.find('#') != std::string::npos &&
                    text.find_first_not_of(" \t\r\n") == text.find('#');
    diags_.error(Span{file, 0, 0, 0},
                 blank      ? "the compose file is empty"
                 : comments ? "the compose file holds only comments: no services to check"
                            : "the compose file holds only a null value: no services to check");
    return std::nullopt;
  }
  if (!doc.root.is_map()) {
    diags_.error(doc.root.span(), fmt::format("a compose file is a mapping at the top level, not "
                                              "a {}",
                                              kind_name(doc.root.kind())));
    return std::nullopt;
  }
  tags_.append(doc.tags);
  Value root = doc.root;
  // An interpolation error concerns its value only (now null, recorded in unread_).
  interpolate_tree(root, env, diags_, &unread_);
  bool ok = true;
  const Value* services = root.get("services");
  if (services && services->is_null()) {
    diags_.error(services->span(),
                 "`services` has no value: list the services under it "
                 "(`services: {}` for a file that defines none)");
    ok = false;
  } else if (services && !services->is_map()) {
    diags_.error(services->span(), "`services` must be a mapping of service names to services");
    ok = false;
  }
  if (ok && root.get("include")) ok = apply_includes(root, dir, env, *this);
  if (!ok) return std::nullopt;
  return root;
}

}  // namespace capguard
