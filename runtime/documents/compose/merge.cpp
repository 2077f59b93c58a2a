#include "runtime/documents/compose/merge.hpp"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "runtime/documents/compose/merge_keys.hpp"

namespace capguard {
namespace {

enum class Rule {
  Default,    // maps merge, sequences append, anything else is replaced
  Replace,    // the later value as a whole
  KeyValue,   // merged as mappings, from either the list or the map form
  Unique,     // sequences: items with the same unique_item_key are replaced, others appended
  Dedup,      // sequences: appended, without repeating an equal item
  MapOrList,  // networks, depends_on: mappings when either side is one, else Dedup
  Build,      // a string is {context: STRING}
  Logging,    // merged when both name the same driver (or one names none), else replaced
};

using Path = std::vector<std::string>;

bool one_of(const std::string& s, std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (s == n) return true;
  return false;
}

// The rule for the value at `path` (keys from the top of a compose file).
Rule rule_for(const Path& path) {
  if (path.size() == 3 && (path[0] == "networks" || path[0] == "volumes") && path[2] == "labels")
    return Rule::KeyValue;
  if (path.empty() || path[0] != "services" || path.size() < 3) return Rule::Default;
  const std::string& attr = path[2];
  if (path.size() == 3) {
    if (one_of(attr, {"command", "entrypoint"})) return Rule::Replace;
    if (one_of(attr, {"environment", "labels", "annotations", "sysctls", "extra_hosts"}))
      return Rule::KeyValue;
    if (one_of(attr, {"ports", "volumes", "devices", "secrets", "configs"})) return Rule::Unique;
    if (one_of(attr, {"cap_add", "cap_drop", "dns", "dns_opt", "dns_search", "expose", "links",
                      "profiles", "tmpfs", "env_file", "security_opt"}))
      return Rule::Dedup;
    if (one_of(attr, {"networks", "depends_on"})) return Rule::MapOrList;
    if (attr == "build") return Rule::Build;
    if (attr == "logging") return Rule::Logging;
    return Rule::Default;
  }
  if (path.size() == 4) {
    if (attr == "healthcheck" && path[3] == "test") return Rule::Replace;
    if (attr == "build" && one_of(path[3], {"args", "labels"})) return Rule::KeyValue;
    if (attr == "deploy" && path[3] == "labels") return Rule::KeyValue;
  }
  return Rule::Default;
}

class Merger {
 public:
  explicit Merger(const YamlTags& tags) : tags_(tags) {}

  bool tagged(const Value& v, const char* tag) const {
    const std::string* t = tags_.find(v.span());
    return t && *t == tag;
  }

  Value clean(const Value& v) const {
    if (tags_.empty()) return v;
    if (v.is_map()) {
      Entries out;
      for (const auto& e : v.as_map()) {
        if (tagged(e.second, "!reset")) continue;
        out.emplace_back(e.first, clean(e.second));
      }
      return Value::map_unique(std::move(out), v.span());
    }
    if (v.is_list()) {
      List out;
      for (const Value& item : v.as_list()) out.push_back(clean(item));
      return Value::list(std::move(out), v.span());
    }
    return v;
  }

  Value merge(const Value& base, const Value& over, Path& path) const {
    // A later null keeps the earlier value (as compose-go does); only !reset removes.
    if (over.is_null()) return base;
    switch (rule_for(path)) {
      case Rule::Replace:
        return clean(over);
      case Rule::KeyValue: {
        std::string seps = path.size() == 3 && path[2] == "extra_hosts" ? "=:" : "=";
        auto b = key_value_map(base, seps);
        auto o = key_value_map(over, seps);
        if (b && o) return merge_flat_maps(*b, *o);
        return clean(over);
      }
      case Rule::Unique:
        if (base.is_list() && over.is_list()) return merge_unique(base, over, path);
        return clean(over);
      case Rule::Dedup:
        if (base.is_list() && over.is_list()) return append_dedup(base, clean(over));
        return clean(over);
      case Rule::MapOrList:
        if (base.is_list() && over.is_list()) return append_dedup(base, clean(over));
        if (base.is_map() || over.is_map()) {
          auto b = as_name_map(base), o = as_name_map(over);
          if (b && o) return merge_maps(*b, *o, path);
        }
        return clean(over);
      case Rule::Build:
        if (base.is_map() || over.is_map()) {
          return merge_maps(as_build_map(base), as_build_map(over), path);
        }
        return clean(over);
      case Rule::Logging:
        if (base.is_map() && over.is_map()) {
          const Value* a = base.get("driver");
          const Value* b = over.get("driver");
          if (a && b && *a != *b) return clean(over);
        }
        break;
      case Rule::Default:
        break;
    }
    if (base.is_map() && over.is_map()) return merge_maps(base, over, path);
    if (base.is_list() && over.is_list()) {
      List items = base.as_list().to_vector();
      for (const Value& item : over.as_list()) items.push_back(clean(item));
      return Value::list(std::move(items), base.span());
    }
    return clean(over);
  }

  Value merge_maps(const Value& base, const Value& over, Path& path) const {
    EntryBuilder out(base.as_map());
    for (const auto& e : over.as_map()) {
      const Value* mine = out.find(e.first);
      if (tagged(e.second, "!reset")) {
        out.erase(e.first);
      } else if (!mine || tagged(e.second, "!override")) {
        out.set(e.first, clean(e.second));
      } else {
        path.push_back(e.first);
        Value merged = merge(*mine, e.second, path);
        path.pop_back();
        out.set(e.first, std::move(merged));
      }
    }
    return out.build(base.span().known() ? base.span() : over.span());
  }

 private:
  // Scalar values: the later one replaces; no recursion (environment, labels...).
  Value merge_flat_maps(const Value& base, const Value& over) const {
    EntryBuilder out(base.as_map());
    for (const auto& e : over.as_map()) {
      if (tagged(e.second, "!reset")) {
        out.erase(e.first);
      } else {
        out.set(e.first, e.second);
      }
    }
    return out.build(base.span());
  }

  Value merge_unique(const Value& base, const Value& over, Path& path) const {
    const std::string& attr = path[2];
    List items = base.as_list().to_vector();
    std::unordered_map<std::string, size_t> index;  // unique key -> position in items
    for (size_t i = 0; i < items.size(); ++i)
      if (auto key = unique_item_key(attr, items[i])) index.emplace(*key, i);
    for (const Value& raw : over.as_list()) {
      Value item = clean(raw);
      auto key = unique_item_key(attr, item);
      auto found = key ? index.find(*key) : index.end();
      if (found == index.end()) {
        if (key) index.emplace(*key, items.size());
        items.push_back(item);
      } else if (items[found->second].is_map() && item.is_map()) {
        path.push_back("*");
        items[found->second] = merge_maps(items[found->second], item, path);
        path.pop_back();
      } else {
        items[found->second] = item;
      }
    }
    return Value::list(std::move(items), base.span());
  }

  static Value append_dedup(const Value& base, const Value& over) {
    List items = base.as_list().to_vector();
    for (const Value& item : over.as_list()) {
      if (std::find(items.begin(), items.end(), item) == items.end()) items.push_back(item);
    }
    return Value::list(std::move(items), base.span());
  }

  // networks: [a, b] -> {a: null, b: null}
  static std::optional<Value> as_name_map(const Value& v) {
    if (v.is_map()) return v;
    if (!v.is_list()) return std::nullopt;
    EntryBuilder entries;
    for (const Value& item : v.as_list()) {
      if (!item.is_string()) return std::nullopt;
      entries.set(item.as_string(), Value::null(item.span()));
    }
    return entries.build(v.span());
  }

  static Value as_build_map(const Value& v) {
    if (v.is_map()) return v;
    if (v.is_string()) return Value::map({{"context", v}}, v.span());
    return Value::map({}, v.span());
  }

  const YamlTags& tags_;
};

}  // namespace

Value merge_compose(const Value& base, const Value& over, const YamlTags& tags) {
  Merger m(tags);
  if (!base.is_map() || !over.is_map()) return m.clean(over);
  Path path;
  return m.merge_maps(base, over, path);
}

Value merge_service(const Value& base, const Value& over, const YamlTags& tags) {
  Merger m(tags);
  if (!base.is_map() || !over.is_map()) return m.clean(over.is_null() ? base : over);
  Path path = {"services", "*"};
  return m.merge_maps(base, over, path);
}

Value apply_reset_tags(const Value& tree, const YamlTags& tags) {
  return Merger(tags).clean(tree);
}

}  // namespace capguard
