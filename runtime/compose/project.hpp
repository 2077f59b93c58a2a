#pragma once
// Loading a Compose project the way `docker compose config` reads it: the files (given with -f,
// or found in the project folder), each parsed (runtime/yaml_loader.hpp), interpolated from the
// environment, with `include` and `extends` resolved, merged in order by the Compose merge rules,
// then filtered by profiles. Extension keys (`x-*`) at the top level and in services are dropped.
//
// Every value of the model keeps the span of the text it was written in, also after merging and
// extends, so a finding points at the file and line that said it.

#include <optional>
#include <string>
#include <vector>

#include "lang/diagnostics.hpp"
#include "lang/value.hpp"

namespace capguard {

struct ComposeOptions {
  std::vector<std::string> files;      // -f, in order (may be empty)
  std::string project_dir;             // where to look when files is empty ("" = ".")
  std::vector<std::string> env_files;  // --env-file; replace the project's .env when given
  std::vector<std::string> profiles;   // active profiles; empty = every service
  bool use_process_env = true;         // the process environment overrides .env files
};

struct ComposeModel {
  Value root;  // merged, interpolated, extends/include resolved; root.services: name -> mapping
  std::vector<std::string> files;  // the compose files read, in merge order (includes excluded)
};

// nullopt when any error was reported (diags says where); warnings (unset variables...) do not
// fail the load.
std::optional<ComposeModel> load_compose(const ComposeOptions& options, Diagnostics& diags);

// From in-memory text (policy tests with inline inputs). `name` labels spans and diagnostics.
// Without options: no process environment and no .env file (unset variables are "" with a
// warning), so the result depends on the text alone. Relative `extends.file` and `include`
// paths resolve against options.project_dir.
std::optional<ComposeModel> load_compose_text(const std::string& name, const std::string& text,
                                              Diagnostics& diags);
std::optional<ComposeModel> load_compose_text(const std::string& name, const std::string& text,
                                              const ComposeOptions& options, Diagnostics& diags);

}  // namespace capguard
