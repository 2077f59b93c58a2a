#include "runtime/documents/compose/merge_keys.hpp"

#include <vector>

namespace capguard {
namespace {

std::string scalar_text(const Value& v) {
  if (v.is_string()) return v.as_string();
  if (v.is_null()) return "";
  return to_json_text(v);
}

std::string field(const Value& item, const char* key, const std::string& fallback = "") {
  const Value* v = item.get(key);
  return v && !v->is_null() ? scalar_text(*v) : fallback;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

// Container path of a short volume or device: "SRC:DST[:MODE]" -> DST, "DST" -> DST.
std::string short_mount_target(const std::string& s) {
  std::vector<std::string> parts = split(s, ':');
  return parts.size() >= 2 ? parts[1] : parts[0];
}

// Secrets and configs: an absolute target as is, a relative one under `base`, none: base/SOURCE.
std::string mount_target(const Value& item, const std::string& base) {
  std::string source = item.is_map() ? field(item, "source") : scalar_text(item);
  std::string target = item.is_map() ? field(item, "target") : "";
  if (target.empty()) return base + "/" + source;
  if (target[0] == '/') return target;
  return base + "/" + target;
}

}  // namespace

std::optional<std::string> unique_item_key(const std::string& attribute, const Value& item) {
  if (attribute == "ports") {
    if (item.is_map()) {
      std::string target = field(item, "target");
      return field(item, "host_ip", "0.0.0.0") + ":" + field(item, "published", target) + ":" +
             target + "/" + field(item, "protocol", "tcp");
    }
    return scalar_text(item);
  }
  if (attribute == "volumes" || attribute == "devices") {
    if (item.is_map()) return field(item, "target");
    if (item.is_string()) return short_mount_target(item.as_string());
    return std::nullopt;
  }
  if (attribute == "secrets") return mount_target(item, "/run/secrets");
  if (attribute == "configs") return mount_target(item, "");
  return std::nullopt;
}

std::optional<Value> key_value_map(const Value& v, const std::string& separators) {
  if (v.is_map()) return v;
  if (!v.is_list()) return std::nullopt;
  EntryBuilder entries;
  for (const Value& item : v.as_list()) {
    std::string text = scalar_text(item);
    size_t sep = text.find_first_of(separators);
    if (sep == std::string::npos) {
      entries.set(text, Value::null(item.span()));
    } else {
      entries.set(text.substr(0, sep), Value::string(text.substr(sep + 1), item.span()));
    }
  }
  return entries.build(v.span());
}

EntryBuilder::EntryBuilder(EntriesView start) {
  entries_.reserve(start.size());
  for (const auto& e : start) set(e.first, e.second);
}

const Value* EntryBuilder::find(const std::string& key) const {
  auto it = index_.find(key);
  if (it == index_.end() || !entries_[it->second].second) return nullptr;
  return &entries_[it->second].first.second;
}

void EntryBuilder::set(const std::string& key, Value value) {
  auto [it, inserted] = index_.emplace(key, entries_.size());
  if (inserted) {
    entries_.push_back({Entry(key, std::move(value)), true});
  } else {
    entries_[it->second] = {Entry(key, std::move(value)), true};
  }
}

void EntryBuilder::erase(const std::string& key) {
  auto it = index_.find(key);
  if (it != index_.end()) entries_[it->second].second = false;
}

Value EntryBuilder::build(Span span) const {
  Entries out;
  out.reserve(entries_.size());
  for (const auto& [entry, present] : entries_)
    if (present) out.push_back(entry);
  return Value::map_unique(std::move(out), span);
}

}  // namespace capguard
