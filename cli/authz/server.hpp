#pragma once
// The HTTP side of the plugin protocol, over a unix socket, with cpp-httplib (Debian's
// libcpp-httplib-dev): POST /Plugin.Activate answers {"Implements":["authz"]};
// POST /AuthZPlugin.AuthZReq hands the body to the decision handler; POST /AuthZPlugin.AuthZRes
// always allows (capguard judges requests, not responses) and discards the response body unread.
//
// Bounds: a request body over `max_request_bytes` is refused unread (the daemon sends at most
// 1 MiB of API body, base64-encoded, plus headers); reads and writes time out after
// `timeout_seconds`; `threads` connections are served at once (a pool: more wait their turn), and
// an idle keep-alive connection is closed after `keep_alive_seconds` so that it does not hold a
// thread that another connection waits for.
// The socket is created with mode 0600 (dockerd runs as root); a stale socket file is replaced.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace capguard::cli::authz {

struct ServerOptions {
  std::string socket_path;
  int threads = 16;
  size_t max_request_bytes = size_t{8} << 20;
  int timeout_seconds = 10;
  int keep_alive_seconds = 2;
};

class AuthzServer {
 public:
  // Returns the response JSON for one AuthZReq body; `too_large` is true when the body was
  // refused for its size (then `body` is empty).
  using Handler = std::function<std::string(std::string_view body, bool too_large)>;

  AuthzServer(ServerOptions options, Handler handler);
  ~AuthzServer();

  // Binds the socket; false with `error` set when it cannot.
  bool bind(std::string& error);
  // Serves until stop(); returns false when the server failed.
  bool serve();
  // Stops serve() (from another thread) and removes the socket file.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace capguard::cli::authz
