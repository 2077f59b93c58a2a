#include "cli/authz/server.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <httplib.h>

namespace capguard::cli::authz {

namespace {

constexpr const char* kPluginType = "application/vnd.docker.plugins.v1.2+json";

}  // namespace

struct AuthzServer::Impl {
  ServerOptions options;
  Handler handler;
  httplib::Server server;
  bool bound = false;
  int listen_fd = -1;
};

AuthzServer::AuthzServer(ServerOptions options, Handler handler) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->handler = std::move(handler);
  httplib::Server& s = impl_->server;
  const ServerOptions& o = impl_->options;
  s.set_address_family(AF_UNIX);
  int threads = o.threads > 0 ? o.threads : 1;
  s.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  s.set_read_timeout(o.timeout_seconds, 0);
  s.set_write_timeout(o.timeout_seconds, 0);
  s.set_keep_alive_timeout(o.keep_alive_seconds);
  s.set_keep_alive_max_count(1000);
  // Response bodies of AuthZRes can be large (`docker inspect` of many containers): they are
  // discarded as they arrive; AuthZReq bodies are bounded by max_request_bytes below.
  s.set_payload_max_length(size_t{1} << 30);
  // cpp-httplib listens with a backlog of 5: a burst of connections beyond it fails at once on a
  // unix socket (EAGAIN), and dockerd would refuse those requests. The socket is kept to raise it.
  int* fd = &impl_->listen_fd;
  s.set_socket_options([fd](int sock) { *fd = sock; });

  s.Post("/Plugin.Activate", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"Implements":["authz"]})", kPluginType);
  });
  Handler* handle = &impl_->handler;
  size_t max = o.max_request_bytes;
  s.Post("/AuthZPlugin.AuthZReq", [handle, max](const httplib::Request&, httplib::Response& res,
                                                const httplib::ContentReader& reader) {
    std::string body;
    bool too_large = false;
    reader([&](const char* data, size_t length) {
      if (body.size() + length > max) {
        too_large = true;
        return false;
      }
      body.append(data, length);
      return true;
    });
    if (too_large) body.clear();
    res.set_content((*handle)(body, too_large), kPluginType);
  });
  s.Post("/AuthZPlugin.AuthZRes",
         [](const httplib::Request&, httplib::Response& res, const httplib::ContentReader& reader) {
           reader([](const char*, size_t) { return true; });
           res.set_content(R"({"Allow":true})", kPluginType);
         });
}

AuthzServer::~AuthzServer() = default;

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
  if (path.size() >= sizeof(sockaddr_un{}.sun_path)) {
    error = path + ": a unix socket path must be shorter than 108 bytes";
    return false;
  }
  mode_t old = umask(0177);  // the socket is created 0600
  bool ok = impl_->server.bind_to_port(path.c_str(), 80);
  umask(old);
  if (!ok) {
    error = "cannot listen on " + path + ": " + std::strerror(errno);
    return false;
  }
  if (impl_->listen_fd >= 0) ::listen(impl_->listen_fd, SOMAXCONN);
  impl_->bound = true;
  return true;
}

bool AuthzServer::serve() {
  return impl_->bound && impl_->server.listen_after_bind();
}

void AuthzServer::stop() {
  impl_->server.stop();
  if (impl_->bound) unlink(impl_->options.socket_path.c_str());
}

}  // namespace capguard::cli::authz
