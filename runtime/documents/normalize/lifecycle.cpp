#include "runtime/documents/normalize/lifecycle.hpp"

#include <optional>

#include <fmt/format.h>

#include "runtime/documents/normalize/field_reader.hpp"

namespace capguard::normalize {

namespace {

struct Health {
  Value test;
  bool disabled = false;
  Span disabled_span;
  Value interval, timeout, retries, start_period, start_interval;
};

Value to_value(const Health& h, Span s) {
  return Value::map({{"test", h.test},
                     {"disabled", Value::boolean(h.disabled, h.disabled_span)},
                     {"interval", h.interval},
                     {"timeout", h.timeout},
                     {"retries", h.retries},
                     {"start_period", h.start_period},
                     {"start_interval", h.start_interval}},
                    s);
}

Health empty_health(Span s) {
  Health h;
  h.test = h.interval = h.timeout = h.retries = h.start_period = h.start_interval = Value::null(s);
  h.disabled_span = s;
  return h;
}

// Reads a duration field of `hc` named `key` into `out` (left null when absent or 0).
void duration_field(const Value& hc, const char* key, const char* field, Value& out,
                    Diagnostics& diags) {
  const Value* v = hc.get(key);
  if (v == nullptr || v->is_null()) return;
  if (auto ns = read_duration(*v, field, diags); ns && *ns != 0) {
    out = Value::duration(*ns, v->span());
  }
}

void retries_field(const Value& hc, const char* key, const char* field, Value& out,
                   Diagnostics& diags) {
  const Value* v = hc.get(key);
  if (v == nullptr || v->is_null()) return;
  if (auto n = read_int(*v, field, diags); n && *n != 0) out = Value::integer(*n, v->span());
}

void test_field(const Value* test, const char* field, Health& h, Diagnostics& diags) {
  if (test == nullptr || test->is_null()) return;
  auto items = read_string_list(*test, field, diags, true);
  if (!items) return;
  if (test->is_string()) items->insert(items->begin(), Value::string("CMD-SHELL", test->span()));
  if (!items->empty() && (*items)[0].as_string() == "NONE") {
    h.disabled = true;
    h.disabled_span = test->span();
  }
  h.test = Value::list(std::move(*items), test->span());
}

}  // namespace

Value compose_healthcheck(const Value* hc, Span fallback, Diagnostics& diags) {
  Health h = empty_health(fallback);
  if (hc == nullptr || hc->is_null()) return to_value(h, fallback);
  if (!hc->is_map()) {
    type_error(diags, *hc, "healthcheck", "a mapping");
    return to_value(h, hc->span());
  }
  test_field(hc->get("test"), "healthcheck.test", h, diags);
  if (const Value* d = hc->get("disable"); d && !d->is_null()) {
    if (read_bool(*d, "healthcheck.disable", diags).value_or(false)) {
      h.disabled = true;
      h.disabled_span = d->span();
    }
  }
  duration_field(*hc, "interval", "healthcheck.interval", h.interval, diags);
  duration_field(*hc, "timeout", "healthcheck.timeout", h.timeout, diags);
  retries_field(*hc, "retries", "healthcheck.retries", h.retries, diags);
  duration_field(*hc, "start_period", "healthcheck.start_period", h.start_period, diags);
  duration_field(*hc, "start_interval", "healthcheck.start_interval", h.start_interval, diags);
  return to_value(h, hc->span());
}

Value inspect_healthcheck(const Value* hc, Span fallback, Diagnostics& diags) {
  Health h = empty_health(fallback);
  if (hc == nullptr || !hc->is_map()) return to_value(h, fallback);
  test_field(hc->get("Test"), "Healthcheck.Test", h, diags);
  duration_field(*hc, "Interval", "Healthcheck.Interval", h.interval, diags);
  duration_field(*hc, "Timeout", "Healthcheck.Timeout", h.timeout, diags);
  retries_field(*hc, "Retries", "Healthcheck.Retries", h.retries, diags);
  duration_field(*hc, "StartPeriod", "Healthcheck.StartPeriod", h.start_period, diags);
  duration_field(*hc, "StartInterval", "Healthcheck.StartInterval", h.start_interval, diags);
  return to_value(h, hc->span());
}

namespace {

Value restart(const std::string& policy, std::optional<int64_t> retries, Span s) {
  return Value::map(
      {{"policy", Value::string(policy, s)},
       {"max_retries", retries && *retries > 0 ? Value::integer(*retries, s) : Value::null(s)}},
      s);
}

}  // namespace

namespace {

// `restart:` (nullopt when absent).
std::optional<Value> restart_key(const Value& service, Diagnostics& diags) {
  const Value* r = service.get("restart");
  // `restart: ""` sets no restart policy, as docker compose reads it (an empty
  // ServiceConfig.Restart): deploy.restart_policy, else the default, applies.
  if (r == nullptr || r->is_null() || (r->is_string() && r->as_string().empty())) {
    return std::nullopt;
  }
  auto text = read_string(*r, "restart", diags);
  if (!text) return restart("no", std::nullopt, r->span());
  std::string policy = *text;
  std::optional<int64_t> retries;
  if (policy.rfind("on-failure:", 0) == 0) {
    retries = parse_int(policy.substr(11));
    if (!retries || *retries < 0) {
      diags.error(r->span(), fmt::format("restart: invalid retry count in \"{}\"", *text));
      return restart("no", std::nullopt, r->span());
    }
    policy = "on-failure";
  }
  if (policy != "no" && policy != "always" && policy != "on-failure" &&
      policy != "unless-stopped") {
    diags.error(r->span(), fmt::format("restart: invalid policy \"{}\" (expected no, always, "
                                       "on-failure[:N] or unless-stopped)",
                                       *text));
    return restart("no", std::nullopt, r->span());
  }
  return restart(policy, retries, r->span());
}

// `deploy.restart_policy:` (nullopt when absent). Its condition maps as docker compose v2 maps it
// (pkg/compose/create.go mapRestartPolicyCondition): none and no are "no", any and always
// "always", on-failure and unless-stopped themselves.
std::optional<Value> deploy_restart_policy(const Value& service, Diagnostics& diags) {
  const Value* deploy = service.get("deploy");
  const Value* rp = deploy && deploy->is_map() ? deploy->get("restart_policy") : nullptr;
  if (rp != nullptr && !rp->is_null() && !rp->is_map()) {
    type_error(diags, *rp, "deploy.restart_policy", "a mapping");
  }
  if (rp == nullptr || !rp->is_map()) return std::nullopt;
  std::string policy = "always";  // the condition's default is "any"
  if (const Value* c = rp->get("condition"); c && !c->is_null()) {
    auto cond = read_string(*c, "deploy.restart_policy.condition", diags).value_or("any");
    if (cond == "none" || cond == "no") {
      policy = "no";
    } else if (cond == "on-failure" || cond == "unless-stopped") {
      policy = cond;
    } else if (cond != "any" && cond != "always") {
      diags.error(c->span(), fmt::format("deploy.restart_policy.condition: invalid condition "
                                         "\"{}\" (expected none, on-failure or any)",
                                         cond));
    }
  }
  std::optional<int64_t> retries;
  if (const Value* m = rp->get("max_attempts"); m && !m->is_null()) {
    retries = read_int(*m, "deploy.restart_policy.max_attempts", diags);
  }
  return restart(policy, retries, rp->span());
}

}  // namespace

Value compose_restart(const Value& service, Span fallback, Diagnostics& diags) {
  // The engine receives deploy.restart_policy when it is given, whatever `restart` says: docker
  // compose v2 (getRestartPolicy) sets it last, and compose v1 does the same.
  std::optional<Value> from_restart = restart_key(service, diags);
  std::optional<Value> from_deploy = deploy_restart_policy(service, diags);
  if (from_deploy) return *from_deploy;
  if (from_restart) return *from_restart;
  return restart("no", std::nullopt, fallback);
}

Value inspect_restart(const Value* rp, Span fallback, Diagnostics& diags) {
  if (rp == nullptr || !rp->is_map()) return restart("no", std::nullopt, fallback);
  std::string name = "no";
  if (const Value* n = rp->get("Name"); n && n->is_string() && !n->as_string().empty()) {
    name = n->as_string();
  }
  std::optional<int64_t> retries;
  if (const Value* m = rp->get("MaximumRetryCount"); m && !m->is_null()) {
    retries = read_int(*m, "RestartPolicy.MaximumRetryCount", diags);
  }
  return restart(name, retries, rp->span());
}

}  // namespace capguard::normalize
