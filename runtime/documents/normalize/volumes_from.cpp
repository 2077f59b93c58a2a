#include "runtime/documents/normalize/volumes_from.hpp"

#include <optional>
#include <string>
#include <unordered_map>

namespace capguard::normalize {
namespace {

struct Source {
  std::string service;
  bool read_only = false;
};

// "NAME", "NAME:ro", "service:NAME", "service:NAME:rw"; nothing for "container:..." or junk.
std::optional<Source> parse_entry(const std::string& text) {
  std::string rest = text;
  if (rest.rfind("container:", 0) == 0) return std::nullopt;
  if (rest.rfind("service:", 0) == 0) rest = rest.substr(8);
  Source s;
  size_t colon = rest.find(':');
  if (colon != std::string::npos) {
    std::string mode = rest.substr(colon + 1);
    s.read_only = mode == "ro";
    rest = rest.substr(0, colon);
  }
  if (rest.empty()) return std::nullopt;
  s.service = rest;
  return s;
}

// A copy of mount `m` with every field at `span`, read-only when `read_only`.
Value borrowed_mount(const Value& m, bool read_only, Span span) {
  Entries fields;
  for (const auto& f : m.as_map()) {
    if (f.first == "read_only" && read_only)
      fields.emplace_back(f.first, Value::boolean(true, span));
    else
      fields.emplace_back(f.first, f.second.with_span(span));
  }
  return Value::map_unique(std::move(fields), span);
}

}  // namespace

List apply_volumes_from(List workloads) {
  std::unordered_map<std::string, const Value*> by_name;
  for (const Value& w : workloads)
    if (const Value* name = w.get("name"); name && name->is_string())
      by_name.emplace(name->as_string(), &w);
  List out;
  out.reserve(workloads.size());
  for (const Value& w : workloads) {
    const Value* raw = w.get("raw");
    const Value* from = raw && raw->is_map() ? raw->get("volumes_from") : nullptr;
    const Value* mounts = w.get("mounts");
    if (from == nullptr || !from->is_list() || mounts == nullptr || !mounts->is_list()) {
      out.push_back(w);
      continue;
    }
    List merged = mounts->as_list().to_vector();
    for (const Value& item : from->as_list()) {
      if (!item.is_string()) continue;
      auto src = parse_entry(item.as_string());
      if (!src) continue;
      auto it = by_name.find(src->service);
      if (it == by_name.end() || it->second == &w) continue;
      const Value* theirs = it->second->get("mounts");
      if (theirs == nullptr || !theirs->is_list()) continue;
      for (const Value& m : theirs->as_list()) {
        const Value* type = m.is_map() ? m.get("type") : nullptr;
        if (type == nullptr || !type->is_string() || type->as_string() == "tmpfs") continue;
        merged.push_back(borrowed_mount(m, src->read_only, item.span()));
      }
    }
    Entries fields;
    for (const auto& f : w.as_map()) {
      if (f.first == "mounts")
        fields.emplace_back(f.first, Value::list(merged, mounts->span()));
      else
        fields.push_back(f);
    }
    out.push_back(Value::map_unique(std::move(fields), w.span()));
  }
  return out;
}

}  // namespace capguard::normalize
