#pragma once
// A client of one Docker engine over libcurl, loaded on first use (curl_library.hpp): HTTP over
// the unix socket with CURLOPT_UNIX_SOCKET_PATH, or TCP, with TLS as the host says. Every request
// is bounded: a connect timeout, a total timeout, and a maximum response size; the event stream has
// no total timeout but stops when asked (checked at least once a second).
//
// Failures are values (EngineError), never exceptions: the caller reports them and goes on with
// the other engines and containers.

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "runtime/engine/api.hpp"
#include "runtime/engine/host.hpp"

namespace capguard::engine {

struct CurlLibrary;

enum class ErrorKind {
  Unreachable,       // nothing listens there, or the connection broke
  PermissionDenied,  // the socket exists but this user may not connect to it
  Timeout,
  TooLarge,    // the response passed its bound
  Tls,         // certificate or handshake failure
  Protocol,    // not an answer the API documents
  ApiTooOld,   // older than kMinApiVersion
  NotFound,    // 404: no such container (it may have disappeared)
  Http,        // another HTTP error status, with the daemon's message
  Interrupted  // stopped on request (SIGINT/SIGTERM)
};

struct EngineError {
  ErrorKind kind = ErrorKind::Protocol;
  std::string message;  // one sentence, naming the host
};

struct ClientLimits {
  long connect_timeout_ms = 5000;
  long request_timeout_ms = 30000;
  size_t max_small_bytes = 64 << 10;   // /_ping, /version, error bodies
  size_t max_list_bytes = 32 << 20;    // /containers/json
  size_t max_inspect_bytes = 8 << 20;  // one container's inspect
  size_t max_event_line_bytes = 1 << 20;
};

class EngineClient {
 public:
  explicit EngineClient(EngineHost host, ClientLimits limits = {});

  const EngineHost& host() const { return host_; }

  // GET /_ping, then GET /version; settles the API version (negotiate(), DOCKER_API_VERSION
  // pinned through `pinned`). Must succeed before the calls below.
  std::optional<EngineError> connect(std::optional<ApiVersion> pinned = std::nullopt);
  const ServerVersion& server() const { return server_; }
  ApiVersion api_version() const { return api_; }

  // GET /containers/json with `selection`.
  std::optional<EngineError> list(const Selection& selection, std::vector<ContainerSummary>& out);

  // GET /containers/{id_or_name}/json: the body as the daemon sent it. NotFound when no such
  // container exists (any more).
  std::optional<EngineError> inspect(const std::string& id_or_name, std::string& body);

  // GET /events for container create/start, calling `on_event` for each event as it arrives,
  // until `stop` becomes true (Interrupted), the stream ends (Unreachable: the daemon went away)
  // or `on_event` returns false (no error).
  // With `since_nano` (unix nanoseconds, > 0), the events from then on, inclusive (those the
  // daemon still holds, then the new ones: after a reconnection, none missed).
  std::optional<EngineError> events(const std::function<bool(const EngineEvent&)>& on_event,
                                    const std::atomic<bool>& stop, long long since_nano = 0);

 private:
  struct Response {
    long status = 0;
    std::string body;
    std::string headers;
  };
  // One GET of `path` (versioned when `versioned`), body bounded by `max_bytes`.
  std::optional<EngineError> get(const std::string& path, bool versioned, size_t max_bytes,
                                 Response& out);
  std::string url(const std::string& path, bool versioned) const;

  EngineHost host_;
  ClientLimits limits_;
  ServerVersion server_;
  ApiVersion api_ = kMinApiVersion;
  // libcurl (curl_library.hpp), loaded by the first client; nullptr with curl_error_ when it
  // cannot be: every request then fails with curl_missing_message().
  std::string curl_error_;
  const CurlLibrary* curl_ = nullptr;
};

// The message of an error as reports show it: "docker host LABEL: MESSAGE".
std::string describe(const EngineHost& host, const EngineError& error);

}  // namespace capguard::engine
