#pragma once
// Loading a Compose project the way `docker compose config` reads it: the files (given with -f,
// or found as docker compose finds them: runtime/documents/compose/discovery.hpp), each parsed
// (runtime/documents/yaml_loader.hpp), interpolated from the environment, with `include` and
// `extends` resolved, merged in order by the Compose merge rules, then filtered by profiles.
// Extension keys
// (`x-*`) at the top level and in services are dropped. Each service's `environment` is resolved as
// docker compose hands it to the container (runtime/documents/compose/service_environment.hpp), and
// `~` in bind sources and env_file paths is the user's home (runtime/documents/compose/paths.hpp).
//
// Every value of the model keeps the span of the text it was written in, also after merging and
// extends, so a finding points at the file and line that said it.

#include <optional>
#include <string>
#include <vector>

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"
#include "runtime/documents/compose/interpolate.hpp"

namespace capguard {

struct ComposeOptions {
  std::vector<std::string> files;  // -f, in order (may be empty)
  // The folder docker compose would run in ("" = "."): relative COMPOSE_FILE entries resolve
  // against it, and with no files and no project_dir the compose files are looked for there.
  std::string working_dir;
  // --project-directory: the project folder (default: the first compose file's folder); with no
  // files, the compose files are looked for there.
  std::string project_dir;
  bool search_parent_folders = false;  // no compose file in that folder: look in its parents
  std::vector<std::string> env_files;  // --env-file; replace the project's .env when given
  // --profile; when empty, COMPOSE_PROFILES; when that is unset too, every service.
  std::vector<std::string> profiles;
  // The process environment overrides .env files, and COMPOSE_ENV_FILES,
  // COMPOSE_DISABLE_ENV_FILE and HOME (for `~` in paths) are read from it.
  bool use_process_env = true;
};

struct ComposeModel {
  Value root;  // merged, interpolated, extends/include resolved; root.services: name -> mapping
  std::vector<std::string> files;  // the compose files read, in merge order (includes excluded)
  std::string project_dir;         // project_dir, else the first compose file's folder
  // Values whose text is not known: failed interpolation (now null) or used an unset variable.
  // The normalizer reads the fields holding them as unknown (spec/document-model.md).
  UnreadValues unread;
};

// nullopt when the project cannot be assembled (a file that cannot be read or parsed, a bad
// `include` or `extends`: diags says where). An error in one value (an interpolation error, an
// unknown key) is reported and the model is still returned, so that everything else is checked;
// warnings (unset variables...) never fail the load.
std::optional<ComposeModel> load_compose(const ComposeOptions& options, Diagnostics& diags);

// From in-memory text (policy tests with inline inputs). `name` labels spans and diagnostics.
// Without options: no process environment and no .env file (unset variables are "" with a
// warning), so the result depends on the text alone. Relative `extends.file` and `include`
// paths resolve against options.project_dir.
std::optional<ComposeModel> load_compose_text(const std::string& name, std::string_view text,
                                              Diagnostics& diags);
std::optional<ComposeModel> load_compose_text(const std::string& name, std::string_view text,
                                              const ComposeOptions& options, Diagnostics& diags);

}  // namespace capguard
