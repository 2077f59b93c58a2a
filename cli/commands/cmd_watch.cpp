// `capguard watch --docker`: follows each engine's event stream (container create and start)
// and checks every container as it appears, with the policies and params of `check`, writing
// each finding as it happens: a text line, or a JSON object per line (--format json). Engines
// are followed in parallel, one thread each, from the moment watch starts (to the nanosecond:
// nothing from before it is replayed). A daemon that goes away (restart, stop) is waited
// for and reconnected to with back-off (0.5 s doubling to 30 s), from the time of the last event
// seen so none is missed; an engine that refuses this user (permission, TLS, API too old) is an
// error and is no longer followed. SIGINT or SIGTERM ends the run cleanly: exit 0, or 2 when an
// error was reported (spec/engine.md).
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/common/command.hpp"
#include "cli/common/config.hpp"
#include "cli/common/docker_source.hpp"
#include "cli/common/layout.hpp"
#include "cli/common/options.hpp"
#include "cli/common/policy_loading.hpp"
#include "cli/reporters/reporters.hpp"
#include "runtime/eval/evaluator.hpp"

namespace capguard::cli {

namespace {

constexpr const char* kUsage = "capguard watch --docker [OPTIONS]";

std::atomic<bool> g_stop{false};

void on_signal(int) {
  g_stop = true;
}

// Everything the engine threads share: the policies, and the one output.
struct Watch {
  const LoadedPolicies* policies = nullptr;
  bool json = false;
  bool err_color = false;
  std::mutex out_mutex;
  std::atomic<bool> had_error{false};

  void finding_line(const engine::ContainerInput& c, const engine::EngineEvent& e,
                    const Finding& f) {
    std::string file = finding_file(f);
    std::string line;
    if (json) {
      nlohmann::ordered_json j = {{"event", e.action},
                                  {"host", c.host},
                                  {"container", c.name},
                                  {"id", c.id},
                                  {"image", c.image},
                                  {"project", c.compose ? c.compose->project : ""},
                                  {"service", c.compose ? c.compose->service : ""},
                                  {"policy", f.policy},
                                  {"severity", severity_name(f.severity)},
                                  {"kind", f.kind == RuleKind::Deny ? "deny" : "warn"},
                                  {"title", f.title},
                                  {"message", f.message},
                                  {"file", file},
                                  {"line", f.span.line},
                                  {"column", f.span.column}};
      line = valid_utf8(j.dump()) + "\n";
    } else {
      line = printable_text(fmt::format("{}: {} {}: {} ({})\n", c.input.name,
                                        severity_name(f.severity), f.policy, f.message,
                                        f.span.known() ? location(f.span) : file));
    }
    std::lock_guard<std::mutex> lock(out_mutex);
    std::cout << line << std::flush;
  }

  // Errors and progress notes go to stderr, one line each.
  void note(const std::string& text, bool error) {
    if (error) had_error = true;
    std::lock_guard<std::mutex> lock(out_mutex);
    Diagnostic d;
    d.level = error ? DiagLevel::Error : DiagLevel::Warning;
    d.file_name = "capguard watch";
    d.message = text;
    if (error) {
      std::cerr << render(d, err_color) << std::flush;
    } else {
      std::cerr << "capguard watch: " << printable_text(text, false) << "\n" << std::flush;
    }
  }

  void check(engine::EngineClient& client, const engine::EngineEvent& e) {
    std::string body;
    if (auto err = client.inspect(e.id, body)) {
      note(engine::describe(
               client.host(),
               err->kind == engine::ErrorKind::NotFound
                   ? engine::EngineError{err->kind, fmt::format("container {} disappeared "
                                                                "before its inspect; not checked",
                                                                e.id.substr(0, 12))}
                   : *err),
           true);
      return;
    }
    engine::ContainerInput c = engine::container_input(client.host().label, body, true);
    for (const Diagnostic& d : c.diags.all()) note(d.message, d.level == DiagLevel::Error);
    EvalOptions options;
    options.policies = &policies->selected;
    EvalResult r =
        evaluate(*policies->program, c.input.document, policies->params, c.input.name, options);
    std::stable_sort(r.findings.begin(), r.findings.end(), report_before);
    for (const Finding& f : r.findings) finding_line(c, e, f);
    for (const EvalError& err : r.errors) note(render(eval_error_diagnostic(err)), true);
  }

  // Follows one engine until asked to stop or it refuses us for good, from `start_nano` (unix
  // nanoseconds): the events of containers created before watch started are not replayed (one
  // created and removed a moment before would be a false "disappeared").
  void follow(const engine::EngineHost& host, std::optional<engine::ApiVersion> pinned,
              long long start_nano) {
    using namespace std::chrono;
    milliseconds backoff(500);
    long long since = start_nano;         // unix nanoseconds: the events from then on, inclusive
    std::set<std::string> seen_at_since;  // events at `since` already checked
    // Containers checked at their create and not started since: their first start (docker run
    // sends both) is not checked again; a later start is.
    std::set<std::string> created;
    bool announced_loss = false;
    while (!g_stop) {
      engine::EngineClient client(host);
      std::optional<engine::EngineError> err = client.connect(pinned);
      if (!err) {
        backoff = milliseconds(500);
        if (announced_loss) note(fmt::format("docker host {}: reconnected", host.label), false);
        announced_loss = false;
        err = client.events(
            [&](const engine::EngineEvent& e) {
              // After reconnecting, the daemon replays the events at `since` itself; only
              // those repeat exactly (a start and a restart's start differ in nanoseconds).
              long long t = e.time_nano > 0 ? e.time_nano : e.time * 1000000000;
              std::string key = fmt::format("{} {} {}", e.action, e.id, e.time_nano);
              if (t == since && seen_at_since.count(key) != 0) return true;
              if (t > since) {
                since = t;
                seen_at_since.clear();
              }
              if (t == since) seen_at_since.insert(key);
              if (e.action == "start" && created.erase(e.id) != 0) return !g_stop.load();
              if (e.action == "create") created.insert(e.id);
              check(client, e);
              return !g_stop.load();
            },
            g_stop, since);
      }
      if (g_stop || !err) return;
      bool lasting =
          err->kind == engine::ErrorKind::PermissionDenied || err->kind == engine::ErrorKind::Tls ||
          err->kind == engine::ErrorKind::ApiTooOld || err->kind == engine::ErrorKind::Protocol;
      if (lasting) {
        note(engine::describe(host, *err) + "; no longer followed", true);
        return;
      }
      if (!announced_loss) {
        note(fmt::format("{}; reconnecting with back-off", engine::describe(host, *err)), false);
        announced_loss = true;
      }
      for (auto waited = milliseconds(0); waited < backoff && !g_stop; waited += milliseconds(100))
        std::this_thread::sleep_for(milliseconds(100));
      backoff = std::min(backoff * 2, milliseconds(30000));
    }
  }
};

int run_watch(const std::vector<std::string>& args) {
  CheckOptions flags;
  DockerFlags docker;
  ArgParser parser("capguard watch");
  add_docker_flags(parser, docker, kDockerSwitch);
  add_check_flags(parser, flags, kPolicyFlags | kFormatFlag);
  Diagnostics usage;
  std::vector<std::string> rest = parser.parse(args, usage);
  if (flags.help) {
    std::cout << help_page(parser);
    return kExitOk;
  }
  if (!docker.docker) {
    usage.file_error("capguard watch", "--docker is required: watch follows Docker engines");
  }
  if (!rest.empty()) {
    usage.file_error("capguard watch", fmt::format("unexpected argument `{}`", rest.front()));
  }
  Format format = text_or_json_format(flags, "capguard watch", usage);
  if (usage.has_errors()) return usage_error(usage, parser);

  Diagnostics setup;
  Settings settings = load_settings(flags, setup);
  LoadedPolicies policies;
  if (!setup.has_errors()) policies = load_policies(settings, setup);
  std::vector<engine::EngineHost> hosts = docker_hosts(docker, setup);
  std::string error;
  auto pinned = engine::pinned_api_version(engine::process_environment(), error);
  if (!error.empty()) setup.file_error("DOCKER_API_VERSION", error);
  bool err_color = use_color(flags.color, STDERR_FILENO);
  std::cerr << render(setup, err_color);
  if (setup.has_errors() || !policies.program) return kExitError;

  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  // The events from now on: taken before "following" is said, so a container created after
  // that line is never missed, however long the first connection takes.
  long long start_nano = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  Watch watch;
  watch.policies = &policies;
  watch.json = format == Format::Json;
  watch.err_color = err_color;
  for (const engine::EngineHost& h : hosts) {
    watch.note(fmt::format("following docker host {}", h.label), false);
  }
  std::vector<std::thread> threads;
  for (const engine::EngineHost& h : hosts) {
    threads.emplace_back([&watch, &h, pinned, start_nano] { watch.follow(h, pinned, start_nano); });
  }
  for (std::thread& t : threads) t.join();
  return watch.had_error ? kExitError : kExitOk;
}

const Command kWatch("watch", kUsage, "check containers as Docker engines create or start them",
                     run_watch);

}  // namespace

}  // namespace capguard::cli
