#pragma once
// A small HTTP/1.1 client over a unix socket, for the authorization server's tests and benchmark
// (cli/authz/server.hpp): it sends requests as given (or raw bytes, for hostile input) and reads
// responses framed by Content-Length, as dockerd's plugin client does. Header-only; blocking, with
// a receive timeout.

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace capguard::testing {

struct HttpResponse {
  int status = 0;
  std::string head;  // status line and header fields
  std::string body;
  // The value of header `name` (exact case as the server writes it), empty when absent.
  std::string header(const std::string& name) const {
    size_t at = head.find("\r\n" + name + ": ");
    if (at == std::string::npos) return "";
    at += name.size() + 4;
    return head.substr(at, head.find("\r\n", at) - at);
  }
};

class UnixHttpClient {
 public:
  explicit UnixHttpClient(std::string socket_path, int timeout_ms = 30000)
      : path_(std::move(socket_path)), timeout_ms_(timeout_ms) {}
  ~UnixHttpClient() { close(); }
  UnixHttpClient(const UnixHttpClient&) = delete;
  UnixHttpClient& operator=(const UnixHttpClient&) = delete;

  bool connect() {
    close();
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, path_.c_str(), sizeof a.sun_path - 1);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      close();
      return false;
    }
    return true;
  }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    buffer_.clear();
  }
  bool connected() const { return fd_ >= 0; }

  // Sends `raw` as it is, connecting first when not connected.
  bool send_raw(std::string_view raw) {
    if (fd_ < 0 && !connect()) return false;
    while (!raw.empty()) {
      ssize_t n = ::send(fd_, raw.data(), raw.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      raw.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads one response; nullopt when the connection ends or times out first. The connection
  // stays open (closed_by_server() tells whether the server closes it).
  std::optional<HttpResponse> read_response() {
    HttpResponse r;
    size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return std::nullopt;
    }
    r.head = buffer_.substr(0, end + 2);
    buffer_.erase(0, end + 4);
    if (r.head.size() < 12 || r.head.compare(0, 9, "HTTP/1.1 ") != 0) return std::nullopt;
    r.status = std::stoi(r.head.substr(9, 3));
    std::string length = r.header("Content-Length");
    size_t n = length.empty() ? 0 : std::stoul(length);
    while (buffer_.size() < n) {
      if (!fill()) return std::nullopt;
    }
    r.body = buffer_.substr(0, n);
    buffer_.erase(0, n);
    return r;
  }

  // POST `body` to `path` with Content-Length; a kept-alive connection that the server has
  // closed meanwhile is opened again once, as HTTP clients do.
  std::optional<HttpResponse> post(const std::string& path, std::string_view body,
                                   bool keep_alive = true) {
    std::string request =
        "POST " + path + " HTTP/1.1\r\nHost: plugin\r\n" +
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n" + (keep_alive ? "" : "Connection: close\r\n") + "\r\n";
    request += body;
    bool reused = connected();
    std::optional<HttpResponse> r;
    if (send_raw(request)) r = read_response();
    if (!r && reused) {
      close();
      if (send_raw(request)) r = read_response();
    }
    if (!keep_alive || (r && r->header("Connection") == "close")) close();
    return r;
  }

  // Whether the server closes the connection (end of stream) within the timeout, reading and
  // dropping anything it sends first.
  bool closed_by_server() {
    while (fill()) buffer_.clear();
    return eof_;
  }

 private:
  bool fill() {
    eof_ = false;
    pollfd p{fd_, POLLIN, 0};
    if (fd_ < 0 || ::poll(&p, 1, timeout_ms_) <= 0) return false;
    char chunk[65536];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      eof_ = true;
      return false;
    }
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  std::string path_;
  int timeout_ms_;
  int fd_ = -1;
  std::string buffer_;
  bool eof_ = false;
};

}  // namespace capguard::testing
