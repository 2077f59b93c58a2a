// `capguard authz`: the Docker authorization plugin (spec/authz.md). Flow:
//   flags -> policies loaded as `check` loads them (fail-on defaults to high) -> the socket bound
//   (and the spec file written) -> requests served by a thread pool, each decided on the current
//   policy set -> SIGHUP reloads the set (a set that does not load keeps the previous one),
//   SIGINT/SIGTERM stop. `--decide FILE` decides one request without a server.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/authz/decider.hpp"
#include "cli/authz/server.hpp"
#include "cli/common/command.hpp"
#include "cli/common/layout.hpp"
#include "cli/common/options.hpp"
#include "lang/core/diagnostics.hpp"
#include "lang/core/file_read.hpp"

namespace capguard::cli {

namespace {

constexpr const char* kUsage = "capguard authz [OPTIONS]";
constexpr const char* kDefaultSocket = "/run/docker/plugins/capguard.sock";

struct AuthzFlags {
  std::string socket = kDefaultSocket;
  std::string spec_file;
  std::string plugin_name;
  std::string log = "-";
  std::string decide;
  bool fail_open = false;
  int threads = 16;
  int timeout = 10;
};

// The decision log: one JSON line per decision, to stderr or appended to a file.
class DecisionLog {
 public:
  bool open(const std::string& path) {
    if (path == "-") return true;
    file_.open(path, std::ios::app | std::ios::binary);
    return file_.is_open();
  }
  void write(const std::string& line) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::ostream& out = file_.is_open() ? static_cast<std::ostream&>(file_) : std::cerr;
    out << line << '\n' << std::flush;
  }

 private:
  std::mutex mutex_;
  std::ofstream file_;
};

std::string event_line(const char* event, bool ok, const std::vector<std::string>& errors) {
  nlohmann::ordered_json j;
  j["event"] = event;
  j["ok"] = ok;
  j["errors"] = errors;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> error_texts(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const Diagnostic& d : diags.all()) {
    if (d.level == DiagLevel::Error) out.push_back(render(d, false));
  }
  return out;
}

// The plugin's name as dockerd derives it: the socket's or spec file's name without extension.
std::string derived_name(const AuthzFlags& f) {
  std::string path = f.spec_file.empty() ? f.socket : f.spec_file;
  std::string base = path.substr(path.find_last_of('/') + 1);
  return base.substr(0, base.find_last_of('.'));
}

int decide_once(const authz::PolicySet& set, const std::string& path) {
  // Bounded and kind-checked like every other read (lang/core/file_read.hpp): /dev/zero or a
  // folder is an error naming it, never an endless read.
  std::string text, error;
  if (!capguard::read_bounded(path, text, error)) {
    std::cerr << fmt::format("{}: error: cannot read the request: {}\n",
                             capguard::printable_text(path, false), error);
    return kExitError;
  }
  capguard::authz::PluginRequest request;
  authz::Decision d = authz::decide(set, text, request);
  std::cout << authz::response_json(d) << "\n";
  return d.allow ? kExitOk : kExitFindings;
}

int run_authz(const std::vector<std::string>& args) {
  CheckOptions flags;
  AuthzFlags f;
  ArgParser parser("capguard authz");
  parser.option("socket", 0, "PATH",
                std::string("unix socket to serve (default: ") + kDefaultSocket + ")",
                [&f](const std::string& v) {
                  f.socket = v;
                  return std::string();
                });
  parser.option("spec-file", 0, "PATH",
                "write a plugin spec file naming the socket (e.g. /etc/docker/plugins/NAME.spec); "
                "removed on exit",
                [&f](const std::string& v) {
                  f.spec_file = v;
                  return std::string();
                });
  parser.option("plugin-name", 0, "NAME",
                "the name dockerd knows the plugin by (default: the spec file's or socket's name)",
                [&f](const std::string& v) {
                  f.plugin_name = v;
                  return std::string();
                });
  add_check_flags(parser, flags, kPolicyFlags);
  parser.option("fail-on", 0, "SEVERITY",
                "info | low | medium | high | critical: refuse on deny findings at or above it "
                "(default: high)",
                [&flags](const std::string& v) {
                  std::optional<Severity> s = parse_severity(v);
                  if (!s) return std::string("expected info, low, medium, high or critical");
                  flags.fail_on = s;
                  return std::string();
                });
  parser.option("waivers", 0, "FILE", "waivers file (YAML); also lifts CG-AUTHZ-* refusals",
                [&flags](const std::string& v) {
                  flags.waiver_files.push_back(v);
                  return std::string();
                });
  parser.flag("fail-open", 0,
              "allow requests that cannot be decided (malformed, policy errors); RISK: a "
              "request crafted to fail is then let through",
              [&f] { f.fail_open = true; });
  parser.option("log", 0, "FILE", "append the decision log (JSON lines) to FILE (default: stderr)",
                [&f](const std::string& v) {
                  f.log = v;
                  return std::string();
                });
  parser.option("threads", 0, "N", "requests served at once (default: 16)",
                [&f](const std::string& v) {
                  f.threads = std::atoi(v.c_str());
                  return f.threads > 0 && f.threads <= 1024 ? std::string()
                                                            : std::string("expected 1 to 1024");
                });
  parser.option("timeout", 0, "SECONDS", "read and write timeout per connection (default: 10)",
                [&f](const std::string& v) {
                  f.timeout = std::atoi(v.c_str());
                  return f.timeout > 0 ? std::string() : std::string("expected a positive number");
                });
  parser.option("decide", 0, "FILE",
                "decide one AuthZReq request body (JSON, - for stdin), print the response and "
                "exit 0 (allowed) or 1 (refused); no server",
                [&f](const std::string& v) {
                  f.decide = v;
                  return std::string();
                });
  Diagnostics usage;
  std::vector<std::string> rest = parser.parse(args, usage);
  if (flags.help) {
    std::cout << help_page(parser);
    return kExitOk;
  }
  if (!rest.empty()) usage.file_error("capguard authz", "unexpected argument `" + rest[0] + "`");
  if (usage.has_errors()) return usage_error(usage, parser);

  authz::PluginIdentity identity;
  identity.name = f.plugin_name.empty() ? derived_name(f) : f.plugin_name;
  identity.fail_open = f.fail_open;
  identity.protected_paths.push_back(authz::canonical_path(f.socket));
  if (!f.spec_file.empty()) identity.protected_paths.push_back(authz::canonical_path(f.spec_file));

  Diagnostics setup;
  std::shared_ptr<const authz::PolicySet> initial = authz::load_policy_set(flags, identity, setup);
  for (const Diagnostic& d : setup.all()) std::cerr << render(d, false);
  if (!initial) return kExitError;
  if (!f.decide.empty()) return decide_once(*initial, f.decide);

  DecisionLog log;
  if (!log.open(f.log)) {
    std::cerr << fmt::format("capguard authz: error: cannot open the log {}\n", f.log);
    return kExitError;
  }
  std::shared_ptr<const authz::PolicySet> current = initial;

  // Signals go to the one thread that waits for them, never to a request's thread.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  authz::ServerOptions options;
  options.socket_path = f.socket;
  options.threads = f.threads;
  options.timeout_seconds = f.timeout;
  authz::AuthzServer server(options, [&](std::string_view body, bool too_large) {
    auto start = std::chrono::steady_clock::now();
    std::shared_ptr<const authz::PolicySet> set = std::atomic_load(&current);
    capguard::authz::PluginRequest request;
    authz::Decision d;
    if (too_large) {
      d.allow = set->identity.fail_open;
      d.reason = d.allow ? "fail-open" : "malformed";
      d.message = "capguard: the authorization request is larger than the plugin accepts";
    } else {
      try {
        d = authz::decide(*set, body, request);
      } catch (const std::exception& e) {  // out of memory, most likely: fail closed (or open)
        d = authz::Decision{};
        d.allow = set->identity.fail_open;
        d.reason = d.allow ? "fail-open" : "error";
        d.message = std::string("capguard: internal error: ") + e.what();
      }
    }
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::steady_clock::now() - start)
                  .count();
    log.write(authz::decision_log_line(d, request, us));
    return authz::response_json(d);
  });
  std::string error;
  if (!server.bind(error)) {
    std::cerr << "capguard authz: error: " << error << "\n";
    return kExitError;
  }
  if (!f.spec_file.empty()) {
    std::ofstream spec(f.spec_file, std::ios::trunc);
    spec << "unix://" << authz::canonical_path(f.socket) << "\n";
    if (!spec.good()) {
      std::cerr << fmt::format("capguard authz: error: cannot write {}\n", f.spec_file);
      server.stop();
      return kExitError;
    }
  }
  log.write(event_line("start", true, {}));
  std::atomic<bool> served_ok{true};
  std::thread serving([&] { served_ok = server.serve(); });
  int status = kExitOk;
  for (;;) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig == SIGHUP) {
      Diagnostics reload;
      std::shared_ptr<const authz::PolicySet> next =
          authz::load_policy_set(flags, identity, reload);
      if (next) std::atomic_store(&current, next);
      log.write(event_line("reload", next != nullptr, error_texts(reload)));
      continue;
    }
    break;
  }
  server.stop();
  serving.join();
  if (!f.spec_file.empty()) std::remove(f.spec_file.c_str());
  if (!served_ok) status = kExitError;
  log.write(event_line("stop", served_ok, {}));
  return status;
}

const Command kAuthz(
    "authz", kUsage,
    "serve the Docker authorization plugin protocol: refuse what the policies deny", run_authz);

}  // namespace

}  // namespace capguard::cli
