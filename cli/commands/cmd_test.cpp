// `capguard test [PATH...] [--run REGEX] [--stdlib]`: runs the `test` blocks of policy libraries.
//
// Which files: each PATH that is a folder contributes every *.policy file below it; a PATH that is
// a file contributes itself and the other (non-test) *.policy files of its folder, so that a test
// file is always compiled with the policies it tests. Policies without a test are reported when
// only folders are given. `--stdlib` adds the embedded standard
// library (its tests included). With neither, the current folder is searched. Everything is
// compiled together as one program; runtime/testing/test_runner.hpp runs the tests.
//
// Exit status: 0 when every test passed, 1 when one failed, 2 when a file does not compile, a
// test is malformed or a flag is wrong. The last line of standard output is always
// `N passed, N failed`.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/common/command.hpp"
#include "cli/common/layout.hpp"
#include "cli/common/options.hpp"
#include "cli/common/policy_loading.hpp"
#include "lang/compile/pipeline.hpp"
#include "lang/core/file_read.hpp"
#include "runtime/documents/document_schema.hpp"
#include "runtime/eval/evaluator.hpp"
#include "runtime/testing/test_runner.hpp"
#include "stdlib-policies/embedded.hpp"

namespace capguard::cli {

namespace {

namespace fs = std::filesystem;

bool is_policy_file(const fs::path& p) {
  return p.extension() == ".policy";
}

// Adds `path` once, keeping the order of first appearance.
void add_unique(std::vector<std::string>& files, std::set<std::string>& seen, const fs::path& p) {
  std::string key = fs::weakly_canonical(p).string();
  if (seen.insert(key).second) files.push_back(p.lexically_normal().string());
}

// The policy files named by `paths` (see the file comment), sorted within each folder.
std::vector<std::string> find_policy_files(const std::vector<std::string>& paths,
                                           Diagnostics& diags) {
  std::vector<std::string> files;
  std::set<std::string> seen;
  for (const std::string& path : paths) {
    std::error_code ec;
    fs::path p(path);
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> found;
      for (fs::recursive_directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec) && is_policy_file(it->path())) found.push_back(it->path());
      }
      if (ec) diags.file_error(path, "cannot list folder: " + ec.message());
      std::sort(found.begin(), found.end());
      for (const fs::path& f : found) add_unique(files, seen, f);
    } else if (fs::is_regular_file(p, ec)) {
      add_unique(files, seen, p);
      fs::path folder = p.has_parent_path() ? p.parent_path() : fs::path(".");
      std::vector<fs::path> siblings;
      for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path& s = it->path();
        std::string stem = s.stem().string();
        bool is_test = stem.size() > 5 && stem.compare(stem.size() - 5, 5, "_test") == 0;
        if (it->is_regular_file(ec) && is_policy_file(s) && !is_test) siblings.push_back(s);
      }
      std::sort(siblings.begin(), siblings.end());
      for (const fs::path& s : siblings)
        add_unique(files, seen, p.has_parent_path() ? s : s.filename());
    } else {
      diags.file_error(path, "no such file or folder");
    }
  }
  return files;
}

int run(const std::vector<std::string>& args) {
  TestRunOptions options;
  bool with_stdlib = false;
  ArgParser parser("capguard test");
  parser.argument("PATH", "*.policy file (with its folder's policies) or folder; default: .");
  parser.option("run", 0, "REGEX", "run only the tests whose name matches REGEX (RE2)",
                [&](const std::string& v) {
                  options.run_filter = v;
                  return std::string();
                });
  parser.flag("stdlib", 0, "run the tests of the embedded standard library",
              [&] { with_stdlib = true; });
  parser.flag("verbose", 'v', "also list the tests that pass", [&] { options.verbose = true; });
  Diagnostics usage;
  std::vector<std::string> paths;
  if (parse_or_print_help(parser, args, usage, paths)) return kExitOk;
  if (usage.has_errors()) return usage_error(usage, parser);
  if (paths.empty() && !with_stdlib) paths.push_back(".");
  // A file argument brings the policies of its folder along only so that its tests compile:
  // whether those policies have tests elsewhere is not this run's question.
  for (const std::string& path : paths) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) options.report_untested = false;
  }

  Diagnostics diags;
  std::vector<FileId> sources;
  if (with_stdlib) {
    for (const stdlib::EmbeddedFile& f : stdlib::embedded_files()) {
      sources.push_back(add_source(std::string(f.path), std::string(f.text)));
    }
  }
  for (const std::string& file : find_policy_files(paths, diags)) {
    if (std::optional<FileId> id = read_source(file, diags)) sources.push_back(*id);
  }

  TestRunSummary summary;
  if (!diags.has_errors()) {
    std::optional<ir::Program> program =
        compile_policies(sources, document_schema(), diags, runtime_compile_options());
    if (program && !diags.has_errors()) {
      if (program->tests.empty()) {
        diags.file_error(
            paths.empty() ? "--stdlib" : paths.front(),
            "no tests found (tests are `test \"name\" { ... }` blocks in *.policy files)");
      } else {
        // Test names and messages come from policy files: printed through printable_text.
        std::ostringstream report;
        summary = run_tests(*program, options, report, diags);
        std::cout << printable_text(report.str());
        if (summary.passed + summary.failed == 0 && !diags.has_errors()) {
          std::cerr << "capguard test: no test name matches --run "
                    << printable_text(options.run_filter, false) << "\n";
        }
      }
    }
  }
  std::cerr << render(diags);
  std::cout << summary.passed << " passed, " << summary.failed << " failed\n";
  std::cout.flush();
  if (diags.has_errors()) return kExitError;
  return summary.failed > 0 ? kExitFindings : kExitOk;
}

const Command command("test", "capguard test [OPTIONS] [PATH...]",
                      "run the `test` blocks of policy libraries", run);

}  // namespace

}  // namespace capguard::cli
