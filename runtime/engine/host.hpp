#pragma once
// Where a Docker engine listens, read as the docker CLI reads it: a DOCKER_HOST value
// (`unix:///path`, `tcp://HOST:PORT`), the TLS settings of the environment (DOCKER_TLS_VERIFY,
// DOCKER_TLS, DOCKER_CERT_PATH), or a context of the CLI's own store
// (DOCKER_CONFIG or ~/.docker, contexts/meta/<sha256 of the name>/meta.json, TLS material in
// contexts/tls/<sha256>/docker/). Nothing here connects; runtime/engine/client.hpp does.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/engine/sha256.hpp"  // sha256_hex: the folder name of a context in the store

namespace capguard::engine {

inline constexpr const char* kDefaultSocket = "/var/run/docker.sock";

struct EngineHost {
  std::string url;    // normalized: unix:///var/run/docker.sock, tcp://127.0.0.1:2375
  std::string label;  // how reports name the engine: the context name, else `url`
  bool is_unix = true;
  std::string socket_path;                   // unix: the socket
  std::string address;                       // tcp: HOST:PORT ([v6]:PORT)
  bool tls = false;                          // tcp only
  bool tls_verify = false;                   // verify the daemon's certificate against `ca_file`
  std::string ca_file, cert_file, key_file;  // "" when not used
};

// Reads an environment variable; nullptr when unset. Tests pass their own.
using Getenv = std::function<const char*(const char*)>;
Getenv process_environment();

// Parses one host URL (no TLS applied). nullopt with `error` set when it is not one capguard can
// reach: `unix://` (the default socket when no path), `tcp://HOST[:PORT]` (port 2375, or 2376 with
// `tls`). ssh://, npipe:// and fd:// are refused with a message saying so.
std::optional<EngineHost> parse_host_url(std::string_view text, bool tls, std::string& error);

// The docker CLI's configuration folder: $DOCKER_CONFIG, else $HOME/.docker.
std::string docker_config_dir(const Getenv& env);

// A host given as DOCKER_HOST would be (`--docker-host URL`, or DOCKER_HOST itself when `url` is
// empty; unset, the default socket), with the environment's TLS settings as the docker CLI applies
// them: DOCKER_TLS_VERIFY non-empty means TLS with verification, DOCKER_TLS non-empty TLS
// without; the files ca.pem, cert.pem, key.pem of DOCKER_CERT_PATH (default: the config folder),
// the certificate and key only when they exist.
std::optional<EngineHost> host_from_environment(std::string_view url, const Getenv& env,
                                                std::string& error);

// A context by name from the CLI's store under `config_dir`. "default" is the environment's host
// (host_from_environment("")). The docker endpoint's Host, its SkipTLSVerify, and the TLS files
// stored with the context (TLS is used when the context has any). nullopt with `error` set when
// the context does not exist or its meta.json cannot be read.
std::optional<EngineHost> context_host(const std::string& name, const std::string& config_dir,
                                       const Getenv& env, std::string& error);

}  // namespace capguard::engine
