#include "runtime/documents/normalize/networks.hpp"

#include <utility>

#include "runtime/documents/normalize/field_reader.hpp"

namespace capguard::normalize {

namespace {

Value optional_string(const std::optional<std::string>& s, Span span) {
  return s ? Value::string(*s, span) : Value::null(span);
}

Value optional_bool(std::optional<bool> b, Span span) {
  return b ? Value::boolean(*b, span) : Value::null(span);
}

// The `network` object for `name` at `span`: every field from the definition, or unknown.
Value network_value(const std::string& name, const NetworkDef* def, Span span) {
  if (def == nullptr) {
    return Value::map({{"name", Value::string(name, span)},
                       {"internal", Value::null(span)},
                       {"external", Value::null(span)},
                       {"driver", Value::null(span)},
                       {"docker_name", Value::null(span)}},
                      span);
  }
  return Value::map({{"name", Value::string(name, span)},
                     {"internal", optional_bool(def->internal, span)},
                     {"external", Value::boolean(def->external, span)},
                     {"driver", optional_string(def->driver, span)},
                     {"docker_name", optional_string(def->docker_name, span)}},
                    span);
}

std::optional<std::string> string_at(const Value& def, const char* key, const std::string& field,
                                     Diagnostics& diags) {
  const Value* v = def.get(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  auto s = read_string(*v, field, diags);
  if (s && s->empty()) return std::nullopt;
  return s;
}

NetworkDef read_definition(const std::string& key, const Value& def, Diagnostics& diags) {
  NetworkDef out;
  out.internal = false;
  if (def.is_null()) return out;  // `backend:` with no attributes
  if (!def.is_map()) {
    type_error(diags, def, "networks." + key, "a mapping");
    return out;
  }
  const std::string prefix = "networks." + key + ".";
  if (const Value* ext = def.get("external"); ext && !ext->is_null()) {
    if (ext->is_map()) {
      // The deprecated `external: {name: x}` form.
      out.external = true;
      out.docker_name = string_at(*ext, "name", prefix + "external.name", diags);
    } else {
      out.external = read_bool(*ext, prefix + "external", diags).value_or(false);
    }
  }
  if (const Value* internal = def.get("internal"); internal && !internal->is_null()) {
    out.internal = read_bool(*internal, prefix + "internal", diags).value_or(false);
  }
  out.driver = string_at(def, "driver", prefix + "driver", diags);
  if (auto name = string_at(def, "name", prefix + "name", diags)) out.docker_name = name;
  if (out.external) {
    // Created outside the project: compose does not apply (or know) its attributes.
    out.internal.reset();
    if (!out.docker_name) out.docker_name = key;
  }
  return out;
}

}  // namespace

NetworkTable compose_network_table(const Value* networks, Diagnostics& diags) {
  NetworkTable out;
  if (networks == nullptr || networks->is_null()) return out;
  if (!networks->is_map()) {
    type_error(diags, *networks, "networks", "a mapping of network names to definitions");
    return out;
  }
  for (const auto& [key, def] : networks->as_map()) {
    out[key] = read_definition(key, def, diags);
  }
  return out;
}

Value compose_networks(const Value& service, const NetworkTable& declared, Span fallback,
                       Diagnostics& diags) {
  static const NetworkDef kImplicitDefault{false, false, std::nullopt, std::nullopt};
  auto resolve = [&](const std::string& name, Span span) {
    auto found = declared.find(name);
    if (found != declared.end()) return network_value(name, &found->second, span);
    return network_value(name, name == "default" ? &kImplicitDefault : nullptr, span);
  };
  const Value* nets = service.get("networks");
  if (nets == nullptr || nets->is_null()) {
    const Value* mode = service.get("network_mode");
    if (mode != nullptr && !mode->is_null()) {
      // A mode that is none of the daemon's own (bridge, host, none, default, container:X) nor
      // compose's service:X names a network (moby NetworkMode.IsUserDefined, compared
      // case-sensitively): docker compose sends it as written and the container joins that
      // network, which the project does not describe (`network_mode: HOST` is a network
      // called HOST, not the host's stack).
      std::string m = mode->is_string() ? mode->as_string() : "";
      bool reserved = m.empty() || m == "bridge" || m == "host" || m == "none" || m == "default" ||
                      m.rfind("container:", 0) == 0 || m.rfind("service:", 0) == 0;
      if (reserved) return Value::list({}, mode->span());
      return Value::list({network_value(m, nullptr, mode->span())}, mode->span());
    }
    return Value::list({resolve("default", fallback)}, fallback);
  }
  List out;
  if (nets->is_map()) {
    for (const auto& [name, config] : nets->as_map()) {
      out.push_back(resolve(name, config.span().known() ? config.span() : nets->span()));
    }
  } else if (auto items = read_string_list(*nets, "networks", diags)) {
    for (const Value& item : *items) out.push_back(resolve(item.as_string(), item.span()));
  }
  return Value::list(std::move(out), nets->span());
}

Value inspect_networks(const Value& container, Span fallback) {
  const Value* settings = container.get("NetworkSettings");
  const Value* nets = settings && settings->is_map() ? settings->get("Networks") : nullptr;
  if (nets == nullptr || !nets->is_map()) return Value::list({}, fallback);
  // A container of a compose project (label com.docker.compose.project) joins the project's
  // default network as PROJECT_default (docker compose v1 and v2 name it so): it is the network
  // the compose file calls `default`.
  std::string project_default;
  const Value* container_config = container.get("Config");
  const Value* labels =
      container_config && container_config->is_map() ? container_config->get("Labels") : nullptr;
  const Value* project =
      labels && labels->is_map() ? labels->get("com.docker.compose.project") : nullptr;
  if (project != nullptr && project->is_string() && !project->as_string().empty()) {
    project_default = project->as_string() + "_default";
  }
  List out;
  for (const auto& [docker_name, config] : nets->as_map()) {
    Span s = config.span();
    std::string name(docker_name);
    if (!project_default.empty() && name == project_default) name = "default";
    out.push_back(Value::map({{"name", Value::string(name, s)},
                              {"internal", Value::null(s)},
                              {"external", Value::null(s)},
                              {"driver", Value::null(s)},
                              {"docker_name", Value::string(std::string(docker_name), s)}},
                             s));
  }
  return Value::list(std::move(out), nets->span());
}

}  // namespace capguard::normalize
