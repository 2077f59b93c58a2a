#include "runtime/authz/container_request.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <unordered_map>

#include "lang/core/diagnostics.hpp"
#include "runtime/authz/json_value.hpp"
#include "runtime/documents/normalize/inspect_container.hpp"

namespace capguard::authz {

namespace {

// Every field name the normalizer and this file read, in the daemon's spelling.
constexpr std::string_view kFields[] = {"BindOptions",
                                        "Binds",
                                        "CapAdd",
                                        "CapDrop",
                                        "Capabilities",
                                        "CgroupParent",
                                        "CgroupPermissions",
                                        "CgroupnsMode",
                                        "Cmd",
                                        "Count",
                                        "CpuPeriod",
                                        "CpuQuota",
                                        "Destination",
                                        "DeviceCgroupRules",
                                        "DeviceIDs",
                                        "DeviceRequests",
                                        "Devices",
                                        "Driver",
                                        "EndpointsConfig",
                                        "Entrypoint",
                                        "Env",
                                        "Hard",
                                        "Healthcheck",
                                        "HostConfig",
                                        "HostIp",
                                        "HostPort",
                                        "Image",
                                        "Interval",
                                        "IpcMode",
                                        "MaximumRetryCount",
                                        "Memory",
                                        "Mode",
                                        "Mounts",
                                        "Name",
                                        "NanoCpus",
                                        "NetworkMode",
                                        "NetworkingConfig",
                                        "OomKillDisable",
                                        "PathInContainer",
                                        "PathOnHost",
                                        "PidMode",
                                        "PidsLimit",
                                        "PortBindings",
                                        "Privileged",
                                        "Propagation",
                                        "ReadOnly",
                                        "ReadonlyRootfs",
                                        "RestartPolicy",
                                        "Retries",
                                        "Runtime",
                                        "SecurityOpt",
                                        "SizeBytes",
                                        "Soft",
                                        "Source",
                                        "StartInterval",
                                        "StartPeriod",
                                        "StorageOpt",
                                        "Sysctls",
                                        "Target",
                                        "Test",
                                        "Timeout",
                                        "Tmpfs",
                                        "TmpfsOptions",
                                        "Type",
                                        "UTSMode",
                                        "Ulimits",
                                        "User",
                                        "UsernsMode",
                                        "VolumeOptions",
                                        "VolumesFrom"};

// Fields whose value is a Go map: their keys are data, not field names.
constexpr std::string_view kMapFields[] = {
    "Labels",  "Sysctls",         "StorageOpt", "Tmpfs",   "PortBindings", "ExposedPorts",
    "Volumes", "EndpointsConfig", "DriverOpts", "Options", "Config"};

// Go's case folding of a key: ASCII lower case, U+017F (long s) as `s`, U+212A (Kelvin) as `k`.
std::string fold(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (size_t i = 0; i < key.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(key[i]);
    if (c == 0xC5 && i + 1 < key.size() && static_cast<unsigned char>(key[i + 1]) == 0xBF) {
      out.push_back('s');
      ++i;
    } else if (c == 0xE2 && i + 2 < key.size() && static_cast<unsigned char>(key[i + 1]) == 0x84 &&
               static_cast<unsigned char>(key[i + 2]) == 0xAA) {
      out.push_back('k');
      i += 2;
    } else {
      out.push_back(static_cast<char>(std::tolower(c)));
    }
  }
  return out;
}

const std::unordered_map<std::string, std::string_view>& canonical_names() {
  static const auto* table = [] {
    auto* t = new std::unordered_map<std::string, std::string_view>;
    for (std::string_view f : kFields) t->emplace(fold(f), f);
    return t;
  }();
  return *table;
}

bool is_map_field(std::string_view name) {
  return std::find(std::begin(kMapFields), std::end(kMapFields), name) != std::end(kMapFields);
}

Value fold_value(const Value& v, bool is_struct, std::string& error);

Value fold_struct(const Value& v, std::string& error) {
  Entries out;
  std::vector<std::string> written;  // each entry's key as written
  for (const auto& e : v.as_map()) {
    std::string key(e.first.str());
    auto it = canonical_names().find(fold(key));
    if (it != canonical_names().end()) key = std::string(it->second);
    auto same =
        std::find_if(out.begin(), out.end(), [&](const Entry& x) { return x.first == key; });
    if (same != out.end()) {
      // Go's decoder would take both, with rules of its own (a later null is ignored for some
      // fields and not for others): refused rather than guessed.
      if (error.empty()) {
        error = "the request body gives the field " + key + " twice (as \"" +
                written[static_cast<size_t>(same - out.begin())] + "\" and \"" +
                std::string(e.first.str()) + "\")";
      }
      continue;
    }
    written.emplace_back(e.first.str());
    out.emplace_back(std::move(key), fold_value(e.second, !is_map_field(key), error));
  }
  return Value::map(std::move(out), v.span());
}

Value fold_value(const Value& v, bool is_struct, std::string& error) {
  if (v.is_map()) {
    if (is_struct) return fold_struct(v, error);
    Entries out;
    for (const auto& e : v.as_map()) {
      out.emplace_back(e.first.str(), fold_value(e.second, true, error));
    }
    return Value::map(std::move(out), v.span());
  }
  if (v.is_sequence()) {
    List items;
    for (const Value& item : v.as_list()) items.push_back(fold_value(item, true, error));
    return Value::list(std::move(items), v.span());
  }
  return v;
}

const Value* field(const Value& map, const char* key) {
  if (!map.is_map()) return nullptr;
  const Value* v = map.get(key);
  return v != nullptr && !v->is_null() ? v : nullptr;
}

// The networks a created container joins, as inspect's NetworkSettings.Networks: the endpoints
// asked for, or else the network mode (the daemon's "default" is the bridge network).
Value create_networks(const Value& body, const Value* host) {
  Entries nets;
  const Value* networking = field(body, "NetworkingConfig");
  const Value* endpoints = networking ? field(*networking, "EndpointsConfig") : nullptr;
  if (endpoints && endpoints->is_map()) {
    for (const auto& e : endpoints->as_map()) {
      std::string name(e.first.str());
      nets.emplace_back(name == "default" ? "bridge" : name, Value::map({}));
    }
  }
  if (nets.empty()) {
    const Value* mode = host ? field(*host, "NetworkMode") : nullptr;
    std::string m = mode && mode->is_string() ? mode->as_string() : "";
    if (m.empty() || m == "default") m = "bridge";
    if (m.rfind("container:", 0) != 0) nets.emplace_back(m, Value::map({}));
  }
  return Value::map({{"Networks", Value::map(std::move(nets))}});
}

bool normalize_one(const Value& container, RequestModel& out, Value& document, std::string& error) {
  Diagnostics diags;
  Value workload = normalize::inspect_container(container, "request", diags);
  if (diags.has_errors()) {
    for (const Diagnostic& d : diags.all()) {
      if (d.level == DiagLevel::Error) {
        error = "the request body is not a valid container configuration: " + d.message;
        return false;
      }
    }
  }
  // Not compacted (lang/core/value.hpp compact()): a request's document is read once, and the
  // copy cost more than it saved (bench_authz).
  document = Value::map({{"services", Value::list({std::move(workload)})}});
  return true;
}

}  // namespace

Value fold_request_keys(const Value& body, std::string& error) {
  return fold_value(body, true, error);
}

Value create_request_container(const Value& body, const std::string& name) {
  Entries config;
  const Value* host = nullptr;
  for (const auto& e : body.as_map()) {
    if (e.first.str() == "HostConfig") {
      if (!e.second.is_null()) host = &e.second;
    } else if (e.first.str() != "NetworkingConfig") {
      config.emplace_back(e.first.str(), e.second);
    }
  }
  return Value::map({{"Name", Value::string("/" + name)},
                     {"Config", Value::map(std::move(config))},
                     {"HostConfig", host ? *host : Value::map({})},
                     {"NetworkSettings", create_networks(body, host)}});
}

bool request_model(const ApiRoute& route, std::string_view body_text, RequestModel& out,
                   std::string& error) {
  Value parsed;
  if (!parse_json_value(body_text, parsed, error)) {
    error = "the request body is " + error;
    return false;
  }
  if (!parsed.is_map()) {
    error = "the request body is not a JSON object";
    return false;
  }
  error.clear();
  Value body = fold_request_keys(parsed, error);
  if (!error.empty()) return false;
  switch (route.call) {
    case ApiCall::ContainerCreate: {
      out.container = route.name.empty() ? "(unnamed)" : route.name;
      if (const Value* host = body.get("HostConfig"); host && !host->is_null() && !host->is_map()) {
        error = "the request body's HostConfig is not an object";
        return false;
      }
      out.baseline = Value::null();
      return normalize_one(create_request_container(body, out.container), out, out.document, error);
    }
    case ApiCall::ContainerUpdate: {
      out.container = route.target;
      Value changed = create_request_container(Value::map({{"HostConfig", body}}), route.target);
      Value empty = create_request_container(Value::map({}), route.target);
      return normalize_one(changed, out, out.document, error) &&
             normalize_one(empty, out, out.baseline, error);
    }
    case ApiCall::ContainerStart: {
      // The HostConfig replaces the container's: judged whole, as a create's.
      out.container = route.target;
      out.baseline = Value::null();
      return normalize_one(
          create_request_container(Value::map({{"HostConfig", body}}), route.target), out,
          out.document, error);
    }
    case ApiCall::ContainerExec: {
      out.container = route.target;
      Entries config, host;
      if (const Value* user = field(body, "User")) config.emplace_back("User", *user);
      if (const Value* env = field(body, "Env")) config.emplace_back("Env", *env);
      if (const Value* priv = field(body, "Privileged")) host.emplace_back("Privileged", *priv);
      Entries request{{"HostConfig", Value::map(std::move(host))}};
      for (Entry& e : config) request.push_back(std::move(e));
      Value changed = create_request_container(Value::map(std::move(request)), route.target);
      Value empty = create_request_container(Value::map({}), route.target);
      return normalize_one(changed, out, out.document, error) &&
             normalize_one(empty, out, out.baseline, error);
    }
    default:
      error = "not a container create, update, exec or start request";
      return false;
  }
}

}  // namespace capguard::authz
