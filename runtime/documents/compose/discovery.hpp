#pragma once
// Where a Compose project is and which variables it is read with, as docker compose v2 finds them
// (compose-go's cli.ProjectOptions, in the order docker compose applies them):
//
//  1. Variables: the process environment; then, for the keys it does not set, the --env-file
//     files, else those of COMPOSE_ENV_FILES (comma-separated, read from the process
//     environment), else the .env of the folder below unless COMPOSE_DISABLE_ENV_FILE is true.
//     That folder is --project-directory, else the first -f file's, else the working folder.
//  2. Files: -f; else COMPOSE_FILE (split at COMPOSE_PATH_SEPARATOR, default ':'; relative
//     entries against the working folder; each must exist); else the first of compose.yaml,
//     compose.yml, docker-compose.yml, docker-compose.yaml in --project-directory or the working
//     folder (then in each parent folder, when asked), with the first of compose.override.yml,
//     compose.override.yaml, docker-compose.override.yml, docker-compose.override.yaml beside
//     it. When several names of one list exist, the first is used with a warning naming all.
//  3. Project folder: --project-directory, else the first file's folder. When it differs from
//     the folder of step 1, its .env adds the keys still unset (docker compose reads the env
//     files a second time once it knows the project).
//  4. Profiles: --profile; else COMPOSE_PROFILES (comma-separated, spaces trimmed).
//
// Internal to runtime/compose/; callers use runtime/documents/compose/project.hpp.

#include <optional>
#include <string>
#include <vector>

#include "runtime/documents/compose/environment.hpp"
#include "runtime/documents/compose/file_loader.hpp"
#include "runtime/documents/compose/project.hpp"

namespace capguard {

struct ProjectSetup {
  std::vector<std::string> files;     // empty when find_files is false
  std::string project_dir;            // never empty ("." at least)
  Environment env;                    // interpolation variables and `environment: [KEY]` values
  std::vector<std::string> profiles;  // empty = every service
};

// Steps 1-4 (steps 2 and 3 only when `find_files`: text from standard input has no files).
// nullopt when an error was reported: an unreadable env file, a COMPOSE_FILE entry that does
// not exist, no compose file found.
std::optional<ProjectSetup> locate_project(const ComposeOptions& options, bool find_files,
                                           ComposeFileLoader& loader);

// COMPOSE_FILE's value split at `separator`; empty entries kept (they are errors).
std::vector<std::string> split_compose_file(const std::string& value, const std::string& separator);

// COMPOSE_PROFILES's value split at ',' with spaces trimmed; empty entries dropped.
std::vector<std::string> split_profiles(const std::string& value);

}  // namespace capguard
