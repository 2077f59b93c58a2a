#include "runtime/engine/host.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace capguard::engine {

namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxMetaBytes = 1 << 20;  // a context's meta.json

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool is_file(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

// HOST[:PORT] of a tcp URL, with the default port added; "" and an error when malformed.
std::string tcp_address(std::string_view rest, bool tls, std::string& error) {
  std::string_view hostport = rest;
  if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
    if (rest.substr(slash) != "/") {
      error = "a path after the address is not supported";
      return "";
    }
    hostport = rest.substr(0, slash);
  }
  std::string host, port;
  if (starts_with(hostport, "[")) {  // [v6]:port
    size_t close = hostport.find(']');
    if (close == std::string_view::npos) {
      error = "unterminated `[` in the address";
      return "";
    }
    host = std::string(hostport.substr(0, close + 1));
    std::string_view after = hostport.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') {
        error = "expected `:PORT` after the IPv6 address";
        return "";
      }
      port = std::string(after.substr(1));
    }
  } else {
    size_t colon = hostport.rfind(':');
    host = std::string(hostport.substr(0, colon));
    if (colon != std::string_view::npos) port = std::string(hostport.substr(colon + 1));
  }
  if (host.empty()) host = "localhost";
  if (port.empty()) port = tls ? "2376" : "2375";
  for (char c : port) {
    if (c < '0' || c > '9') {
      error = fmt::format("the port `{}` is not a number", port);
      return "";
    }
  }
  if (port.size() > 5 || std::stoul(port) == 0 || std::stoul(port) > 65535) {
    error = fmt::format("the port `{}` is out of range", port);
    return "";
  }
  return host + ":" + port;
}

}  // namespace

Getenv process_environment() {
  return [](const char* name) { return static_cast<const char*>(std::getenv(name)); };
}

std::optional<EngineHost> parse_host_url(std::string_view text, bool tls, std::string& error) {
  EngineHost h;
  std::string why;
  if (starts_with(text, "unix://")) {
    std::string_view path = text.substr(7);
    h.is_unix = true;
    h.socket_path = path.empty() ? kDefaultSocket : std::string(path);
    h.url = "unix://" + h.socket_path;
  } else if (starts_with(text, "tcp://")) {
    h.is_unix = false;
    h.address = tcp_address(text.substr(6), tls, why);
    if (h.address.empty()) {
      error = fmt::format("docker host `{}`: {}", text, why);
      return std::nullopt;
    }
    h.url = "tcp://" + h.address;
    h.tls = tls;
  } else if (starts_with(text, "ssh://")) {
    error = fmt::format(
        "docker host `{}`: ssh:// hosts are not supported; forward the remote socket "
        "(ssh -L /tmp/docker.sock:/var/run/docker.sock HOST) and use unix:///tmp/docker.sock",
        text);
    return std::nullopt;
  } else {
    error = fmt::format("docker host `{}`: expected unix:///PATH or tcp://HOST:PORT", text);
    return std::nullopt;
  }
  h.label = h.url;
  return h;
}

std::string docker_config_dir(const Getenv& env) {
  const char* dir = env("DOCKER_CONFIG");
  if (dir != nullptr && *dir != '\0') return dir;
  const char* home = env("HOME");
  return std::string(home != nullptr ? home : "") + "/.docker";
}

std::optional<EngineHost> host_from_environment(std::string_view url, const Getenv& env,
                                                std::string& error) {
  auto set = [&](const char* name) {
    const char* v = env(name);
    return v != nullptr && *v != '\0';
  };
  std::string given(url);
  if (given.empty()) {
    const char* h = env("DOCKER_HOST");
    given = h != nullptr && *h != '\0' ? h : std::string("unix://") + kDefaultSocket;
  }
  bool verify = set("DOCKER_TLS_VERIFY");
  bool tls = verify || set("DOCKER_TLS");
  auto host = parse_host_url(given, tls, error);
  if (!host || host->is_unix || !tls) return host;
  std::string certs = set("DOCKER_CERT_PATH") ? env("DOCKER_CERT_PATH") : docker_config_dir(env);
  host->tls_verify = verify;
  host->ca_file = certs + "/ca.pem";
  if (is_file(certs + "/cert.pem")) host->cert_file = certs + "/cert.pem";
  if (is_file(certs + "/key.pem")) host->key_file = certs + "/key.pem";
  return host;
}

std::optional<EngineHost> context_host(const std::string& name, const std::string& config_dir,
                                       const Getenv& env, std::string& error) {
  if (name == "default") {
    auto host = host_from_environment("", env, error);
    if (host) host->label = "default";
    return host;
  }
  std::string id = sha256_hex(name);
  std::string meta = config_dir + "/contexts/meta/" + id + "/meta.json";
  std::error_code ec;
  if (!fs::is_regular_file(meta, ec)) {
    error = fmt::format("docker context `{}` not found (no {})", name, meta);
    return std::nullopt;
  }
  if (fs::file_size(meta, ec) > kMaxMetaBytes) {
    error =
        fmt::format("docker context `{}`: {} is larger than {} bytes", name, meta, kMaxMetaBytes);
    return std::nullopt;
  }
  std::ifstream in(meta, std::ios::binary);
  nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  const nlohmann::json* endpoint = nullptr;
  if (doc.is_object() && doc.contains("Endpoints") && doc["Endpoints"].is_object() &&
      doc["Endpoints"].contains("docker") && doc["Endpoints"]["docker"].is_object()) {
    endpoint = &doc["Endpoints"]["docker"];
  }
  if (endpoint == nullptr || !endpoint->contains("Host") || !(*endpoint)["Host"].is_string()) {
    error = fmt::format("docker context `{}`: {} has no docker endpoint (Endpoints.docker.Host)",
                        name, meta);
    return std::nullopt;
  }
  bool skip_verify = endpoint->contains("SkipTLSVerify") &&
                     (*endpoint)["SkipTLSVerify"].is_boolean() &&
                     (*endpoint)["SkipTLSVerify"].get<bool>();
  std::string tls_dir = config_dir + "/contexts/tls/" + id + "/docker";
  bool has_tls = is_file(tls_dir + "/ca.pem") || is_file(tls_dir + "/cert.pem");
  std::string why;
  auto host = parse_host_url((*endpoint)["Host"].get<std::string>(), has_tls || skip_verify, why);
  if (!host) {
    error = fmt::format("docker context `{}`: {}", name, why);
    return std::nullopt;
  }
  host->label = name;
  if (!host->is_unix && host->tls) {
    host->tls_verify = !skip_verify;
    if (is_file(tls_dir + "/ca.pem")) host->ca_file = tls_dir + "/ca.pem";
    if (is_file(tls_dir + "/cert.pem")) host->cert_file = tls_dir + "/cert.pem";
    if (is_file(tls_dir + "/key.pem")) host->key_file = tls_dir + "/key.pem";
  }
  return host;
}

}  // namespace capguard::engine
