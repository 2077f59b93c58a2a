// `capguard check [PATH...]`: the command users run. Flow, in one visible place:
//   flags -> .capguard.yaml + CAPGUARD_* -> settings -> policies (compile, params, selection)
//   -> inputs loaded and evaluated in parallel (results kept in input order) -> waivers
//   -> one Report -> the chosen reporter; errors and warnings to stderr -> exit status.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "cli/common/command.hpp"
#include "cli/common/config.hpp"
#include "cli/common/layout.hpp"
#include "cli/common/options.hpp"
#include "cli/common/policy_loading.hpp"
#include "cli/common/waivers.hpp"
#include "cli/reporters/reporters.hpp"
#include "runtime/documents/inputs.hpp"
#include "runtime/documents/project_scan.hpp"
#include "runtime/eval/evaluator.hpp"

namespace capguard::cli {

namespace {

constexpr const char* kUsage = "capguard check [OPTIONS] [PATH...]";

// One input's work, done by one worker thread.
struct InputJob {
  std::vector<std::string> files;  // -f files (merged as one project), or empty
  std::string path;                // otherwise: a path, "-", or "" (the current folder's project)
};

struct InputResult {
  LoadedInput input;
  Diagnostics diags;  // loading errors, inline-waiver mistakes
  EvalResult eval;
  std::vector<Waiver> inline_waivers;
  std::vector<ServiceLine> service_lines;
};

// The distinct files that values of a document came from (an input may merge several files).
void collect_files(const Value& v, std::vector<FileId>& out) {
  if (v.span().file != 0 && std::find(out.begin(), out.end(), v.span().file) == out.end()) {
    out.push_back(v.span().file);
  }
  if (v.is_sequence()) {
    for (const Value& item : v.as_list()) collect_files(item, out);
  } else if (v.is_map()) {
    for (const auto& e : v.as_map()) collect_files(e.second, out);
  }
}

InputResult check_one(const InputJob& job, const InputOptions& input_options,
                      const LoadedPolicies& policies) {
  InputResult r;
  r.input = job.files.empty() ? load_input(job.path, input_options, r.diags)
                              : load_input_files(job.files, input_options, r.diags);
  const Value* services = r.input.document.get("services");
  if (services != nullptr && services->is_sequence()) {
    for (const Value& s : services->as_list()) {
      const Value* name = s.get("name");
      if (name == nullptr || !name->is_string()) continue;
      Span key = s.span().known() ? s.span() : name->span();
      r.service_lines.push_back(ServiceLine{r.input.name, name->as_string(), key.file, key.line});
    }
  }
  std::vector<FileId> files;
  collect_files(r.input.document, files);
  std::sort(files.begin(), files.end());
  for (FileId f : files) {
    for (Waiver& w : scan_inline_waivers(f, r.diags)) r.inline_waivers.push_back(std::move(w));
  }
  EvalOptions eval_options;
  eval_options.policies = &policies.selected;
  r.eval =
      evaluate(*policies.program, r.input.document, policies.params, r.input.name, eval_options);
  return r;
}

// Runs `jobs` on `threads` workers; results in job order whatever the completion order. While
// running, a progress line goes to stderr when it is a terminal and there is more than one input.
std::vector<InputResult> run_jobs(const std::vector<InputJob>& jobs, int threads,
                                  const InputOptions& input_options, const LoadedPolicies& policies,
                                  bool progress) {
  std::vector<InputResult> results(jobs.size());
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  std::mutex progress_mutex;
  auto worker = [&] {
    for (size_t i = next++; i < jobs.size(); i = next++) {
      results[i] = check_one(jobs[i], input_options, policies);
      size_t finished = ++done;
      if (progress) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        std::cerr << fmt::format("\rcapguard: checked {}/{} inputs", finished, jobs.size())
                  << std::flush;
      }
    }
  };
  size_t count = std::min<size_t>(static_cast<size_t>(std::max(threads, 1)), jobs.size());
  std::vector<std::thread> pool;
  for (size_t t = 1; t < count; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  if (progress) std::cerr << "\r\033[K" << std::flush;
  return results;
}

bool is_directory(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_directory(path, ec);
}

// "capguard check: 3 projects below deploy: a (compose.yaml), ..." on standard error.
std::string projects_found_note(const std::string& folder, const std::vector<ScannedInput>& found) {
  std::string out = fmt::format("capguard check: {} input{} below {}:\n", found.size(),
                                found.size() == 1 ? "" : "s", printable_text(folder, false));
  for (const ScannedInput& f : found) out += "  " + printable_text(f.label, false) + "\n";
  return out;
}

void add_messages(const Diagnostics& diags, Report& report) {
  for (const Diagnostic& d : diags.all()) {
    (d.level == DiagLevel::Error ? report.errors : report.warnings).push_back(to_report_message(d));
  }
}

int run_check(const std::vector<std::string>& args) {
  CheckOptions flags;
  ArgParser parser("capguard check");
  parser.argument("PATH", "compose file, folder, docker inspect JSON, or - (stdin); default: .");
  bool recursive = false;
  ScanOptions scan;
  parser.flag("recursive", 'r', "check every compose project below each folder (default: .)",
              [&] { recursive = true; });
  parser.option("exclude", 0, "GLOB", "with -r: skip paths matching GLOB, as in .gitignore",
                [&](const std::string& v) {
                  scan.excludes.push_back(v);
                  return std::string();
                });
  add_check_flags(parser, flags, kInputFlags | kPolicyFlags | kOutputFlags);
  Diagnostics usage;
  std::vector<std::string> paths = parser.parse(args, usage);
  if (flags.help) {
    std::cout << help_page(parser);
    return kExitOk;
  }
  if (!flags.today.empty() && !parse_date(flags.today)) {
    usage.file_error("capguard check", "--today " + flags.today + ": expected YYYY-MM-DD");
  }
  if (usage.has_errors()) return usage_error(usage, parser);

  // Settings: flags, then the environment, then .capguard.yaml.
  Diagnostics setup;
  Settings settings = load_settings(flags, setup);

  Report report;
  report.fail_on = settings.fail_on;
  bool color = settings.format == Format::Text && flags.output.empty() &&
               use_color(flags.color, STDOUT_FILENO);
  bool err_color = use_color(flags.color, STDERR_FILENO);

  LoadedPolicies policies;
  if (!setup.has_errors()) policies = load_policies(settings, setup);

  std::vector<Waiver> waivers = settings.waivers;
  for (const std::string& file : settings.waiver_files) {
    for (Waiver& w : load_waivers_file(file, setup)) waivers.push_back(std::move(w));
  }

  std::vector<InputResult> results;
  if (policies.program) {
    report.policies = policies.in_force;
    InputOptions input_options;
    input_options.format = *parse_input_format(flags.input_format);
    input_options.env_files = flags.env_files;
    input_options.profiles = flags.profiles;
    std::vector<InputJob> jobs;
    if (!flags.compose_files.empty()) jobs.push_back(InputJob{flags.compose_files, ""});
    if (recursive && paths.empty()) paths.push_back(".");
    for (const std::string& p : paths) {
      // A folder with no compose file of its own (and no COMPOSE_FILE) is scanned as with -r.
      bool scan_folder =
          is_directory(p) &&
          (recursive || (!has_compose_file(p) && std::getenv("COMPOSE_FILE") == nullptr));
      if (scan_folder) {
        std::vector<ScannedInput> found = scan_projects(p, scan, setup);
        if (!found.empty() || recursive) {
          if (found.empty()) {
            setup.file_error(p, "no compose project and no *.inspect.json file below this folder");
          } else if (!flags.quiet) {
            std::cerr << projects_found_note(p, found);
          }
          for (ScannedInput& f : found) {
            jobs.push_back(InputJob{std::move(f.files), std::move(f.path)});
          }
          continue;
        }
      }
      jobs.push_back(InputJob{{}, p});
    }
    if (jobs.empty() && !recursive) jobs.push_back(InputJob{{}, ""});  // the current project
    int threads =
        flags.jobs > 0 ? flags.jobs : static_cast<int>(std::thread::hardware_concurrency());
    bool progress = jobs.size() > 1 && !flags.quiet && isatty(STDERR_FILENO) != 0;
    results = run_jobs(jobs, threads, input_options, policies, progress);
  }

  // Everything in input order: loading errors, then evaluation errors, of each input in turn.
  Diagnostics checking;
  for (InputResult& r : results) {
    InputSummary summary{r.input.name, {}, r.input.ok};
    for (const ServiceLine& s : r.service_lines) summary.services.push_back(s.service);
    report.inputs.push_back(std::move(summary));
    checking.append(r.diags);
    for (const EvalError& e : r.eval.errors) checking.add(eval_error_diagnostic(e));
    // Inputs in the order given; within an input, the deterministic report order. The findings'
    // text stays in r.eval.text: `results` lives until the report is written.
    std::stable_sort(r.eval.findings.begin(), r.eval.findings.end(), report_before);
    for (Finding& f : r.eval.findings) report.findings.push_back(std::move(f));
    for (Waiver& w : r.inline_waivers) waivers.push_back(std::move(w));
  }

  // Waivers apply to all findings; expired ones are errors, unused ones warnings.
  std::vector<ServiceLine> service_lines;
  for (const InputResult& r : results) {
    service_lines.insert(service_lines.end(), r.service_lines.begin(), r.service_lines.end());
  }
  std::vector<std::string> in_force, known;
  for (const PolicyMetadata& p : report.policies) in_force.push_back(p.id);
  if (policies.program) {
    for (const ir::Policy& p : policies.program->policies) known.push_back(p.meta.id);
  }
  Date today_date = flags.today.empty() ? today() : *parse_date(flags.today);
  if (policies.program) {
    apply_waivers(report.findings, waivers, service_lines, in_force, known, today_date, checking);
  }

  add_messages(setup, report);
  add_messages(checking, report);
  if (flags.quiet) report.warnings.clear();

  // Errors and warnings to stderr in every format; the report to stdout or --output.
  Diagnostics to_stderr = setup;
  to_stderr.append(checking);
  for (const Diagnostic& d : to_stderr.all()) {
    if (d.level == DiagLevel::Warning && flags.quiet) continue;
    std::cerr << render(d, err_color);
  }
  std::string output = render_report(settings.format, report, RenderOptions{color, flags.quiet});
  if (flags.output.empty()) {
    std::cout << output << std::flush;
  } else {
    std::ofstream out(flags.output, std::ios::binary);
    out << output;
    if (!out.good()) {
      std::cerr << fmt::format("capguard check: error: cannot write {}\n",
                               printable_text(flags.output, false));
      return kExitError;
    }
  }
  return exit_status(report);
}

const Command kCheck("check", kUsage, "check compose projects and containers against the policies",
                     run_check);

}  // namespace

}  // namespace capguard::cli
