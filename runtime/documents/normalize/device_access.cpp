#include "runtime/documents/normalize/device_access.hpp"

#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "runtime/documents/normalize/field_reader.hpp"

namespace capguard::normalize {

namespace {

// "*" or a decimal number.
bool device_number(std::string_view s) {
  if (s == "*") return true;
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// The daemon's check: ^([acb]) ([0-9]+|\*):([0-9]+|\*) ([rwm]{1,3})$
bool valid_cgroup_rule(std::string_view rule) {
  if (rule.size() < 2 || (rule[0] != 'a' && rule[0] != 'b' && rule[0] != 'c') || rule[1] != ' ')
    return false;
  rule.remove_prefix(2);
  size_t space = rule.find(' ');
  if (space == std::string_view::npos) return false;
  std::string_view numbers = rule.substr(0, space), perms = rule.substr(space + 1);
  size_t colon = numbers.find(':');
  if (colon == std::string_view::npos || !device_number(numbers.substr(0, colon)) ||
      !device_number(numbers.substr(colon + 1)))
    return false;
  return !perms.empty() && perms.size() <= 3 &&
         perms.find_first_not_of("rwm") == std::string_view::npos;
}

Value cgroup_rules(const Value* rules, const char* field, Span fallback, Diagnostics& diags) {
  if (rules == nullptr || rules->is_null()) return Value::list({}, fallback);
  auto items = read_string_list(*rules, field, diags);
  if (!items) return Value::list({}, rules->span());
  List out;
  for (Value& item : *items) {
    if (!valid_cgroup_rule(item.as_string())) {
      diags.error(item.span(), fmt::format("{}: invalid device cgroup rule \"{}\": expected "
                                           "\"TYPE MAJOR:MINOR PERMISSIONS\" (e.g. \"c 1:3 mr\")",
                                           field, item.as_string()));
      continue;
    }
    out.push_back(std::move(item));
  }
  return Value::list(std::move(out), rules->span());
}

// The sum over GPU requests: `all` once one asks for every GPU.
struct GpuTotal {
  bool requested = false;
  bool all = false;
  int64_t count = 0;
  std::optional<Span> span;

  void add(std::optional<int64_t> n, Span s) {  // nullopt: every GPU
    requested = true;
    if (!span) span = s;
    if (n)
      count += *n;
    else
      all = true;
  }
  Value to_value(Span fallback) const {
    Span s = span ? *span : fallback;
    return Value::map({{"requested", Value::boolean(requested, s)},
                       {"all", Value::boolean(all, s)},
                       {"count", all ? Value::null(s) : Value::integer(count, s)}},
                      s);
  }
};

const Value* present(const Value* map, const char* key) {
  if (map == nullptr || !map->is_map()) return nullptr;
  const Value* v = map->get(key);
  return v != nullptr && !v->is_null() ? v : nullptr;
}

// One compose device request {count, device_ids, ...}: its GPU count, nullopt for all, or
// an error (returns false).
bool compose_request(const Value& req, const std::string& field, GpuTotal& total,
                     Diagnostics& diags) {
  std::optional<int64_t> count;
  bool count_all = false;
  if (const Value* c = present(&req, "count")) {
    if (c->is_string() && lower(c->as_string()) == "all") {
      count_all = true;
    } else if (auto n = read_int(*c, field + ".count", diags)) {
      if (*n == -1) {
        count_all = true;
      } else if (*n < 0) {
        diags.error(c->span(), fmt::format("{}.count: expected \"all\" or a number of devices, "
                                           "got {}",
                                           field, *n));
        return false;
      } else {
        count = *n;
      }
    } else {
      return false;
    }
  }
  size_t ids = 0;
  if (const Value* d = present(&req, "device_ids")) {
    auto list = read_string_list(*d, field + ".device_ids", diags);
    if (!list) return false;
    ids = list->size();
    if (ids > 0 && (count || count_all)) {
      diags.error(d->span(), fmt::format("{}: count and device_ids cannot both be set", field));
      return false;
    }
  }
  if (count_all || (!count && ids == 0))
    total.add(std::nullopt, req.span());
  else
    total.add(count ? *count : static_cast<int64_t>(ids), req.span());
  return true;
}

bool has_string(const Value* list, std::string_view want) {
  if (list == nullptr || !list->is_sequence()) return false;
  for (const Value& item : list->as_list())
    if (item.is_string() && item.as_string() == want) return true;
  return false;
}

}  // namespace

Value compose_device_cgroup_rules(const Value* rules, Span fallback, Diagnostics& diags) {
  return cgroup_rules(rules, "device_cgroup_rules", fallback, diags);
}

Value inspect_device_cgroup_rules(const Value* rules, Span fallback, Diagnostics& diags) {
  return cgroup_rules(rules, "DeviceCgroupRules", fallback, diags);
}

Value compose_gpus(const Value& service, Span fallback, Diagnostics& diags) {
  GpuTotal total;
  if (const Value* g = present(&service, "gpus")) {
    if (g->is_string() && lower(g->as_string()) == "all") {
      total.add(std::nullopt, g->span());
    } else if (g->is_sequence()) {
      for (const Value& req : g->as_list()) {
        if (!req.is_map()) {
          type_error(diags, req, "gpus", "a device request mapping");
          continue;
        }
        compose_request(req, "gpus", total, diags);
      }
      if (!total.span) total.span = g->span();
    } else {
      type_error(diags, *g, "gpus", "\"all\" or a list of device requests");
    }
  }
  // deploy and deploy.resources of the wrong type are reported by compose_resources.
  const Value* res = present(present(&service, "deploy"), "resources");
  const Value* reservations = present(res, "reservations");
  if (reservations != nullptr && !reservations->is_map()) {
    type_error(diags, *reservations, "deploy.resources.reservations", "a mapping");
    reservations = nullptr;
  }
  if (const Value* devices = present(reservations, "devices")) {
    const char* field = "deploy.resources.reservations.devices";
    if (!devices->is_sequence()) {
      type_error(diags, *devices, field, "a list");
    } else {
      for (const Value& req : devices->as_list()) {
        if (!req.is_map()) {
          type_error(diags, req, field, "a device request mapping");
          continue;
        }
        const Value* caps = present(&req, "capabilities");
        if (caps != nullptr && !caps->is_sequence()) {
          type_error(diags, *caps, std::string(field) + ".capabilities", "a list");
          continue;
        }
        const Value* driver = present(&req, "driver");
        bool nvidia = driver != nullptr && driver->is_string() && driver->as_string() == "nvidia";
        if (has_string(caps, "gpu") || nvidia) compose_request(req, field, total, diags);
      }
    }
  }
  return total.to_value(fallback);
}

Value inspect_gpus(const Value* device_requests, Span fallback, Diagnostics& diags) {
  GpuTotal total;
  if (device_requests == nullptr || device_requests->is_null()) return total.to_value(fallback);
  if (!device_requests->is_sequence()) {
    type_error(diags, *device_requests, "DeviceRequests", "a list");
    return total.to_value(device_requests->span());
  }
  for (const Value& req : device_requests->as_list()) {
    if (!req.is_map()) {
      type_error(diags, req, "DeviceRequests", "an object per request");
      continue;
    }
    bool gpu = false;
    if (const Value* caps = present(&req, "Capabilities"); caps && caps->is_sequence())
      for (const Value& set : caps->as_list()) gpu = gpu || has_string(&set, "gpu");
    const Value* driver = present(&req, "Driver");
    if (driver != nullptr && driver->is_string() && driver->as_string() == "nvidia") gpu = true;
    if (!gpu) continue;
    int64_t count = 0;
    if (const Value* c = present(&req, "Count")) {
      if (!c->is_int()) {
        type_error(diags, *c, "DeviceRequests.Count", "an integer");
        continue;
      }
      count = c->as_int();
    }
    const Value* ids = present(&req, "DeviceIDs");
    size_t id_count = ids && ids->is_sequence() ? ids->as_list().size() : 0;
    if (id_count > 0)
      total.add(static_cast<int64_t>(id_count), req.span());
    else if (count < 0)
      total.add(std::nullopt, req.span());
    else
      total.add(count, req.span());
  }
  if (!total.span) total.span = device_requests->span();
  return total.to_value(fallback);
}

}  // namespace capguard::normalize
