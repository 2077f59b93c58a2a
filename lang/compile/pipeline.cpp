#include "lang/compile/pipeline.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "lang/check/checker.hpp"
#include "lang/compile/compiler.hpp"
#include "lang/core/file_read.hpp"
#include "lang/syntax/parser.hpp"

namespace capguard {

std::optional<ir::Program> compile_policies(const std::vector<FileId>& files, const Schema& schema,
                                            Diagnostics& diags, const CompileOptions& options) {
  // Parse every file first so that one run reports the syntax errors of all of them.
  Diagnostics parse_diags;
  std::vector<ast::Module> modules;
  modules.reserve(files.size());
  for (FileId file : files) modules.push_back(parse_module(file, parse_diags));
  bool parse_failed = parse_diags.has_errors();
  diags.append(parse_diags);
  if (parse_failed) return std::nullopt;

  Diagnostics check_diags;
  CheckResult checked = check(modules, schema, check_diags);
  bool check_failed = check_diags.has_errors();
  diags.append(check_diags);
  if (check_failed) return std::nullopt;

  return compile(modules, checked, schema, diags, options);
}

std::optional<ir::Program> compile_policies_isolated(const std::vector<FileId>& files,
                                                     const Schema& schema, Diagnostics& diags,
                                                     const CompileOptions& options,
                                                     std::vector<FileId>* failed) {
  std::vector<FileId> left = files;
  // Each round leaves out at least one file, so there are at most files.size() + 1 rounds.
  while (!left.empty()) {
    Diagnostics round;
    std::optional<ir::Program> program = compile_policies(left, schema, round, options);
    if (program && !round.has_errors()) {
      diags.append(round);
      return program;
    }
    std::set<FileId> bad;
    for (const Diagnostic& d : round.all()) {
      if (d.level == DiagLevel::Error && d.span.file != 0 &&
          std::find(left.begin(), left.end(), d.span.file) != left.end()) {
        bad.insert(d.span.file);
      }
    }
    if (bad.empty()) {  // an error that names no file: nothing to isolate
      diags.append(round);
      return std::nullopt;
    }
    // The diagnostics of the files left out now; the others' come again in a later round.
    for (const Diagnostic& d : round.all()) {
      if (bad.count(d.span.file) != 0) diags.add(d);
    }
    std::vector<FileId> next;
    for (FileId f : left) {
      if (bad.count(f) == 0) {
        next.push_back(f);
      } else if (failed != nullptr) {
        failed->push_back(f);
      }
    }
    left = std::move(next);
  }
  return std::nullopt;
}

std::vector<FileId> load_policy_sources(const std::vector<std::string>& paths, Diagnostics& diags) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(path, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().extension() == ".policy") {
          found.push_back(it->path().string());
        }
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(path);
    }
  }
  std::vector<FileId> ids;
  for (const std::string& file : files) {
    if (std::optional<FileId> id = read_source(file, diags)) ids.push_back(*id);
  }
  return ids;
}

}  // namespace capguard
