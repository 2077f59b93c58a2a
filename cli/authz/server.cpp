#include "cli/authz/server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "cli/authz/http.hpp"

namespace capguard::cli::authz {

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kPluginType = "application/vnd.docker.plugins.v1.2+json";
constexpr size_t kReadChunk = 64 << 10;
// A body of a request for an unknown path or method is read and discarded (keeping the
// connection) up to this size; a larger one closes the connection unread.
constexpr uint64_t kMaxDiscardedBytes = 64 << 10;
constexpr int kMaxRequestsPerConnection = 1000;

enum class Route { Activate, Request, Response, Unknown };

Route route_of(const std::string& path) {
  if (path == "/Plugin.Activate") return Route::Activate;
  if (path == "/AuthZPlugin.AuthZReq") return Route::Request;
  if (path == "/AuthZPlugin.AuthZRes") return Route::Response;
  return Route::Unknown;
}

// One accepted connection: bytes read and not yet consumed, reads and writes bounded in time,
// and the server's stop pipe watched by every wait.
class Connection {
 public:
  Connection(int fd, int wake_fd) : fd_(fd), wake_fd_(wake_fd) {}
  ~Connection() { ::close(fd_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  std::string buffer;  // read, not yet consumed

  // Appends what arrives before `deadline` to `buffer`. False on end of stream, error, timeout
  // or the server stopping.
  bool fill(Clock::time_point deadline) {
    if (!wait(POLLIN, deadline)) return false;
    char chunk[kReadChunk];
    ssize_t n;
    do {
      n = ::recv(fd_, chunk, sizeof chunk, MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
    return true;
  }

  // Writes all of `data`, each part within `timeout` of the previous one.
  bool write_all(std::string_view data, std::chrono::seconds timeout) {
    while (!data.empty()) {
      if (!wait(POLLOUT, Clock::now() + timeout)) return false;
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
        return false;
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

 private:
  bool wait(short events, Clock::time_point deadline) {
    while (true) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return false;
      pollfd fds[2] = {{fd_, events, 0}, {wake_fd_, POLLIN, 0}};
      int r = ::poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 1 << 30)));
      if (r < 0) {
        if (errno == EINTR) continue;
        return false;
      }
      if (r == 0) return false;
      if (fds[1].revents != 0) return false;  // stopping
      if (fds[0].revents & (events | POLLHUP | POLLERR)) return true;
    }
  }

  int fd_;
  int wake_fd_;
};

enum class BodyEnd { Complete, Stopped, Malformed, Lost };

}  // namespace

struct AuthzServer::Impl {
  ServerOptions options;
  Handler handler;
  http::Limits limits;
  bool bound = false;
  int listen_fd = -1;
  int wake[2] = {-1, -1};  // stop() writes to wake[1]; every wait watches wake[0]
  std::atomic<bool> stopping{false};

  std::mutex mutex;
  std::condition_variable work;   // a connection was queued, or stopping
  std::condition_variable space;  // the queue has room, or stopping
  std::deque<int> queue;          // accepted connections waiting for a thread

  std::chrono::seconds timeout() const {
    return std::chrono::seconds(options.timeout_seconds > 0 ? options.timeout_seconds : 1);
  }
  void worker();
  void serve_connection(int fd);
  BodyEnd read_body(Connection& c, const http::RequestHead& head, Clock::time_point deadline,
                    const std::function<bool(std::string_view)>& sink, std::string& why);
};

// Reads the body `head` announces, passing its bytes to `sink` (which returns false to stop
// reading: Stopped). With a deadline (not Clock::time_point::max()), the whole body must have
// arrived by then; each read must anyway come within the timeout of the previous one.
BodyEnd AuthzServer::Impl::read_body(Connection& c, const http::RequestHead& head,
                                     Clock::time_point deadline,
                                     const std::function<bool(std::string_view)>& sink,
                                     std::string& why) {
  auto next_deadline = [&] { return std::min(deadline, Clock::now() + timeout()); };
  if (head.chunked) {
    http::ChunkedDecoder decoder(limits);
    bool stopped = false;
    auto pass = [&](std::string_view data) {
      if (!sink(data)) stopped = true;
      return !stopped;
    };
    while (true) {
      size_t used = decoder.feed(c.buffer, pass);
      c.buffer.erase(0, used);
      if (stopped) return BodyEnd::Stopped;
      if (decoder.failed()) {
        why = decoder.why();
        return BodyEnd::Malformed;
      }
      if (decoder.done()) return BodyEnd::Complete;
      if (!c.fill(next_deadline())) return BodyEnd::Lost;
    }
  }
  uint64_t remaining = head.has_length ? head.content_length : 0;
  while (true) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(remaining, c.buffer.size()));
    if (n > 0) {
      bool more = sink(std::string_view(c.buffer).substr(0, n));
      c.buffer.erase(0, n);
      remaining -= n;
      if (!more) return BodyEnd::Stopped;
    }
    if (remaining == 0) return BodyEnd::Complete;
    if (!c.fill(next_deadline())) return BodyEnd::Lost;
  }
}

void AuthzServer::Impl::serve_connection(int fd) {
  Connection c(fd, wake[0]);
  auto write_timeout = timeout();
  for (int served = 0; served < kMaxRequestsPerConnection && !stopping.load(); ++served) {
    // The head: a connection's first request within the timeout, a later one within the
    // keep-alive time (idle connections are closed); once its first byte has come, the whole
    // head must arrive within the timeout (a client sending a byte at a time holds no thread).
    Clock::time_point start = Clock::now();
    Clock::time_point deadline =
        start + (served == 0 || !c.buffer.empty()
                     ? timeout()
                     : std::chrono::seconds(std::max(options.keep_alive_seconds, 1)));
    bool started = !c.buffer.empty();
    http::RequestHead head;
    http::HeadResult parsed;
    while (true) {
      parsed = http::parse_head(c.buffer, limits, head);
      if (parsed.status != http::HeadStatus::Incomplete) break;
      if (!c.fill(deadline)) return;
      if (!started) {
        started = true;
        start = Clock::now();
        deadline = start + timeout();
      }
    }
    if (parsed.status == http::HeadStatus::Error) {
      std::string text = std::string(http::reason_phrase(parsed.error_status)) + ": " + parsed.why;
      c.write_all(http::response(parsed.error_status, "text/plain", text + "\n", true),
                  write_timeout);
      return;
    }
    c.buffer.erase(0, parsed.consumed);
    // A bounded body (every route but AuthZRes) must have arrived whole within the timeout of
    // the request's first byte.
    Clock::time_point body_deadline = start + timeout();
    Route route = route_of(head.path);
    bool post = head.method == "POST";
    auto answer = [&](int status, std::string_view type, std::string_view body, bool close,
                      std::string_view extra = {}) {
      bool keep = !close && head.keep_alive && served + 1 < kMaxRequestsPerConnection;
      return c.write_all(http::response(status, type, body, !keep, head.minor_version, extra),
                         write_timeout) &&
             keep;
    };
    auto continue_if_expected = [&] {
      return !head.expect_continue || c.write_all("HTTP/1.1 100 Continue\r\n\r\n", write_timeout);
    };

    if (route == Route::Unknown || !post) {
      int status = route == Route::Unknown ? 404 : 405;
      std::string text = std::string(http::reason_phrase(status)) + "\n";
      std::string_view allow = status == 405 ? "Allow: POST\r\n" : "";
      // A small body is read and discarded so that the connection stays usable; a large one
      // (or a chunked one) is left unread and the connection closed.
      bool small = !head.chunked && !head.expect_continue &&
                   (!head.has_length || head.content_length <= kMaxDiscardedBytes);
      if (!small) {
        answer(status, "text/plain", text, true, allow);
        return;
      }
      std::string why;
      if (read_body(
              c, head, body_deadline, [](std::string_view) { return true; }, why) !=
          BodyEnd::Complete) {
        return;
      }
      if (!answer(status, "text/plain", text, false, allow)) return;
      continue;
    }

    if (route == Route::Response) {
      // Response bodies can be large (`docker inspect` of many containers): discarded as they
      // arrive, each read within the timeout of the previous one.
      if (!continue_if_expected()) return;
      std::string why;
      BodyEnd end = read_body(
          c, head, Clock::time_point::max(), [](std::string_view) { return true; }, why);
      if (end == BodyEnd::Malformed) {
        answer(400, "text/plain", "Bad Request: " + why + "\n", true);
        return;
      }
      if (end != BodyEnd::Complete) return;
      if (!answer(200, kPluginType, R"({"Allow":true})", false)) return;
      continue;
    }

    // Plugin.Activate and AuthZReq: the body is bounded by max_request_bytes; over it, refused
    // unread (and the connection closed, since the rest of the body is not read).
    size_t max = options.max_request_bytes;
    std::string body;
    bool too_large = head.has_length && head.content_length > max;
    if (!too_large) {
      if (!continue_if_expected()) return;
      std::string why;
      BodyEnd end = read_body(
          c, head, body_deadline,
          [&](std::string_view data) {
            if (body.size() + data.size() > max) {
              too_large = true;
              return false;
            }
            body.append(data);
            return true;
          },
          why);
      if (end == BodyEnd::Malformed) {
        answer(400, "text/plain", "Bad Request: " + why + "\n", true);
        return;
      }
      if (end == BodyEnd::Lost) return;
    }
    if (too_large) body.clear();
    if (route == Route::Activate) {
      if (!answer(200, kPluginType, R"({"Implements":["authz"]})", too_large)) return;
      continue;
    }
    std::string decision;
    try {
      decision = handler(body, too_large);
    } catch (const std::exception& e) {
      answer(500, "text/plain", std::string("Internal Server Error: ") + e.what() + "\n", true);
      return;
    } catch (...) {
      answer(500, "text/plain", "Internal Server Error\n", true);
      return;
    }
    if (!answer(200, kPluginType, decision, too_large)) return;
  }
}

void AuthzServer::Impl::worker() {
  while (true) {
    int fd;
    {
      std::unique_lock<std::mutex> lock(mutex);
      work.wait(lock, [&] { return stopping.load() || !queue.empty(); });
      if (stopping.load()) return;
      fd = queue.front();
      queue.pop_front();
    }
    space.notify_one();
    serve_connection(fd);
  }
}

AuthzServer::AuthzServer(ServerOptions options, Handler handler) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->handler = std::move(handler);
}

AuthzServer::~AuthzServer() {
  if (impl_->listen_fd >= 0) ::close(impl_->listen_fd);
  for (int fd : impl_->wake) {
    if (fd >= 0) ::close(fd);
  }
  for (int fd : impl_->queue) ::close(fd);
}

bool AuthzServer::bind(std::string& error) {
  const std::string& path = impl_->options.socket_path;
  std::error_code ec;
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  struct stat st {};
  if (lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      error = path + " exists and is not a socket";
      return false;
    }
    unlink(path.c_str());
  }
  sockaddr_un address{};
  if (path.size() >= sizeof(address.sun_path)) {
    error = path + ": a unix socket path must be shorter than 108 bytes";
    return false;
  }
  if (impl_->wake[0] < 0 && ::pipe2(impl_->wake, O_CLOEXEC) != 0) {
    error = std::string("cannot create a pipe: ") + std::strerror(errno);
    return false;
  }
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    error = "cannot listen on " + path + ": " + std::strerror(errno);
    return false;
  }
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.data(), path.size());
  mode_t old = umask(0177);  // the socket is created 0600
  int bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  int bind_errno = errno;
  umask(old);
  // The system's maximum backlog: a burst of connections beyond a small backlog would fail at
  // once on a unix socket (EAGAIN), and dockerd would refuse those requests.
  if (bound != 0 || ::listen(fd, SOMAXCONN) != 0) {
    error = "cannot listen on " + path + ": " + std::strerror(bound != 0 ? bind_errno : errno);
    ::close(fd);
    return false;
  }
  impl_->listen_fd = fd;
  impl_->bound = true;
  return true;
}

bool AuthzServer::serve() {
  Impl& s = *impl_;
  if (!s.bound) return false;
  int threads = s.options.threads > 0 ? s.options.threads : 1;
  // Accepted connections wait here for a thread; beyond this many, in the listen backlog.
  size_t max_queued = static_cast<size_t>(threads) * 16;
  std::vector<std::thread> workers;
  for (int i = 0; i < threads; ++i) workers.emplace_back([&s] { s.worker(); });
  bool failed = false;
  while (!s.stopping.load()) {
    pollfd fds[2] = {{s.listen_fd, POLLIN, 0}, {s.wake[0], POLLIN, 0}};
    int r = ::poll(fds, 2, -1);
    if (r < 0) {
      if (errno == EINTR) continue;
      failed = true;
      break;
    }
    if (fds[1].revents != 0) break;
    int fd = ::accept4(s.listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED) {
        continue;
      }
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // until a connection ends
        continue;
      }
      failed = true;
      break;
    }
    {
      std::unique_lock<std::mutex> lock(s.mutex);
      s.space.wait(lock, [&] { return s.stopping.load() || s.queue.size() < max_queued; });
      if (s.stopping.load()) {
        ::close(fd);
        break;
      }
      s.queue.push_back(fd);
    }
    s.work.notify_one();
  }
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    s.stopping = true;
  }
  s.work.notify_all();
  s.space.notify_all();
  for (std::thread& t : workers) t.join();
  std::lock_guard<std::mutex> lock(s.mutex);
  for (int fd : s.queue) ::close(fd);
  s.queue.clear();
  return !failed;
}

void AuthzServer::stop() {
  Impl& s = *impl_;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    s.stopping = true;
  }
  if (s.wake[1] >= 0) {
    ssize_t ignored = ::write(s.wake[1], "x", 1);
    (void)ignored;
  }
  s.work.notify_all();
  s.space.notify_all();
  if (s.bound) unlink(s.options.socket_path.c_str());
}

}  // namespace capguard::cli::authz
