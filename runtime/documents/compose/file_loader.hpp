#pragma once
// Reading the files of a Compose project, shared by the project loader, `include` and `extends`:
// where the files are, the environment they are interpolated with, and one file's pipeline
// (read, parse, check the top level, interpolate, resolve its `include`s).
//
// Internal to runtime/compose/; callers use runtime/documents/compose/project.hpp.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"
#include "runtime/documents/compose/environment.hpp"
#include "runtime/documents/compose/interpolate.hpp"
#include "runtime/documents/yaml_loader.hpp"

namespace capguard {

// The folder of a path ("." for a bare name) and a relative path joined onto a folder.
std::string folder_of(const std::string& path);
std::string join_path(const std::string& folder, const std::string& path);

class ComposeFileLoader {
 public:
  ComposeFileLoader(Diagnostics& diags, bool use_process_env)
      : diags_(diags), use_process_env_(use_process_env) {}

  // The variables for a project in `project_dir`: the env_files (or project_dir/.env when there
  // are none and it exists), overridden by the process environment when enabled. False when an
  // env file has errors or cannot be read.
  bool project_environment(const std::string& project_dir,
                           const std::vector<std::string>& env_files, Environment& out);

  // One file through the pipeline. `span` (may be unknown) is where the file was named, for a
  // missing file's error. nullopt when an error was reported.
  std::optional<Value> load_file(const std::string& path, const Environment& env,
                                 const Span& named_at = {});
  // The same for a registered source whose relative paths resolve against `dir`.
  std::optional<Value> load_source(FileId file, const std::string& dir, const Environment& env);

  // The folder that relative paths written in `file` resolve against.
  std::string folder_of_file(FileId file) const;

  const YamlTags& tags() const { return tags_; }
  // The values of the files loaded so far that failed interpolation or used an unset variable.
  const UnreadValues& unread() const { return unread_; }
  Diagnostics& diags() { return diags_; }
  bool use_process_env() const { return use_process_env_; }

 private:
  Diagnostics& diags_;
  bool use_process_env_;
  YamlTags tags_;
  UnreadValues unread_;
  std::map<FileId, std::string> folders_;  // in-memory sources: their folder
  // Files being loaded, outermost first: canonical path (to find cycles; "" until a nested file
  // is compared with it) and path as named.
  std::vector<std::pair<std::string, std::string>> include_stack_;
  static constexpr size_t kMaxFiles = 256;
  size_t files_loaded_ = 0;
};

}  // namespace capguard
