#include "cli/common/docker_source.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/common/engine_twin.hpp"
#include "runtime/engine/curl_library.hpp"

namespace capguard::cli {

namespace {

std::function<std::string(const std::string&)> append_to(std::vector<std::string>& list) {
  return [&list](const std::string& v) {
    list.push_back(v);
    return std::string();
  };
}

// currentContext of the docker CLI's config.json ("" when unset or unreadable, as the CLI
// then uses the default context).
std::string current_context(const std::string& config_dir) {
  std::string path = config_dir + "/config.json";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec) ||
      std::filesystem::file_size(path, ec) > (1 << 20)) {
    return "";
  }
  std::ifstream in(path, std::ios::binary);
  nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  if (!doc.is_object()) return "";
  auto it = doc.find("currentContext");
  return it != doc.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

void add_docker_flags(ArgParser& p, DockerFlags& f, unsigned sets) {
  if (sets & kDockerSwitch) {
    p.flag("docker", 0, "read running containers from the Docker engine (DOCKER_HOST)",
           [&f] { f.docker = true; });
  }
  p.option("docker-host", 0, "URL", "engine to read: unix:///PATH or tcp://HOST:PORT (repeatable)",
           append_to(f.hosts));
  p.option("context", 0, "NAME", "engine of a docker CLI context (repeatable)",
           append_to(f.contexts));
  if (sets & kDockerSelection) {
    p.flag("all", 0, "all containers, not only running ones (docker ps --all)",
           [&f] { f.all = true; });
    p.option("filter", 0, "KEY=VALUE", "select as docker ps --filter (label=, name=, status=...)",
             append_to(f.filters));
    p.option("project", 0, "NAME", "the containers of one compose project",
             [&f](const std::string& v) {
               f.project = v;
               return std::string();
             });
  }
  if (sets & kDockerDrift) {
    p.flag("drift", 0,
           "with --docker: compare compose containers with their files (capguard drift)",
           [&f] { f.drift = true; });
  }
}

void check_docker_flags(const DockerFlags& f, bool implied, const std::string& command,
                        Diagnostics& diags) {
  if (!implied && !f.docker && (f.any_selection() || f.drift)) {
    const char* which = !f.hosts.empty()      ? "--docker-host"
                        : !f.contexts.empty() ? "--context"
                        : f.all               ? "--all"
                        : !f.filters.empty()  ? "--filter"
                        : !f.project.empty()  ? "--project"
                                              : "--drift";
    diags.file_error(command, fmt::format("{} needs --docker", which));
  }
  for (const std::string& filter : f.filters) {
    size_t eq = filter.find('=');
    if (eq == std::string::npos || eq == 0) {
      diags.file_error(command, fmt::format("--filter {}: expected KEY=VALUE (e.g. label=tier=web, "
                                            "name=web)",
                                            filter));
    }
  }
}

namespace {

std::vector<engine::EngineHost> configured_hosts(const DockerFlags& f, Diagnostics& diags) {
  engine::Getenv env = engine::process_environment();
  std::string config_dir = engine::docker_config_dir(env);
  std::vector<engine::EngineHost> out;
  std::string error;
  for (const std::string& url : f.hosts) {
    if (auto h = engine::host_from_environment(url, env, error)) {
      out.push_back(*h);
    } else {
      diags.file_error("--docker-host", error);
    }
  }
  for (const std::string& name : f.contexts) {
    if (auto h = engine::context_host(name, config_dir, env, error)) {
      out.push_back(*h);
    } else {
      diags.file_error("--context", error);
    }
  }
  if (!f.hosts.empty() || !f.contexts.empty()) return out;
  const char* host = env("DOCKER_HOST");
  const char* context = env("DOCKER_CONTEXT");
  std::string name = context != nullptr && *context != '\0' ? context : "";
  if ((host == nullptr || *host == '\0') && name.empty()) name = current_context(config_dir);
  if ((host != nullptr && *host != '\0') || name.empty() || name == "default") {
    if (auto h = engine::host_from_environment("", env, error)) {
      out.push_back(*h);
    } else {
      diags.file_error("DOCKER_HOST", error);
    }
  } else if (auto h = engine::context_host(name, config_dir, env, error)) {
    out.push_back(*h);
  } else {
    diags.file_error("DOCKER_CONTEXT", error);
  }
  return out;
}

}  // namespace

std::vector<engine::EngineHost> docker_hosts(const DockerFlags& f, Diagnostics& diags) {
  std::vector<engine::EngineHost> hosts = configured_hosts(f, diags);
  // A static capguard hands over to capguard-engine here, before anything is written (each
  // command reads its engines before it reports): it returns only when it cannot.
  if (std::string twin_error = run_engine_twin(); !twin_error.empty()) {
    diags.file_error("capguard", twin_error);
    return {};
  }
  // libcurl is loaded here, the first time a command needs an engine: without it no engine can
  // be read, which is said once (not once per engine).
  std::string error;
  if (engine::curl_library(error) == nullptr) {
    diags.file_error("capguard", engine::curl_missing_message(error));
    return {};
  }
  return hosts;
}

std::vector<engine::HostScan> read_containers(const DockerFlags& f,
                                              const std::vector<std::string>& names,
                                              ComposeLink link, Diagnostics& diags) {
  std::vector<engine::EngineHost> hosts = docker_hosts(f, diags);
  engine::ScanOptions options;
  options.selection.all = f.all;
  options.selection.project = f.project;
  for (const std::string& filter : f.filters) {
    size_t eq = filter.find('=');
    if (eq == std::string::npos || eq == 0) continue;  // a usage error already
    options.selection.filters.emplace_back(filter.substr(0, eq), filter.substr(eq + 1));
  }
  options.containers = names;
  options.link_compose = link != ComposeLink::None;
  if (const char* t = std::getenv("CAPGUARD_ENGINE_TIMEOUT"); t != nullptr && *t != '\0') {
    char* end = nullptr;
    long seconds = std::strtol(t, &end, 10);
    if (*end != '\0' || seconds <= 0 || seconds > 3600) {
      diags.file_error("CAPGUARD_ENGINE_TIMEOUT",
                       fmt::format("`{}`: expected a number of seconds from 1 to 3600", t));
      return {};
    }
    options.limits.request_timeout_ms = seconds * 1000;
  }
  std::string error;
  options.pinned = engine::pinned_api_version(engine::process_environment(), error);
  if (!error.empty()) {
    diags.file_error("DOCKER_API_VERSION", error);
    return {};
  }
  std::vector<engine::HostScan> scans = engine::scan_hosts(hosts, options);
  for (const engine::HostScan& scan : scans) {
    diags.append(scan.errors);
    for (const engine::ContainerInput& c : scan.containers) {
      for (const Diagnostic& d : c.compose_diags.all()) {
        if (d.level != DiagLevel::Error) continue;
        Diagnostic w = d;
        if (link == ComposeLink::Optional) {
          w.level = DiagLevel::Warning;
          w.message += fmt::format(
              " (the compose file of container {} on {}; its findings point "
              "at the container instead)",
              c.name, c.host);
        } else {
          w.message += fmt::format(
              " (the compose file of container {} on {}: its drift is not "
              "known)",
              c.name, c.host);
        }
        diags.add(std::move(w));
      }
    }
  }
  return scans;
}

}  // namespace capguard::cli
