#pragma once
// Finding every compose project under a folder (`capguard check -r DIR`, and `check DIR` when DIR
// holds no compose file but folders below it do), the way a person would run docker compose in
// each of them:
// - a folder holding compose.yaml, compose.yml, docker-compose.yml or docker-compose.yaml is one
//   project, read as docker compose run there reads it (its override file merged, its own .env);
// - each other variant beside it (docker-compose.prod.yml, compose.staging.yaml: NAME.X.yml/yaml
//   with X not "override") is one more project, `-f BASE -f VARIANT`, as it is deployed;
// - a file named *.inspect.json is a `docker inspect` input.
// Folders and files that a .gitignore (of the folder scanned or any folder below it) or an
// --exclude glob excludes are skipped, and so is .git; symbolic links are never followed out of
// the tree (a linked folder is not entered; a linked file is used only when it resolves inside
// the scanned folder). Results are sorted by path, so output is the same on every run.

#include <string>
#include <vector>

#include "lang/core/diagnostics.hpp"

namespace capguard {

struct ScannedInput {
  std::vector<std::string> files;  // -f files (BASE, VARIANT), or empty
  std::string path;                // otherwise: a project folder or an inspect file
  std::string label;               // what it is, for the list of projects found
};

struct ScanOptions {
  std::vector<std::string> excludes;  // globs, matched like .gitignore lines of the scanned folder
};

// The inputs below `root` (an unreadable folder is a warning naming it; the scan goes on).
std::vector<ScannedInput> scan_projects(const std::string& root, const ScanOptions& options,
                                        Diagnostics& diags);

// Whether `folder` holds a compose file docker compose would pick by itself.
bool has_compose_file(const std::string& folder);

// One line of a .gitignore, matched against a path relative to the folder of that .gitignore
// ("a/b/c"), `is_dir` telling whether the path names a folder. Exposed for tests.
struct IgnoreRule {
  std::string pattern;  // without a leading '!' or '/' and a trailing '/'
  bool negated = false;
  bool dir_only = false;
  bool anchored = false;  // a '/' at the start or in the middle: matched from the folder down
};
std::vector<IgnoreRule> parse_gitignore(const std::string& text);
// The last rule that matches decides: true (ignored), false (re-included by '!'), or no match.
int ignore_verdict(const std::vector<IgnoreRule>& rules, const std::string& relative, bool is_dir);

}  // namespace capguard
