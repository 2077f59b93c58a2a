// cli/authz/server: the plugin protocol over a unix socket, its bounds and its concurrency.

#include <httplib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "cli/authz/server.hpp"

using namespace capguard::cli::authz;

namespace {

struct Running {
  std::string socket;
  std::atomic<int> calls{0};
  std::atomic<int> refused_for_size{0};
  std::unique_ptr<AuthzServer> server;
  std::thread thread;

  explicit Running(size_t max_bytes = 1024) {
    socket = "/tmp/capguard-server-test-" + std::to_string(getpid()) + ".sock";
    ServerOptions o;
    o.socket_path = socket;
    o.threads = 4;
    o.max_request_bytes = max_bytes;
    o.timeout_seconds = 2;
    server = std::make_unique<AuthzServer>(o, [this](std::string_view body, bool too_large) {
      ++calls;
      if (too_large) {
        ++refused_for_size;
        return std::string(R"({"Allow":false,"Msg":"too large"})");
      }
      return std::string(R"({"Allow":true,"Msg":")") + std::to_string(body.size()) + "\"}";
    });
    std::string error;
    INFO(error);
    REQUIRE(server->bind(error));
    thread = std::thread([this] { server->serve(); });
  }
  ~Running() {
    server->stop();
    thread.join();
  }
  httplib::Client client() const {
    httplib::Client c(socket);
    c.set_address_family(AF_UNIX);
    c.set_read_timeout(30, 0);  // the machine may be loaded
    return c;
  }
};

}  // namespace

TEST_CASE("authz server: activation, requests, responses") {
  Running r;
  httplib::Client c = r.client();
  auto activate = c.Post("/Plugin.Activate", "null\n", "application/json");
  REQUIRE(activate);
  CHECK(activate->status == 200);
  CHECK(activate->body == R"({"Implements":["authz"]})");

  auto req = c.Post("/AuthZPlugin.AuthZReq", "{\"a\":1}", "application/json");
  REQUIRE(req);
  CHECK(req->body == R"({"Allow":true,"Msg":"7"})");

  // A response body far over the request bound is read and discarded, and always allowed.
  auto res = c.Post("/AuthZPlugin.AuthZRes", std::string(1 << 20, 'x'), "application/json");
  REQUIRE(res);
  CHECK(res->body == R"({"Allow":true})");
  CHECK(r.calls == 1);

  auto other = c.Post("/Something.Else", "{}", "application/json");
  REQUIRE(other);
  CHECK(other->status == 404);
}

TEST_CASE("authz server: a request over the bound is refused unread") {
  Running r(1024);
  httplib::Client c = r.client();
  auto big = c.Post("/AuthZPlugin.AuthZReq", std::string(4096, 'x'), "application/json");
  if (big) CHECK(big->body == R"({"Allow":false,"Msg":"too large"})");
  CHECK(r.refused_for_size == 1);
}

TEST_CASE("authz server: concurrent requests are all answered") {
  // Twice as many clients as threads: connections wait their turn, none is dropped. Half the
  // clients keep their connection alive, as dockerd's plugin client does.
  Running r;
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&r, &ok, t] {
      httplib::Client c = r.client();
      c.set_keep_alive(t % 2 == 0);
      for (int i = 0; i < 25; ++i) {
        std::string body(static_cast<size_t>(t * 10 + i), 'y');
        auto res = c.Post("/AuthZPlugin.AuthZReq", body, "application/json");
        if (res && res->body == R"({"Allow":true,"Msg":")" + std::to_string(body.size()) + "\"}") {
          ++ok;
        }
      }
    });
  }
  for (std::thread& t : clients) t.join();
  CHECK(ok == 200);
  CHECK(r.calls == 200);
}

TEST_CASE("authz server: the socket is private, a stale one replaced, a file refused") {
  std::string path = "/tmp/capguard-server-test-stale-" + std::to_string(getpid()) + ".sock";
  {
    ServerOptions o;
    o.socket_path = path;
    AuthzServer first(o, [](std::string_view, bool) { return std::string(); });
    std::string error;
    REQUIRE(first.bind(error));
    struct stat st {};
    REQUIRE(stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    // Not stopped: the socket file stays behind, as after a crash.
  }
  ServerOptions o;
  o.socket_path = path;
  AuthzServer second(o, [](std::string_view, bool) { return std::string(); });
  std::string error;
  CHECK(second.bind(error));
  second.stop();

  std::string file = path + ".file";
  FILE* f = fopen(file.c_str(), "w");
  REQUIRE(f);
  fclose(f);
  o.socket_path = file;
  AuthzServer third(o, [](std::string_view, bool) { return std::string(); });
  CHECK_FALSE(third.bind(error));
  CHECK(error.find("not a socket") != std::string::npos);
  unlink(file.c_str());
}
