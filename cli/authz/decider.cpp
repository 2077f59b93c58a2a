#include "cli/authz/decider.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "runtime/authz/container_request.hpp"
#include "runtime/eval/evaluator.hpp"

namespace capguard::cli::authz {

namespace fs = std::filesystem;
using capguard::authz::ApiCall;
using capguard::authz::ApiRoute;
using capguard::authz::PluginRequest;

namespace {

struct BuiltinPolicy {
  const char* id;
  const char* title;
  const char* remediation;
};

constexpr BuiltinPolicy kExposesPlugin{
    "CG-AUTHZ-001", "Do not expose the authorization plugin to a container",
    "Do not bind the plugin's socket, its policies, configuration, waivers or params (or a folder "
    "holding them) into a container; a waiver for CG-AUTHZ-001 allows one explicitly."};
constexpr BuiltinPolicy kHostRoot{
    "CG-AUTHZ-002", "Do not bind the host's root file system",
    "Bind only the folders the container needs; a waiver for CG-AUTHZ-002 allows it explicitly."};
constexpr BuiltinPolicy kDisablesPlugin{
    "CG-AUTHZ-003", "Do not disable or replace the authorization plugin",
    "Change the plugin through its systemd unit; a waiver for CG-AUTHZ-003 allows it "
    "explicitly."};

// Findings and the text they point into.
struct Findings {
  std::vector<Finding> list;
  std::shared_ptr<FindingText> text = std::make_shared<FindingText>();
};

void add_builtin(Findings& f, const BuiltinPolicy& p, const std::string& service,
                 const std::string& message) {
  Finding x;
  x.policy = p.id;
  x.kind = RuleKind::Deny;
  x.severity = Severity::Critical;
  x.title = p.title;
  x.message = f.text->add(message);
  x.service = f.text->add(service);
  x.input = "request";
  f.list.push_back(std::move(x));
}

std::string strip_latest(std::string name) {
  constexpr std::string_view kLatest = ":latest";
  if (name.size() > kLatest.size() &&
      name.compare(name.size() - kLatest.size(), kLatest.size(), kLatest) == 0) {
    name.resize(name.size() - kLatest.size());
  }
  return name;
}

// CG-AUTHZ-001/002: the binds of the workloads of `document`.
void check_binds(const PolicySet& set, const Value& document, Findings& out) {
  const Value* services = document.get("services");
  if (services == nullptr || !services->is_sequence()) return;
  for (const Value& s : services->as_list()) {
    const Value* name = s.get("name");
    std::string service = name && name->is_string() ? name->as_string() : "";
    const Value* mounts = s.get("mounts");
    if (mounts == nullptr || !mounts->is_sequence()) continue;
    for (const Value& m : mounts->as_list()) {
      const Value* type = m.get("type");
      const Value* source = m.get("source");
      if (!type || !type->is_string() || type->as_string() != "bind" || !source ||
          !source->is_string()) {
        continue;
      }
      std::string path = canonical_path(source->as_string());
      if (path == "/") {
        add_builtin(out, kHostRoot, service,
                    fmt::format("{} binds the host's root ({})", service, source->as_string()));
        continue;
      }
      for (const std::string& p : set.identity.protected_paths) {
        if (path_overlaps(path, p)) {
          add_builtin(
              out, kExposesPlugin, service,
              fmt::format("{} binds {}, which exposes {}", service, source->as_string(), p));
          break;
        }
      }
    }
  }
}

Findings evaluate_document(const PolicySet& set, const Value& document, std::string& error) {
  EvalOptions options;
  options.policies = &set.loaded.selected;
  EvalResult r = evaluate(*set.loaded.program, document, set.loaded.params, "request", options);
  if (!r.errors.empty()) {
    const EvalError& e = r.errors.front();
    error =
        fmt::format("policy {} could not be evaluated on this request: {}", e.policy, e.message);
  }
  Findings f;
  if (r.text) f.text = r.text;
  f.list = std::move(r.findings);
  return f;
}

std::string key_of(const Finding& f) {
  return std::string(f.policy) + '\x1f' + std::string(f.message);
}

void refuse(Decision& d, const std::string& reason, const std::string& message, bool fail_open) {
  d.reason = reason;
  d.message = "capguard: " + message;
  if (fail_open && (reason == "malformed" || reason == "error")) {
    d.allow = true;
    d.reason = "fail-open";
    d.message += " (allowed: --fail-open)";
  } else {
    d.allow = false;
  }
}

std::string remediation_of(const PolicySet& set, std::string_view id) {
  if (id == kExposesPlugin.id) return kExposesPlugin.remediation;
  if (id == kHostRoot.id) return kHostRoot.remediation;
  if (id == kDisablesPlugin.id) return kDisablesPlugin.remediation;
  auto it = set.meta.find(id);
  return it == set.meta.end() ? "" : it->second.remediation;
}

// Applies waivers and fail-on; refuses with every deciding finding named.
void judge(const PolicySet& set, Findings& findings, Decision& d) {
  std::vector<Waiver> waivers = set.waivers;  // apply_waivers marks them used
  Diagnostics ignored;                        // unused waivers are not a request's business
  std::vector<std::string> in_force = set.in_force;
  std::vector<std::string> known = set.known;
  for (const BuiltinPolicy* p : {&kExposesPlugin, &kHostRoot, &kDisablesPlugin}) {
    in_force.emplace_back(p->id);
    known.emplace_back(p->id);
  }
  apply_waivers(findings.list, waivers, {}, in_force, known, today(), ignored);
  std::vector<const Finding*> deciding;
  bool builtin = false;
  for (const Finding& f : findings.list) {
    if (f.kind != RuleKind::Deny || f.severity < set.fail_on) continue;
    if (f.waived()) {
      d.waived.emplace_back(f.policy);
      continue;
    }
    deciding.push_back(&f);
    if (f.policy.rfind("CG-AUTHZ-", 0) == 0) builtin = true;
  }
  if (deciding.empty()) return;
  std::stable_sort(deciding.begin(), deciding.end(),
                   [](const Finding* a, const Finding* b) { return a->severity > b->severity; });
  // One line of summary, then one line per finding and its policy's remediation, indented:
  // the docker CLI prints the message as it is.
  std::string text;
  std::set<std::string_view> remediated;
  for (const Finding* f : deciding) {
    if (std::find(d.policies.begin(), d.policies.end(), f->policy) == d.policies.end()) {
      d.policies.emplace_back(f->policy);
    }
    text += fmt::format("\n- [{}] {} ({}): {}", f->policy, f->title, severity_name(f->severity),
                        f->message);
    if (remediated.insert(f->policy).second) {
      std::string fix = remediation_of(set, f->policy);
      while (!fix.empty() && (fix.back() == '\n' || fix.back() == ' ')) fix.pop_back();
      if (!fix.empty()) {
        std::string indented;
        for (char c : fix) indented += c == '\n' ? std::string("\n      ") : std::string(1, c);
        text += "\n    fix: " + indented;
      }
    }
  }
  refuse(d, builtin ? "self-protection" : "policy",
         fmt::format("{} refused: {} finding{} at or above {} ({}){}", d.call, deciding.size(),
                     deciding.size() == 1 ? "" : "s", severity_name(set.fail_on),
                     fmt::join(d.policies, ", "), text),
         false);
}

Decision decide_route(const PolicySet& set, const PluginRequest& request, const ApiRoute& route) {
  Decision d;
  d.call = capguard::authz::api_call_name(route.call);
  switch (route.call) {
    case ApiCall::PluginDisable:
    case ApiCall::PluginRemove:
    case ApiCall::PluginChange: {
      d.container = route.target;
      if (strip_latest(route.target) == strip_latest(set.identity.name)) {
        Findings f;
        add_builtin(f, kDisablesPlugin, route.target,
                    fmt::format("{} {} would switch the authorization plugin off", request.method,
                                route.path));
        judge(set, f, d);
      }
      return d;
    }
    case ApiCall::ContainerStart:
      // A start has no body since API 1.24; an older one may carry a HostConfig to apply.
      if (!request.body || request.body->find_first_not_of(" \t\r\n") == std::string::npos) {
        if (!request.body && !request.content_length.empty() && request.content_length != "0") {
          d.container = route.target;
          refuse(d, "malformed",
                 "container_start with a body the daemon did not pass (Content-Length " +
                     request.content_length + ") cannot be checked",
                 set.identity.fail_open);
        }
        return d;
      }
      break;
    case ApiCall::ContainerCreate:
    case ApiCall::ContainerUpdate:
    case ApiCall::ContainerExec:
      break;
    default:
      return d;
  }
  d.container = route.call == ApiCall::ContainerCreate ? route.name : route.target;
  if (!request.body) {
    refuse(d, "malformed",
           fmt::format("{} without a body: the daemon passes the body only for Content-Type "
                       "application/json (got \"{}\") under 1 MiB, so this request cannot be "
                       "checked",
                       d.call, request.content_type),
           set.identity.fail_open);
    return d;
  }
  capguard::authz::RequestModel model;
  std::string error;
  if (!capguard::authz::request_model(route, *request.body, model, error)) {
    refuse(d, "malformed", d.call + ": " + error, set.identity.fail_open);
    return d;
  }
  d.container = model.container;
  Findings findings = evaluate_document(set, model.document, error);
  if (!error.empty()) {
    refuse(d, "error", error, set.identity.fail_open);
    return d;
  }
  if (!model.baseline.is_null()) {
    // Only what the change adds: findings of the empty container are not this request's.
    Findings base = evaluate_document(set, model.baseline, error);
    if (!error.empty()) {
      refuse(d, "error", error, set.identity.fail_open);
      return d;
    }
    std::set<std::string> before;
    for (const Finding& f : base.list) before.insert(key_of(f));
    findings.list.erase(std::remove_if(findings.list.begin(), findings.list.end(),
                                       [&](const Finding& f) { return before.count(key_of(f)); }),
                        findings.list.end());
  }
  if (route.call == ApiCall::ContainerCreate || route.call == ApiCall::ContainerStart) {
    check_binds(set, model.document, findings);
  }
  judge(set, findings, d);
  return d;
}

}  // namespace

std::string canonical_path(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::absolute(fs::path(path), ec).lexically_normal();
  fs::path resolved = fs::weakly_canonical(p, ec);
  std::string out = (ec ? p : resolved).string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

bool path_overlaps(const std::string& a, const std::string& b) {
  auto under = [](const std::string& inner, const std::string& outer) {
    if (outer == "/") return true;
    return inner.size() > outer.size() && inner.compare(0, outer.size(), outer) == 0 &&
           inner[outer.size()] == '/';
  };
  return a == b || under(a, b) || under(b, a);
}

Decision decide(const PolicySet& set, std::string_view request_json, PluginRequest& request) {
  std::string error;
  if (!capguard::authz::parse_plugin_request(request_json, request, error)) {
    Decision d;
    refuse(d, "malformed", error, set.identity.fail_open);
    return d;
  }
  try {
    return decide_route(set, request, capguard::authz::route_request(request.method, request.uri));
  } catch (const std::exception& e) {
    Decision d;
    refuse(d, "error", std::string("internal error: ") + e.what(), set.identity.fail_open);
    return d;
  }
}

std::string response_json(const Decision& d) {
  nlohmann::json j = {{"Allow", d.allow}};
  if (!d.allow) j["Msg"] = d.message;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string decision_log_line(const Decision& d, const PluginRequest& request,
                              int64_t duration_us) {
  auto now = std::chrono::system_clock::now();
  std::time_t secs = std::chrono::system_clock::to_time_t(now);
  auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() %
      1000000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[40];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  nlohmann::ordered_json j;
  j["time"] = fmt::format("{}.{:06d}Z", stamp, micros);
  j["user"] = request.user;
  j["method"] = request.method;
  j["uri"] = request.uri;
  j["call"] = d.call;
  j["container"] = d.container;
  j["decision"] = d.allow ? "allow" : "deny";
  j["reason"] = d.reason;
  j["policies"] = d.policies;
  j["waived"] = d.waived;
  j["message"] = d.message;
  j["duration_us"] = duration_us;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::shared_ptr<const PolicySet> load_policy_set(const CheckOptions& flags,
                                                 const PluginIdentity& identity,
                                                 Diagnostics& diags) {
  ProjectConfig config;
  std::string config_path;
  if (!flags.no_config) {
    config_path = flags.config.empty() ? find_config(".") : flags.config;
    if (!config_path.empty()) config = load_config(config_path, diags);
  }
  Settings settings = resolve_settings(flags, std::getenv, config, diags);
  // fail-on defaults to high here: only what is set (flag, environment, file) overrides it.
  const char* env_fail_on = std::getenv("CAPGUARD_FAIL_ON");
  if (!flags.fail_on && !(env_fail_on && *env_fail_on) && !config.fail_on) {
    settings.fail_on = Severity::High;
  }
  if (diags.has_errors()) return nullptr;
  auto set = std::make_shared<PolicySet>();
  set->loaded = load_policies(settings, diags);
  if (!set->loaded.program || diags.has_errors()) return nullptr;
  set->waivers = settings.waivers;
  for (const std::string& file : settings.waiver_files) {
    for (Waiver& w : load_waivers_file(file, diags)) set->waivers.push_back(std::move(w));
  }
  if (diags.has_errors()) return nullptr;
  for (const PolicyMetadata& p : set->loaded.in_force) {
    set->in_force.push_back(p.id);
    set->meta.emplace(p.id, p);
  }
  for (const ir::Policy& p : set->loaded.program->policies) set->known.push_back(p.meta.id);
  set->fail_on = settings.fail_on;
  set->identity = identity;
  // The plugin's own files: policies, configuration, waivers, params files.
  std::vector<std::string> own = settings.policy_paths;
  if (!config_path.empty()) own.push_back(config_path);
  own.insert(own.end(), settings.waiver_files.begin(), settings.waiver_files.end());
  for (const ParamLayer& layer : settings.param_layers) {
    if (!layer.file.empty()) own.push_back(layer.file);
  }
  for (const std::string& p : own) set->identity.protected_paths.push_back(canonical_path(p));
  return set;
}

}  // namespace capguard::cli::authz
