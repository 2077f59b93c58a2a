#include "runtime/documents/normalize/resources.hpp"

#include <optional>

#include "runtime/documents/normalize/field_reader.hpp"

namespace capguard::normalize {

namespace {

const Value* present(const Value* map, const char* key) {
  if (map == nullptr || !map->is_map()) return nullptr;
  const Value* v = map->get(key);
  return v && !v->is_null() ? v : nullptr;
}

// The mapping at `key` of `parent` (nullptr when absent or null); reported when it is present
// but not a mapping.
const Value* sub_map(const Value* parent, const char* key, const char* field, Diagnostics& diags) {
  const Value* v = present(parent, key);
  if (v != nullptr && !v->is_map()) {
    type_error(diags, *v, field, "a mapping");
    return nullptr;
  }
  return v;
}

Value resources(std::optional<int64_t> memory, Span memory_span, std::optional<double> cpus,
                Span cpus_span, std::optional<int64_t> pids, Span pids_span, Span s) {
  return Value::map(
      {{"memory_bytes",
        memory && *memory > 0 ? Value::size(*memory, memory_span) : Value::null(memory_span)},
       {"cpus", cpus && *cpus > 0 ? Value::number(*cpus, cpus_span) : Value::null(cpus_span)},
       {"pids", pids && *pids > 0 ? Value::integer(*pids, pids_span) : Value::null(pids_span)}},
      s);
}

// CPUs allowed by a CFS quota: quota / period, the period defaulting to the kernel's 100ms
// (cpu.cfs_period_us 100000) when unset or 0. A quota of 0 or below (-1) is no limit.
std::optional<double> cpu_share(std::optional<int64_t> quota, std::optional<int64_t> period) {
  constexpr int64_t kDefaultPeriodMicros = 100000;
  if (!quota || *quota <= 0) return std::nullopt;
  int64_t per = period && *period > 0 ? *period : kDefaultPeriodMicros;
  return static_cast<double>(*quota) / static_cast<double>(per);
}

}  // namespace

Value compose_resources(const Value& service, Span fallback, Diagnostics& diags) {
  const Value* deploy = sub_map(&service, "deploy", "deploy", diags);
  const Value* res = sub_map(deploy, "resources", "deploy.resources", diags);
  const Value* limits = sub_map(res, "limits", "deploy.resources.limits", diags);
  struct Pick {
    const Value* v = nullptr;
    const char* field = "";
  };
  auto pick = [&](const char* limit_key, const char* service_key) {
    if (const Value* v = present(limits, limit_key)) {
      return Pick{v, limit_key};
    }
    return Pick{present(&service, service_key), service_key};
  };
  Pick memory = pick("memory", "mem_limit");
  Pick cpus = pick("cpus", "cpus");
  Pick pids = pick("pids", "pids_limit");
  std::optional<int64_t> m, p;
  std::optional<double> c;
  if (memory.v) m = read_size(*memory.v, memory.field, diags);
  if (cpus.v) c = read_number(*cpus.v, cpus.field, diags);
  if (pids.v) p = read_int(*pids.v, pids.field, diags);
  auto span = [&](const Pick& x) { return x.v ? x.v->span() : fallback; };
  Span cpus_span = span(cpus);
  // Without cpus, cpu_quota is the limit (docker compose sends CpuQuota and CpuPeriod; the
  // daemon refuses them beside cpus), per cpu_period or the kernel's default period.
  if (!c || *c <= 0) {
    const Value* quota = present(&service, "cpu_quota");
    const Value* period = present(&service, "cpu_period");
    std::optional<int64_t> q = quota ? read_int(*quota, "cpu_quota", diags) : std::nullopt;
    std::optional<int64_t> per = period ? read_int(*period, "cpu_period", diags) : std::nullopt;
    if (auto share = cpu_share(q, per)) {
      c = share;
      cpus_span = quota->span();
    }
  }
  return resources(m, span(memory), c, cpus_span, p, span(pids), fallback);
}

Value inspect_resources(const Value* host, Span fallback, Diagnostics& diags) {
  const Value* memory = present(host, "Memory");
  const Value* nano = present(host, "NanoCpus");
  const Value* quota = present(host, "CpuQuota");
  const Value* period = present(host, "CpuPeriod");
  const Value* pids = present(host, "PidsLimit");
  std::optional<int64_t> m, p;
  std::optional<double> c;
  Span cpu_span = fallback;
  if (memory) m = read_int(*memory, "Memory", diags);
  if (nano) {
    if (auto n = read_int(*nano, "NanoCpus", diags); n && *n > 0) {
      c = static_cast<double>(*n) / 1e9;
      cpu_span = nano->span();
    }
  }
  if (!c && quota) {
    auto q = read_int(*quota, "CpuQuota", diags);
    auto per = period ? read_int(*period, "CpuPeriod", diags) : std::nullopt;
    if (auto share = cpu_share(q, per)) {
      c = share;
      cpu_span = quota->span();
    }
  }
  if (pids) p = read_int(*pids, "PidsLimit", diags);
  return resources(m, memory ? memory->span() : fallback, c, cpu_span, p,
                   pids ? pids->span() : fallback, host ? host->span() : fallback);
}

Value compose_ulimits(const Value* ulimits, Span fallback, Diagnostics& diags) {
  Entries out;
  if (ulimits == nullptr || ulimits->is_null()) return Value::map({}, fallback);
  if (!ulimits->is_map()) {
    type_error(diags, *ulimits, "ulimits", "a mapping");
    return Value::map({}, ulimits->span());
  }
  for (const auto& [name, limit] : ulimits->as_map()) {
    std::string field = "ulimits." + name;
    std::optional<int64_t> soft, hard;
    if (limit.is_map()) {
      const Value* s = limit.get("soft");
      const Value* h = limit.get("hard");
      if (!s || !h) {
        diags.error(limit.span(), field + ": expected both `soft` and `hard`");
        continue;
      }
      soft = read_int(*s, field + ".soft", diags);
      hard = read_int(*h, field + ".hard", diags);
    } else {
      soft = hard = read_int(limit, field, diags);
    }
    if (!soft || !hard) continue;
    out.emplace_back(name, Value::map({{"soft", Value::integer(*soft, limit.span())},
                                       {"hard", Value::integer(*hard, limit.span())}},
                                      limit.span()));
  }
  return Value::map(std::move(out), ulimits->span());
}

Value inspect_ulimits(const Value* ulimits, Span fallback, Diagnostics& diags) {
  Entries out;
  if (ulimits == nullptr || !ulimits->is_sequence()) return Value::map({}, fallback);
  for (const Value& u : ulimits->as_list()) {
    const Value* name = u.get("Name");
    const Value* soft = u.get("Soft");
    const Value* hard = u.get("Hard");
    if (!name || !name->is_string() || !soft || !hard) {
      diags.error(u.span(), "Ulimits: expected {Name, Soft, Hard}");
      continue;
    }
    auto s = read_int(*soft, "Ulimits.Soft", diags);
    auto h = read_int(*hard, "Ulimits.Hard", diags);
    if (!s || !h) continue;
    out.emplace_back(name->as_string(), Value::map({{"soft", Value::integer(*s, u.span())},
                                                    {"hard", Value::integer(*h, u.span())}},
                                                   u.span()));
  }
  return Value::map(std::move(out), ulimits->span());
}

}  // namespace capguard::normalize
