// `capguard check [PATH...]`: the command users run. Flow, in one visible place:
//   flags -> .capguard.yaml + CAPGUARD_* -> settings -> policies (compile, params, selection)
//   -> inputs loaded and evaluated in parallel -> each input, in the order given, as soon as it
//   and every earlier one are done: its errors to stderr, waivers, its part of the report, then
//   its tree and source text freed -> the end of the report (errors, warnings, summary) -> exit
//   status. Memory does not grow with the number of inputs (spec/output.md, "Streaming").
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "cli/common/command.hpp"
#include "cli/common/config.hpp"
#include "cli/common/docker_source.hpp"
#include "cli/common/layout.hpp"
#include "cli/common/options.hpp"
#include "cli/common/policy_loading.hpp"
#include "cli/common/report_output.hpp"
#include "cli/common/waivers.hpp"
#include "cli/reporters/reporters.hpp"
#include "lang/core/phase_probe.hpp"
#include "runtime/documents/inputs.hpp"
#include "runtime/documents/project_scan.hpp"
#include "runtime/eval/evaluator.hpp"

namespace capguard::cli {

namespace {

constexpr const char* kUsage = "capguard check [OPTIONS] [PATH...]";

// What the command is done with at its end, left for the process's exit to reclaim rather than
// freed piece by piece (the loaded standard library alone is thousands of allocations, ~0.3 M
// instructions to free). `check` runs once per process (cli/commands/main.cpp); what is kept
// stays reachable, so leak checkers do not report it.
template <typename T>
void leave_to_exit(T& value) {
  static auto* kept = new std::vector<std::shared_ptr<void>>();
  kept->push_back(std::make_shared<T>(std::move(value)));
}

// One input's work, done by one worker thread.
struct InputJob {
  std::vector<std::string> files;  // -f files (merged as one project), or empty
  std::string path;                // otherwise: a path, "-", or "" (the current folder's project)
  const engine::ContainerInput* container = nullptr;  // --docker: a container, already read
};

struct InputResult {
  LoadedInput input;
  Diagnostics diags;  // loading errors, inline-waiver mistakes
  EvalResult eval;
  std::vector<Waiver> inline_waivers;
  std::vector<ServiceLine> service_lines;
  std::vector<FileId> sources;  // registered while loading it: freed once it is reported
};

// The distinct files that values of a document came from (an input may merge several files).
// Iterative, and comparing with the last file found first: a document's values come from one
// file in long runs.
void collect_files(const Value& root, std::vector<FileId>& out) {
  std::vector<const Value*> todo{&root};
  FileId last = 0;
  while (!todo.empty()) {
    const Value& v = *todo.back();
    todo.pop_back();
    FileId file = v.span().file;
    if (file != 0 && file != last) {
      last = file;
      if (std::find(out.begin(), out.end(), file) == out.end()) out.push_back(file);
    }
    if (v.is_sequence()) {
      for (const Value& item : v.as_list()) todo.push_back(&item);
    } else if (v.is_map()) {
      for (const auto& e : v.as_map()) todo.push_back(&e.second);
    }
  }
}

InputResult check_one(const InputJob& job, const InputOptions& input_options,
                      const LoadedPolicies& policies) {
  CAPGUARD_PHASE("inputs listed, report begun");
  InputResult r;
  SourceRecorder recorder;
  if (job.container != nullptr) {
    r.input = job.container->input;
    r.diags.append(job.container->diags);
  } else {
    r.input = job.files.empty() ? load_input(job.path, input_options, r.diags)
                                : load_input_files(job.files, input_options, r.diags);
  }
  CAPGUARD_PHASE("input loaded");
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
  CAPGUARD_PHASE("inline waivers read");
  EvalOptions eval_options;
  eval_options.policies = &policies.selected;
  r.eval =
      evaluate(*policies.program, r.input.document, policies.params, r.input.name, eval_options);
  // Findings own their text (r.eval.text) and the service lines are copies: the input's tree is
  // not needed by the report, so it is freed now rather than kept until every input is done.
  CAPGUARD_PHASE("evaluated");
  r.input.document = Value();
  r.sources = recorder.take();
  return r;
}

// Runs `jobs` on `threads` workers and hands each result to `deliver`, on the calling thread, in
// job order, as soon as it and every earlier one are done. At most `kWindow` per worker are
// checked or waiting at once, so memory does not grow with the number of inputs however slow one
// input is. With one thread the inputs are checked one after the other on the calling thread.
void run_jobs(const std::vector<InputJob>& jobs, int threads, const InputOptions& input_options,
              const LoadedPolicies& policies,
              const std::function<void(size_t, InputResult&)>& deliver) {
  size_t count = std::min<size_t>(static_cast<size_t>(std::max(threads, 1)), jobs.size());
  if (count <= 1) {
    for (size_t i = 0; i < jobs.size(); ++i) {
      InputResult r = check_one(jobs[i], input_options, policies);
      deliver(i, r);
    }
    return;
  }
  constexpr size_t kWindow = 4;
  const size_t window = kWindow * count;
  std::vector<std::optional<InputResult>> slots(window);  // done, not yet delivered
  std::mutex mutex;
  std::condition_variable done_cv, room_cv;
  size_t next = 0, delivered = 0;
  auto worker = [&] {
    for (;;) {
      size_t i;
      {
        std::unique_lock<std::mutex> lock(mutex);
        room_cv.wait(lock, [&] { return next >= jobs.size() || next < delivered + window; });
        if (next >= jobs.size()) return;
        i = next++;
      }
      InputResult r = check_one(jobs[i], input_options, policies);
      {
        std::lock_guard<std::mutex> lock(mutex);
        slots[i % window] = std::move(r);
      }
      done_cv.notify_one();
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 0; t < count; ++t) pool.emplace_back(worker);
  for (size_t i = 0; i < jobs.size(); ++i) {
    InputResult r;
    {
      std::unique_lock<std::mutex> lock(mutex);
      done_cv.wait(lock, [&] { return slots[i % window].has_value(); });
      r = std::move(*slots[i % window]);
      slots[i % window].reset();
      delivered = i + 1;
    }
    room_cv.notify_all();
    deliver(i, r);
  }
  for (std::thread& t : pool) t.join();
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

// `check --docker --drift` is `capguard drift` with the same engines and selection.
int run_drift_of_check(const std::vector<std::string>& args) {
  std::vector<std::string> rest;
  for (const std::string& a : args) {
    if (a != "--drift" && a != "--docker") rest.push_back(a);
  }
  for (const Command* c : commands()) {
    if (std::string_view(c->name) == "drift") return c->run(rest);
  }
  return kExitError;
}

int run_check(const std::vector<std::string>& args) {
  CheckOptions flags;
  ArgParser parser("capguard check");
  parser.argument("PATH", "compose file, folder, docker inspect JSON, or - (stdin); default: .");
  parser.argument("CONTAINER", "with --docker: container ids or names (default: docker ps)");
  bool recursive = false;
  ScanOptions scan;
  parser.flag("recursive", 'r', "check every compose project below each folder (default: .)",
              [&] { recursive = true; });
  parser.option("exclude", 0, "GLOB", "with -r: skip paths matching GLOB, as in .gitignore",
                [&](const std::string& v) {
                  scan.excludes.push_back(v);
                  return std::string();
                });
  DockerFlags docker;
  add_docker_flags(parser, docker, kDockerSwitch | kDockerSelection | kDockerDrift);
  add_check_flags(parser, flags, kInputFlags | kPolicyFlags | kOutputFlags);
  Diagnostics usage;
  std::vector<std::string> paths = parser.parse(args, usage);
  check_docker_flags(docker, false, "capguard check", usage);
  if (docker.docker && recursive) {
    usage.file_error("capguard check",
                     "-r reads compose projects below folders; it does not go "
                     "with --docker");
  }
  if (docker.docker && !flags.compose_files.empty()) {
    usage.file_error("capguard check",
                     "-f is for compose files; with --docker, arguments are "
                     "container ids or names");
  }
  if (flags.help) {
    std::cout << help_page(parser);
    return kExitOk;
  }
  if (!flags.today.empty() && !parse_date(flags.today)) {
    usage.file_error("capguard check", "--today " + flags.today + ": expected YYYY-MM-DD");
  }
  if (usage.has_errors()) return usage_error(usage, parser);
  if (docker.drift) return run_drift_of_check(args);

  // Settings: flags, then the environment, then .capguard.yaml.
  Diagnostics setup;
  Settings settings = load_settings(flags, setup);

  Report report;
  report.fail_on = settings.fail_on;
  bool color = settings.format == Format::Text && flags.output.empty() &&
               use_color(flags.color, STDOUT_FILENO);
  bool err_color = use_color(flags.color, STDERR_FILENO);

  LoadedPolicies policies;
  // The standard library's steps stay in the built-in bytes until the inputs are known (below).
  CAPGUARD_PHASE("arguments and settings");
  // Only SARIF prints the policies' descriptions, rationales and references.
  if (!setup.has_errors()) {
    policies = load_policies(settings, setup, /*defer_steps=*/true,
                             /*policy_texts=*/settings.format == Format::Sarif);
  }
  CAPGUARD_PHASE("standard library loaded");

  std::vector<Waiver> waivers = settings.waivers;
  for (const std::string& file : settings.waiver_files) {
    for (Waiver& w : load_waivers_file(file, setup)) waivers.push_back(std::move(w));
  }

  std::vector<InputJob> jobs;
  std::vector<engine::HostScan> engines;  // --docker: the containers read, kept until reported
  Diagnostics engine_errors;
  InputOptions input_options;
  if (policies.program) {
    report.policies = std::move(policies.in_force);  // the report's copy is the one read
    input_options.format = *parse_input_format(flags.input_format);
    input_options.env_files = flags.env_files;
    input_options.profiles = flags.profiles;
    // An inspect container keeps only the keys of its raw that a policy can read.
    input_options.raw_whole = policies.program->raw_whole;
    input_options.raw_keys = policies.program->raw_keys;
    // Each input is evaluated once and freed: its document is not worth a compacted copy.
    input_options.compact = false;
    if (docker.docker) {
      engines = read_containers(docker, paths, ComposeLink::Optional, engine_errors);
      for (const engine::HostScan& engine_scan : engines) {
        for (const engine::ContainerInput& c : engine_scan.containers) jobs.push_back({{}, "", &c});
      }
    } else {
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
              setup.file_error(p,
                               "no compose project and no *.inspect.json file below this folder");
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
    }
    // One input runs each policy once: its steps are read from the built-in bytes just before
    // it runs and freed after, so they are never all in memory. More inputs read them all now.
    if (jobs.size() != 1) policies.program->load_all_steps();
  }

  // The report goes to stdout or --output as it is written; a failed write ends the run.
  ReportSink sink;
  std::string open_error;
  if (!sink.open(flags.output, open_error)) {
    std::cerr << "capguard check: error: " << open_error << "\n";
    return kExitError;
  }
  ReportOutput out(
      [&sink](std::string_view text, std::string& error) { return sink.write(text, error); });
  std::unique_ptr<ReportWriter> writer =
      make_report_writer(settings.format, RenderOptions{color, flags.quiet}, out);

  // Errors and warnings go to stderr as they come, in every format, and into the report. Setup
  // ones first, then those of the engines, then each input's, then those about waivers.
  bool progress = jobs.size() > 1 && !flags.quiet && isatty(STDERR_FILENO) != 0;
  bool progress_shown = false;
  auto clear_progress = [&] {
    if (progress_shown) std::cerr << "\r\033[K" << std::flush;
    progress_shown = false;
  };
  auto report_diagnostics = [&](const Diagnostics& diags, std::vector<ReportMessage>* errors) {
    for (const Diagnostic& d : diags.all()) {
      bool error = d.level == DiagLevel::Error;
      if (!error && flags.quiet) continue;
      clear_progress();
      std::cerr << render(d, err_color);
      ReportMessage m = to_report_message(d);
      if (error && errors != nullptr) errors->push_back(m);
      (error ? report.errors : report.warnings).push_back(std::move(m));
    }
  };
  report_diagnostics(setup, nullptr);
  report_diagnostics(engine_errors, nullptr);

  std::vector<std::string> in_force, known;
  for (const PolicyMetadata& p : report.policies) in_force.push_back(p.id);
  if (policies.program) {
    for (const ir::Policy& p : policies.program->policies) known.push_back(p.meta.id);
  }
  Date today_date = flags.today.empty() ? today() : *parse_date(flags.today);
  WaiverBook book(std::move(waivers), in_force, known, today_date);
  // What each input's inline waivers need said at the end, rendered while its text is there: the
  // text for stderr and the report's message.
  struct Pending {
    std::string text;
    ReportMessage message;
  };
  std::vector<Pending> inline_expired, inline_unused;
  Summary summary;

  writer->begin(report);
  out.drain();
  auto deliver = [&](size_t index, InputResult& r) {
    InputSummary input{r.input.name, {}, r.input.ok};
    for (const ServiceLine& l : r.service_lines) input.services.push_back(l.service);
    report.inputs.push_back(std::move(input));

    std::vector<ReportMessage> input_errors;
    Diagnostics checking = r.diags;
    for (const EvalError& e : r.eval.errors) checking.add(eval_error_diagnostic(e));
    report_diagnostics(checking, &input_errors);
    size_t not_checked_from = report.not_checked.size();
    for (NotChecked& n : r.eval.not_checked) report.not_checked.push_back(std::move(n));
    std::vector<NotChecked> input_not_checked(report.not_checked.begin() + not_checked_from,
                                              report.not_checked.end());

    // Within an input, the deterministic report order; then its waivers.
    sort_findings(r.eval.findings);
    Diagnostics expired, unused;
    book.apply(r.eval.findings, r.inline_waivers, r.service_lines, expired, unused);
    for (const Diagnostic& d : expired.all()) {
      inline_expired.push_back({render(d, err_color), to_report_message(d)});
      input_errors.push_back(inline_expired.back().message);
    }
    if (!flags.quiet) {
      for (const Diagnostic& d : unused.all()) {
        inline_unused.push_back({render(d, err_color), to_report_message(d)});
      }
    }
    count_findings(r.eval.findings, report.fail_on, summary);
    writer->input(report, report.inputs.back(), r.eval.findings, input_not_checked, input_errors);
    out.drain();
    CAPGUARD_PHASE("input reported");
    // Nothing reads the input's text any more: the report has it.
    for (FileId f : r.sources) release_source(f);
    if (progress) {
      std::cerr << fmt::format("\rcapguard: checked {}/{} inputs", index + 1, jobs.size())
                << std::flush;
      progress_shown = true;
    }
  };
  if (policies.program && !out.failed()) {
    int threads = flags.jobs > 0     ? flags.jobs
                  : jobs.size() <= 1 ? 1  // not asked: counting the processors reads a /sys file
                                     : static_cast<int>(std::thread::hardware_concurrency());
    run_jobs(jobs, threads, input_options, policies, deliver);
  }
  clear_progress();

  // Waivers: expired ones are errors, unused ones warnings (the global ones, then each input's).
  if (policies.program) {
    Diagnostics expired, unused;
    book.finish(expired, unused);
    report_diagnostics(expired, nullptr);
    for (Pending& p : inline_expired) {
      std::cerr << p.text;
      report.errors.push_back(std::move(p.message));
    }
    report_diagnostics(unused, nullptr);
    for (Pending& p : inline_unused) {
      std::cerr << p.text;
      report.warnings.push_back(std::move(p.message));
    }
  }
  if (flags.quiet) report.warnings.clear();

  summary.errors = report.errors.size();
  summary.warnings = report.warnings.size();
  summary.not_checked = report.not_checked.size();
  writer->end(report, summary);
  out.drain();
  std::string write_error;
  bool written = !out.failed() && sink.commit(write_error);
  leave_to_exit(policies);
  leave_to_exit(report);
  if (!written) {
    std::cerr << "capguard check: error: " << (out.failed() ? out.error() : write_error) << "\n";
    return kExitError;
  }
  return exit_status(summary);
}

const Command kCheck("check", kUsage, "check compose projects and containers against the policies",
                     run_check);

}  // namespace

}  // namespace capguard::cli
