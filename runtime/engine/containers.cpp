#include "runtime/engine/containers.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace capguard::engine {

namespace fs = std::filesystem;

namespace {

using ordered_json = nlohmann::ordered_json;

bool skipped_field(std::string_view key) {
  return key == "name" || key == "source" || key == "raw";
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

std::string label(const std::map<std::string, std::string>& labels, const char* key) {
  auto it = labels.find(key);
  return it == labels.end() ? std::string() : it->second;
}

std::string absolute(const std::string& base, const std::string& path) {
  if (path.empty() || path[0] == '/' || base.empty()) return path;
  return (fs::path(base) / path).lexically_normal().string();
}

void drift_into(const Value& live, const Value& declared, const std::string& path,
                std::vector<DriftItem>& out) {
  if (live.is_map() && declared.is_map()) {
    for (const auto& e : live.as_map()) {
      if (path.empty() && skipped_field(e.first)) continue;
      std::string sub = path.empty() ? e.first.str() : path + "." + e.first.str();
      const Value* d = declared.get(e.first);
      if (d == nullptr) {
        out.push_back(DriftItem{sub, e.second, Value::null(declared.span())});
        continue;
      }
      drift_into(e.second, *d, sub, out);
    }
    for (const auto& e : declared.as_map()) {
      if (path.empty() && skipped_field(e.first)) continue;
      if (live.get(e.first) == nullptr) {
        std::string sub = path.empty() ? e.first.str() : path + "." + e.first.str();
        out.push_back(DriftItem{sub, Value::null(live.span()), e.second});
      }
    }
    return;
  }
  if (live != declared) out.push_back(DriftItem{path, live, declared});
}

bool is_string(const Value* v, std::string_view text) {
  return v != nullptr && v->is_string() && v->as_string() == text;
}

const Value* field(const Value& service, std::string_view a, std::string_view b = {}) {
  const Value* v = service.get(a);
  if (v == nullptr || b.empty()) return v;
  return v->is_map() ? v->get(b) : nullptr;
}

// The Docker name of a compose network: its `docker_name`, else PROJECT_NAME (compose's).
std::string docker_network_name(const Value& net, const std::string& project) {
  const Value* docker = net.get("docker_name");
  if (docker != nullptr && docker->is_string()) return docker->as_string();
  const Value* name = net.get("name");
  return project + "_" + (name != nullptr && name->is_string() ? name->as_string() : "");
}

// The Docker names of the networks of a model (docker_network_name: the container's carry
// theirs, the file's are named as compose names them), sorted.
std::vector<std::string> network_names(const Value& list, const std::string& project) {
  std::vector<std::string> out;
  if (!list.is_sequence()) return out;
  for (const Value& n : list.as_list()) {
    if (n.is_map()) out.push_back(docker_network_name(n, project));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A mount without what only a file can say (`relative`, `in_project`: how a source was
// written) and with the engine's default propagation for a bind that sets none.
Value comparable_mount(const Value& m, bool from_file) {
  if (!m.is_map()) return m;
  Entries entries;
  bool bind = false;
  if (const Value* t = m.get("type"); t != nullptr && t->is_string())
    bind = t->as_string() == "bind";
  for (const auto& e : m.as_map()) {
    if (e.first == "relative" || e.first == "in_project") continue;
    if (from_file && bind && e.first == "propagation" && e.second.is_null()) {
      entries.emplace_back(e.first.str(), Value::string("rprivate"));
      continue;
    }
    entries.emplace_back(e.first.str(), e.second);
  }
  return Value::map(std::move(entries));
}

std::vector<Value> comparable_mounts(const Value& list, bool from_file) {
  std::vector<Value> out;
  if (!list.is_sequence()) return out;
  for (const Value& m : list.as_list()) out.push_back(comparable_mount(m, from_file));
  std::sort(out.begin(), out.end(),
            [](const Value& a, const Value& b) { return Value::compare(a, b) < 0; });
  return out;
}

// Differences that the engine decides, not the file: the file leaves the value to the daemon
// (its configuration or its rules), so the container's value is not drift. spec/engine.md lists
// them; each is checked against the rest of the service, never a field skipped outright.
bool engine_decided(const DriftItem& d, const Value& live, const Value& declared,
                    const std::string& project) {
  // No `runtime` in the file: the daemon's default, runc unless configured otherwise.
  if (d.field == "runtime") return d.declared.is_null() && is_string(&d.live, "runc");
  // cgroup namespace not set: the daemon's --default-cgroupns-mode (host on cgroup v1 hosts).
  if (d.field == "namespaces.cgroup") return is_string(&d.declared, "default");
  // Privileged, or sharing the host's pid or ipc namespace: the engine disables SELinux labels
  // (moby: label.DisableSecOpt() in generateSecurityOpt).
  if (d.field == "security.selinux" && d.declared.is_null() && d.live.is_sequence() &&
      d.live.as_list().size() == 1 && is_string(&d.live.as_list().front(), "disable")) {
    const Value* privileged = live.get("privileged");
    return (privileged != nullptr && privileged->is_bool() && privileged->as_bool()) ||
           is_string(field(live, "namespaces", "pid"), "host") ||
           is_string(field(live, "namespaces", "ipc"), "host");
  }
  // Compose attaches the project's networks, named PROJECT_NAME: the same networks.
  if (d.field == "networks" && d.declared.is_sequence() && !d.declared.as_list().empty()) {
    return network_names(d.live, project) == network_names(d.declared, project);
  }
  // No network_mode: the container's mode is the first network compose attached it to.
  if (d.field == "namespaces.network" && is_string(&d.declared, "bridge") && d.live.is_string()) {
    const Value* nets = declared.get("networks");
    if (nets == nullptr) return false;
    std::vector<std::string> names = network_names(*nets, project);
    return std::find(names.begin(), names.end(), d.live.as_string()) != names.end();
  }
  // Mounts: the same ones, in any order, apart from how a file wrote a source and the engine's
  // default propagation (rprivate) of a bind.
  if (d.field == "mounts") {
    return comparable_mounts(d.live, false) == comparable_mounts(d.declared, true);
  }
  // network_mode none or host: the file lists no networks, the engine shows the mode's own.
  if (d.field == "networks" && d.declared.is_sequence() && d.declared.as_list().empty() &&
      d.live.is_sequence()) {
    const Value* mode = field(declared, "namespaces", "network");
    if (!is_string(mode, "none") && !is_string(mode, "host")) return false;
    for (const Value& n : d.live.as_list()) {
      if (!n.is_map() || !is_string(n.get("name"), mode->as_string())) return false;
    }
    return true;
  }
  return false;
}

}  // namespace

std::optional<ComposeOrigin> compose_origin(const std::map<std::string, std::string>& labels) {
  ComposeOrigin o;
  o.project = label(labels, "com.docker.compose.project");
  o.service = label(labels, "com.docker.compose.service");
  if (o.project.empty() || o.service.empty()) return std::nullopt;
  o.working_dir = label(labels, "com.docker.compose.project.working_dir");
  for (const std::string& f :
       split_commas(label(labels, "com.docker.compose.project.config_files")))
    o.config_files.push_back(absolute(o.working_dir, f));
  for (const std::string& f :
       split_commas(label(labels, "com.docker.compose.project.environment_file")))
    o.env_files.push_back(absolute(o.working_dir, f));
  return o;
}

std::string container_label(const ContainerInput& c) {
  std::string out =
      fmt::format("container {} ({}, {}) on {}", c.name, c.id.substr(0, 12), c.image, c.host);
  if (c.compose) {
    out += fmt::format(", compose project {}, service {}", c.compose->project, c.compose->service);
  }
  return out;
}

Value link_spans(const Value& live, const Value& declared) {
  if (live.is_map() && declared.is_map()) {
    Entries entries = live.as_map().to_vector();
    for (Entry& e : entries) {
      const Value* d = declared.get(e.first);
      if (d != nullptr) e.second = link_spans(e.second, *d);
    }
    Span s = declared.span().known() ? declared.span() : live.span();
    return Value::map_unique(std::move(entries), s);
  }
  if (live == declared && declared.span().known()) return declared;
  return live;
}

std::vector<DriftItem> drift(const Value& live, const Value& declared, const std::string& project) {
  std::vector<DriftItem> all;
  drift_into(live, declared, "", all);
  std::vector<DriftItem> out;
  for (DriftItem& d : all) {
    if (!engine_decided(d, live, declared, project)) out.push_back(std::move(d));
  }
  return out;
}

ContainerInput container_input(const std::string& host, const std::string& body,
                               bool link_compose) {
  ContainerInput c;
  c.host = host;
  ordered_json doc = ordered_json::parse(body, nullptr, false);
  std::map<std::string, std::string> labels;
  if (doc.is_object()) {
    if (auto id = doc.find("Id"); id != doc.end() && id->is_string()) c.id = id->get<std::string>();
    if (auto name = doc.find("Name"); name != doc.end() && name->is_string()) {
      c.name = name->get<std::string>();
      if (!c.name.empty() && c.name[0] == '/') c.name.erase(0, 1);
    }
    if (auto config = doc.find("Config"); config != doc.end() && config->is_object()) {
      if (auto image = config->find("Image"); image != config->end() && image->is_string())
        c.image = image->get<std::string>();
      if (auto ls = config->find("Labels"); ls != config->end() && ls->is_object()) {
        for (auto it = ls->begin(); it != ls->end(); ++it) {
          if (it.value().is_string()) labels[it.key()] = it.value().get<std::string>();
        }
      }
    }
  }
  if (c.name.empty()) c.name = c.id.substr(0, 12);
  c.compose = compose_origin(labels);
  // `docker inspect` prints the same object indented by 4: locations read the same.
  std::string text = doc.is_discarded() ? body : doc.dump(4) + "\n";
  std::string source_name = fmt::format("{}/containers/{}", host, c.name);
  c.input = load_input_text(source_name, text, InputFormat::Inspect, c.diags);
  c.input.name = container_label(c);
  if (!link_compose || !c.compose || c.compose->config_files.empty() || !c.input.ok) return c;

  InputOptions options;
  options.format = InputFormat::Compose;
  options.env_files = c.compose->env_files;
  options.project_dir = c.compose->working_dir;
  LoadedInput file = load_input_files(c.compose->config_files, options, c.compose_diags);
  if (!file.ok) return c;
  const Value* services = file.document.get("services");
  const Value* live_services = c.input.document.get("services");
  if (services == nullptr || live_services == nullptr || live_services->as_list().empty()) return c;
  for (const Value& s : services->as_list()) {
    const Value* n = s.get("name");
    if (n == nullptr || !n->is_string() || n->as_string() != c.compose->service) continue;
    c.declared = s;
    c.linked = true;
  }
  if (!c.linked) {
    c.compose_diags.file_error(c.compose->config_files.front(),
                               fmt::format("has no service `{}` (container {} was created from it)",
                                           c.compose->service, c.name));
    return c;
  }
  Value linked = link_spans(live_services->as_list().front(), c.declared);
  c.input.document =
      compact(Value::map({{"services", Value::list({linked}, live_services->span())}}));
  return c;
}

}  // namespace capguard::engine
