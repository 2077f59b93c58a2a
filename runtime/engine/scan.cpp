#include "runtime/engine/scan.hpp"

#include <thread>

#include <fmt/format.h>

namespace capguard::engine {

namespace {

void host_error(HostScan& scan, const std::string& message) {
  scan.errors.file_error(scan.host.label, message);
}

}  // namespace

std::optional<ApiVersion> pinned_api_version(const Getenv& env, std::string& error) {
  const char* v = env("DOCKER_API_VERSION");
  if (v == nullptr || *v == '\0') return std::nullopt;
  auto parsed = parse_api_version(v);
  if (!parsed) error = fmt::format("DOCKER_API_VERSION={}: expected MAJOR.MINOR, e.g. 1.41", v);
  return parsed;
}

HostScan scan_host(const EngineHost& host, const ScanOptions& options) {
  HostScan scan;
  scan.host = host;
  EngineClient client(host, options.limits);
  if (auto e = client.connect(options.pinned)) {
    host_error(scan, e->message);
    return scan;
  }
  scan.connected = true;
  scan.server = client.server();

  // Which containers: the ones named, else the daemon's list for the selection.
  struct Wanted {
    std::string ref;   // id or name to inspect
    bool listed;       // from the list (so a 404 means it went away since)
    std::string name;  // as listed
  };
  std::vector<Wanted> wanted;
  if (!options.containers.empty()) {
    for (const std::string& c : options.containers) wanted.push_back({c, false, c});
  } else {
    std::vector<ContainerSummary> listed;
    if (auto e = client.list(options.selection, listed)) {
      host_error(scan, e->message);
      return scan;
    }
    for (const ContainerSummary& c : listed) wanted.push_back({c.id, true, c.name});
  }

  for (size_t i = 0; i < wanted.size(); ++i) {
    const Wanted& w = wanted[i];
    std::string body;
    if (auto e = client.inspect(w.ref, body)) {
      if (e->kind == ErrorKind::NotFound) {
        host_error(scan, w.listed ? fmt::format("container {} ({}) disappeared between the list "
                                                "and its inspect (removed meanwhile); not checked",
                                                w.name, w.ref.substr(0, 12))
                                  : fmt::format("no such container: {}", w.ref));
        continue;
      }
      host_error(scan, fmt::format("container {}: {}", w.ref, e->message));
      // The engine itself failed (went away, timed out): the rest would fail the same way.
      if (e->kind == ErrorKind::Unreachable || e->kind == ErrorKind::Timeout ||
          e->kind == ErrorKind::PermissionDenied) {
        if (i + 1 < wanted.size()) {
          host_error(scan, fmt::format("{} more container{} not checked", wanted.size() - i - 1,
                                       wanted.size() - i - 1 == 1 ? "" : "s"));
        }
        break;
      }
      continue;
    }
    scan.containers.push_back(container_input(host.label, body, options.link_compose));
  }
  return scan;
}

std::vector<HostScan> scan_hosts(const std::vector<EngineHost>& hosts, const ScanOptions& options) {
  std::vector<HostScan> out(hosts.size());
  std::vector<std::thread> threads;
  for (size_t i = 1; i < hosts.size(); ++i) {
    threads.emplace_back([&, i] { out[i] = scan_host(hosts[i], options); });
  }
  if (!hosts.empty()) out[0] = scan_host(hosts[0], options);
  for (std::thread& t : threads) t.join();
  return out;
}

}  // namespace capguard::engine
