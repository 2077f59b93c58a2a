#include "runtime/documents/normalize/devices.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "runtime/documents/normalize/field_reader.hpp"

namespace capguard::normalize {

namespace {

Value device(const std::string& source, const std::string& target, const std::string& perms,
             Span s) {
  return Value::map({{"source", Value::string(source, s)},
                     {"target", Value::string(target.empty() ? source : target, s)},
                     {"permissions", Value::string(perms.empty() ? "rwm" : perms, s)}},
                    s);
}

bool valid_permissions(const std::string& p) {
  return !p.empty() && p.size() <= 3 && p.find_first_not_of("rwm") == std::string::npos;
}

}  // namespace

Value compose_devices(const Value* devices, Span fallback, Diagnostics& diags) {
  if (devices == nullptr || devices->is_null()) return Value::list({}, fallback);
  if (!devices->is_sequence()) {
    type_error(diags, *devices, "devices", "a list");
    return Value::list({}, devices->span());
  }
  List out;
  for (const Value& item : devices->as_list()) {
    if (item.is_map()) {
      auto get = [&](const char* key) {
        const Value* v = item.get(key);
        return v && !v->is_null() ? read_string(*v, std::string("devices.") + key, diags)
                                  : std::optional<std::string>("");
      };
      auto source = get("source");
      auto target = get("target");
      auto perms = get("permissions");
      if (!source || source->empty()) {
        diags.error(item.span(), "devices: long syntax needs `source`");
        continue;
      }
      if (source && target && perms) out.push_back(device(*source, *target, *perms, item.span()));
      continue;
    }
    auto spec = read_string(item, "devices", diags);
    if (!spec) continue;
    std::vector<std::string> parts;
    for (size_t start = 0;;) {
      size_t colon = spec->find(':', start);
      parts.push_back(spec->substr(start, colon - start));
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
    // "HOST:PERMS" is also accepted (target = host path), as Docker's CLI does.
    if (parts.size() == 2 && valid_permissions(parts[1])) parts.insert(parts.begin() + 1, "");
    parts.resize(std::max<size_t>(parts.size(), 3));
    if (parts.size() > 3 || parts[0].empty() ||
        (!parts[2].empty() && !valid_permissions(parts[2]))) {
      diags.error(item.span(), fmt::format("devices: invalid device \"{}\": expected "
                                           "HOST[:CONTAINER[:PERMISSIONS]]",
                                           *spec));
      continue;
    }
    out.push_back(device(parts[0], parts[1], parts[2], item.span()));
  }
  return Value::list(std::move(out), devices->span());
}

Value inspect_devices(const Value* devices, Span fallback, Diagnostics& diags) {
  if (devices == nullptr || !devices->is_sequence()) return Value::list({}, fallback);
  List out;
  for (const Value& d : devices->as_list()) {
    auto text = [&](const char* key) {
      const Value* v = d.get(key);
      return v && v->is_string() ? v->as_string() : std::string();
    };
    if (text("PathOnHost").empty()) {
      diags.error(d.span(), "Devices: entry without PathOnHost");
      continue;
    }
    out.push_back(
        device(text("PathOnHost"), text("PathInContainer"), text("CgroupPermissions"), d.span()));
  }
  return Value::list(std::move(out), devices->span());
}

}  // namespace capguard::normalize
