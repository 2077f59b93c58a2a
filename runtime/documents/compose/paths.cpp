#include "runtime/documents/compose/paths.hpp"

#include <filesystem>

namespace capguard {
namespace {

namespace fs = std::filesystem;

bool is_relative_path(const std::string& p) {
  return !p.empty() && p[0] == '.';
}

std::string absolute(const std::string& folder, const std::string& p) {
  std::error_code ec;
  fs::path full = fs::absolute(fs::path(folder) / p, ec);
  if (ec) full = fs::path(folder) / p;
  std::string s = full.lexically_normal().string();
  if (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

Value with_string(const Value& v, const std::string& folder) {
  if (!v.is_string() || !is_relative_path(v.as_string())) return v;
  return Value::string(absolute(folder, v.as_string()), v.span());
}

// A map with one key's value replaced.
Value replace_key(const Value& map, const std::string& key, const Value& value) {
  Entries out = map.as_map().to_vector();
  for (Entry& e : out)
    if (e.first == key) e.second = value;
  return Value::map_unique(std::move(out), map.span());
}

Value volume_item(const Value& item, const std::string& folder) {
  if (item.is_string()) {
    const std::string& s = item.as_string();
    size_t colon = s.find(':');
    if (colon == std::string::npos || !is_relative_path(s.substr(0, colon))) return item;
    return Value::string(absolute(folder, s.substr(0, colon)) + s.substr(colon), item.span());
  }
  if (item.is_map()) {
    const Value* type = item.get("type");
    const Value* source = item.get("source");
    bool bind = !type || (type->is_string() && type->as_string() == "bind");
    if (bind && source) return replace_key(item, "source", with_string(*source, folder));
  }
  return item;
}

bool is_url(const std::string& s) {
  return s.find("://") != std::string::npos || s.rfind("git@", 0) == 0;
}

Value build_value(const Value& build, const std::string& folder) {
  if (build.is_string()) {
    if (is_url(build.as_string()) || fs::path(build.as_string()).is_absolute()) return build;
    return Value::string(absolute(folder, build.as_string()), build.span());
  }
  if (build.is_map()) {
    const Value* context = build.get("context");
    if (context && context->is_string() && !is_url(context->as_string()) &&
        !fs::path(context->as_string()).is_absolute())
      return replace_key(build, "context",
                         Value::string(absolute(folder, context->as_string()), context->span()));
  }
  return build;
}

Value env_file_item(const Value& item, const std::string& folder) {
  if (item.is_string() && !fs::path(item.as_string()).is_absolute())
    return Value::string(absolute(folder, item.as_string()), item.span());
  if (item.is_map())
    if (const Value* path = item.get("path"))
      if (path->is_string() && !fs::path(path->as_string()).is_absolute())
        return replace_key(item, "path",
                           Value::string(absolute(folder, path->as_string()), path->span()));
  return item;
}

// A volume item with a bind source starting with `~` expanded.
Value home_volume_item(const Value& item, const std::string& home) {
  if (item.is_string()) {
    const std::string& s = item.as_string();
    if (s.empty() || s[0] != '~') return item;
    size_t colon = s.find(':');
    if (colon == std::string::npos) return item;  // "~x" alone is a volume target, not a source
    return Value::string(expand_home(s.substr(0, colon), home) + s.substr(colon), item.span());
  }
  if (item.is_map()) {
    const Value* type = item.get("type");
    const Value* source = item.get("source");
    bool bind = !type || (type->is_string() && type->as_string() == "bind");
    if (bind && source && source->is_string() && !source->as_string().empty() &&
        source->as_string()[0] == '~')
      return replace_key(item, "source",
                         Value::string(expand_home(source->as_string(), home), source->span()));
  }
  return item;
}

}  // namespace

std::string expand_home(const std::string& path, const std::string& home) {
  if (path.empty() || path[0] != '~') return path;
  // Go's filepath.Join: "/home/u" and "/x" join to "/home/u/x" (std::filesystem would keep "/x").
  std::string s = fs::path(home + "/" + path.substr(1)).lexically_normal().string();
  if (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

Value expand_home_in_volumes(const Value& service, const std::string& home) {
  const Value* volumes = service.is_map() ? service.get("volumes") : nullptr;
  if (volumes == nullptr || !volumes->is_list()) return service;
  List items;
  for (const Value& item : volumes->as_list()) items.push_back(home_volume_item(item, home));
  return replace_key(service, "volumes", Value::list(std::move(items), volumes->span()));
}

Value absolutize_service_paths(const Value& service, const std::string& folder) {
  if (!service.is_map()) return service;
  Entries out;
  for (const auto& e : service.as_map()) {
    Value v = e.second;
    if (e.first == "volumes" && v.is_list()) {
      List items;
      for (const Value& item : v.as_list()) items.push_back(volume_item(item, folder));
      v = Value::list(std::move(items), v.span());
    } else if (e.first == "build") {
      v = build_value(v, folder);
    } else if (e.first == "env_file") {
      if (v.is_list()) {
        List items;
        for (const Value& item : v.as_list()) items.push_back(env_file_item(item, folder));
        v = Value::list(std::move(items), v.span());
      } else {
        v = env_file_item(v, folder);
      }
    }
    out.emplace_back(e.first, std::move(v));
  }
  return Value::map_unique(std::move(out), service.span());
}

Value absolutize_resource_files(const Value& resources, const std::string& folder) {
  if (!resources.is_map()) return resources;
  Entries out;
  for (const auto& e : resources.as_map()) {
    const Value* file = e.second.is_map() ? e.second.get("file") : nullptr;
    if (file && file->is_string() && !fs::path(file->as_string()).is_absolute()) {
      out.emplace_back(
          e.first, replace_key(e.second, "file",
                               Value::string(absolute(folder, file->as_string()), file->span())));
    } else {
      out.push_back(e);
    }
  }
  return Value::map_unique(std::move(out), resources.span());
}

}  // namespace capguard
