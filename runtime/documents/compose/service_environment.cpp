#include "runtime/documents/compose/service_environment.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "lang/core/source.hpp"
#include "runtime/documents/compose/env_file.hpp"
#include "runtime/documents/compose/paths.hpp"
#include "runtime/documents/yaml_loader.hpp"

namespace capguard {
namespace {

struct EnvFileRef {
  std::string path;
  bool required = true;
  Span span;
};

// `required` as compose reads booleans ("false", false, "no" ...); anything else keeps the
// default (true), so an unreadable flag never hides a missing file.
bool read_required(const Value* v) {
  if (v == nullptr) return true;
  if (v->is_bool()) return v->as_bool();
  if (v->is_string()) {
    std::string s = v->as_string();
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (s == "false" || s == "no" || s == "n" || s == "off") return false;
  }
  return true;
}

std::vector<EnvFileRef> env_file_refs(const Value& field, const std::string& project_dir,
                                      const std::optional<std::string>& home) {
  std::vector<EnvFileRef> refs;
  auto resolved = [&](const std::string& written) {
    std::string path = home ? expand_home(written, *home) : written;
    std::filesystem::path p(path);
    return p.is_absolute() ? path
                           : (std::filesystem::path(project_dir) / p).lexically_normal().string();
  };
  auto add = [&](const Value& item) {
    if (item.is_string()) {
      refs.push_back({resolved(item.as_string()), true, item.span()});
    } else if (item.is_map()) {
      const Value* path = item.get("path");
      if (path && path->is_string())
        refs.push_back(
            {resolved(path->as_string()), read_required(item.get("required")), path->span()});
    }
  };
  if (field.is_list()) {
    for (const Value& item : field.as_list()) add(item);
  } else {
    add(field);
  }
  return refs;
}

// The span of KEY's last definition in a .env source ("KEY=...", "export KEY=...", "KEY: ..."),
// covering the key; `fallback` when it cannot be found (a key from a multi-line value).
Span key_span(FileId file, const std::string& key, Span fallback) {
  const Source& src = source(file);
  Span found = fallback;
  for (uint32_t line = 1; line <= src.line_count(); ++line) {
    std::string_view text = src.line_text(line);
    size_t i = text.find_first_not_of(" \t");
    if (i == std::string_view::npos) continue;
    if (text.substr(i, 7) == "export ") i = text.find_first_not_of(" \t", i + 7);
    if (i == std::string_view::npos || text.substr(i, key.size()) != key) continue;
    size_t after = text.find_first_not_of(" \t", i + key.size());
    if (after != std::string_view::npos && text[after] != '=' && text[after] != ':') continue;
    found = Span{file, line, static_cast<uint32_t>(i + 1), static_cast<uint32_t>(key.size())};
  }
  return found;
}

// The variables of one env file, in the file's order of keys (Environment keeps them sorted;
// the order does not matter to the model, which is a mapping).
bool read_env_file(const EnvFileRef& ref, const Environment& env, Entries& out,
                   Diagnostics& diags) {
  std::error_code ec;
  // Missing: a warning (below). There but not a readable file (a folder, a device): read_file's
  // error.
  if (!std::filesystem::exists(ref.path, ec)) {
    // Compose refuses to start without a required file, but repositories rarely commit their
    // env files (.env is in .gitignore): the rest of the service is still checked.
    if (ref.required)
      diags.warning(ref.span,
                    fmt::format("env file {} not found; its variables are not checked", ref.path));
    return false;
  }
  auto file = read_file(ref.path, diags);
  if (!file) return false;
  Environment vars;
  if (!parse_env_file(*file, env, vars, diags)) return false;
  for (const auto& [key, value] : vars.vars())
    out.emplace_back(key, Value::string(value, key_span(*file, key, ref.span)));
  return true;
}

// `environment` (mapping or KEY=VALUE list) as entries; a list item without '=' is a null value.
// nullopt for a wrong type (or a list item that is not a scalar): the normalizer reports it.
std::optional<Entries> environment_entries(const Value* field) {
  Entries out;
  if (field == nullptr || field->is_null()) return out;
  if (field->is_map()) return field->as_map().to_vector();
  if (!field->is_list()) return std::nullopt;
  for (const Value& item : field->as_list()) {
    if (!item.is_string()) return std::nullopt;
    const std::string& text = item.as_string();
    size_t eq = text.find('=');
    if (eq == std::string::npos) {
      out.emplace_back(text, Value::null(item.span()));
    } else {
      out.emplace_back(text.substr(0, eq), Value::string(text.substr(eq + 1), item.span()));
    }
  }
  return out;
}

// The environment of one service, resolved; nullopt to leave the service as it is.
std::optional<Entries> resolved_environment(const Value& service, const Environment& env,
                                            const std::string& project_dir,
                                            const std::optional<std::string>& home,
                                            Diagnostics& diags) {
  const Value* field = service.get("environment");
  const Value* files = service.get("env_file");
  // A mapping with every value given and no env_file is resolved already (the common case):
  // the service is left as it is, as the general path below would rebuild it.
  if ((files == nullptr || files->is_null()) && field != nullptr && field->is_map()) {
    bool all_given = true;
    for (const auto& e : field->as_map()) all_given = all_given && !e.second.is_null();
    if (all_given) return std::nullopt;
  }
  auto own = environment_entries(field);
  if (!own) return std::nullopt;
  Entries merged;
  // Where each key is in `merged`: found by a scan while there are few (no allocation), by an
  // index past that.
  constexpr size_t kScanBelow = 32;
  std::unordered_map<std::string, size_t> index;
  auto put = [&](const std::string& key, const Value& value) {
    if (index.empty() && merged.size() < kScanBelow) {
      for (Entry& e : merged) {
        if (e.first == key) {
          e.second = value;
          return;
        }
      }
      merged.emplace_back(key, value);
      return;
    }
    if (index.empty()) {
      for (size_t i = 0; i < merged.size(); ++i) index.emplace(merged[i].first, i);
    }
    auto [it, added] = index.emplace(key, merged.size());
    if (added) {
      merged.emplace_back(key, value);
    } else {
      merged[it->second].second = value;
    }
  };
  bool read_any = false;
  if (files != nullptr && !files->is_null()) {
    for (const EnvFileRef& ref : env_file_refs(*files, project_dir, home)) {
      Entries vars;
      if (!read_env_file(ref, env, vars, diags)) continue;
      read_any = true;
      for (const auto& e : vars) put(e.first, e.second);
    }
  }
  if (!read_any && field == nullptr) return std::nullopt;  // nothing read
  for (const auto& e : *own) {
    if (!e.second.is_null()) {
      put(e.first, e.second);
    } else if (auto value = env.get(e.first)) {
      put(e.first, Value::string(*value, e.second.span()));
    } else {
      put(e.first, e.second);  // unset: replaces a file's value, then is left out below
    }
  }
  Entries out;
  for (Entry& e : merged)
    if (!e.second.is_null()) out.push_back(std::move(e));
  return out;
}

Value with_environment(const Value& service, Entries environment) {
  const Value* field = service.get("environment");
  Span span = field ? field->span() : service.get("env_file")->span();
  Value resolved = Value::map_unique(std::move(environment), span);
  Entries fields;
  bool replaced = false;
  for (const auto& f : service.as_map()) {
    if (f.first == "environment") {
      fields.emplace_back(f.first, resolved);
      replaced = true;
    } else {
      fields.push_back(f);
    }
  }
  if (!replaced) fields.emplace_back("environment", std::move(resolved));
  return Value::map_unique(std::move(fields), service.span());
}

}  // namespace

Value resolve_service_environments(const Value& root, const Environment& env,
                                   const std::string& project_dir,
                                   const std::optional<std::string>& home, Diagnostics& diags) {
  const Value* services = root.is_map() ? root.get("services") : nullptr;
  if (services == nullptr || !services->is_map()) return root;
  Entries out_services;
  bool changed = false;
  for (const auto& s : services->as_map()) {
    if (s.second.is_map() && (s.second.get("env_file") || s.second.get("environment"))) {
      if (auto environment = resolved_environment(s.second, env, project_dir, home, diags)) {
        out_services.emplace_back(s.first, with_environment(s.second, std::move(*environment)));
        changed = true;
        continue;
      }
    }
    out_services.push_back(s);
  }
  if (!changed) return root;
  Entries top;
  for (const auto& e : root.as_map()) {
    if (e.first == "services")
      top.emplace_back(e.first, Value::map_unique(out_services, services->span()));
    else
      top.push_back(e);
  }
  return Value::map_unique(std::move(top), root.span());
}

}  // namespace capguard
