#pragma once
// The HTTP side of the plugin protocol: our own HTTP/1.1 server over a unix socket (requests
// parsed by http.hpp). POST /Plugin.Activate answers {"Implements":["authz"]};
// POST /AuthZPlugin.AuthZReq hands the body to the decision handler; POST /AuthZPlugin.AuthZRes
// always allows (capguard judges requests, not responses) and discards the response body as it
// arrives, however large. Another path: 404; another method: 405 (Allow: POST). A malformed head:
// 400, too large (16 KiB) or too many fields (100): 431, a transfer coding other than chunked:
// 501, a version other than HTTP/1.0 and 1.1: 505; each closes the connection.
//
// Bounds: a request body (Content-Length or chunked) over `max_request_bytes` is refused unread
// (the handler is called with `too_large`, the connection closed; the daemon sends at most 1 MiB
// of API body, base64-encoded, plus headers). Reads and writes time out after `timeout_seconds`
// of silence; besides, a request's head, and its body except AuthZRes's, must arrive whole within
// `timeout_seconds` of its first byte (a client sending a byte at a time holds no thread).
// `threads` connections are served at once (a pool: more wait their turn, none is refused: the
// listen backlog is SOMAXCONN), and an idle keep-alive connection is closed after
// `keep_alive_seconds` so that it does not hold a thread that another connection waits for.
// HTTP/1.1 connections are kept alive unless the request says `Connection: close`; HTTP/1.0 ones
// only with `Connection: keep-alive`; at most 1000 requests a connection.
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
