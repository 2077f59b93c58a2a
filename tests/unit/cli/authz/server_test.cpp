// cli/authz/server: the plugin protocol over a unix socket, its bounds and its concurrency.

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "cli/authz/server.hpp"
#include "tests/unit/support/unix_http.hpp"

using namespace capguard::cli::authz;
using capguard::testing::UnixHttpClient;

namespace {

struct Running {
  std::string socket;
  std::atomic<int> calls{0};
  std::atomic<int> refused_for_size{0};
  std::unique_ptr<AuthzServer> server;
  std::thread thread;

  explicit Running(size_t max_bytes = 1024, int timeout_seconds = 2, int keep_alive_seconds = 2) {
    socket = "/tmp/capguard-server-test-" + std::to_string(getpid()) + ".sock";
    ServerOptions o;
    o.socket_path = socket;
    o.threads = 4;
    o.max_request_bytes = max_bytes;
    o.timeout_seconds = timeout_seconds;
    o.keep_alive_seconds = keep_alive_seconds;
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
  // Reads time out after 30 s: the machine may be loaded.
  std::unique_ptr<UnixHttpClient> client() const {
    return std::make_unique<UnixHttpClient>(socket, 30000);
  }
};

}  // namespace

TEST_CASE("authz server: activation, requests, responses") {
  Running r;
  auto c = r.client();
  auto activate = c->post("/Plugin.Activate", "null\n");
  REQUIRE(activate);
  CHECK(activate->status == 200);
  CHECK(activate->body == R"({"Implements":["authz"]})");

  auto req = c->post("/AuthZPlugin.AuthZReq", "{\"a\":1}");
  REQUIRE(req);
  CHECK(req->body == R"({"Allow":true,"Msg":"7"})");

  // A response body far over the request bound is read and discarded, and always allowed.
  auto res = c->post("/AuthZPlugin.AuthZRes", std::string(1 << 20, 'x'));
  REQUIRE(res);
  CHECK(res->body == R"({"Allow":true})");
  CHECK(r.calls == 1);

  auto other = c->post("/Something.Else", "{}");
  REQUIRE(other);
  CHECK(other->status == 404);
}

TEST_CASE("authz server: a request over the bound is refused unread") {
  Running r(1024);
  auto c = r.client();
  auto big = c->post("/AuthZPlugin.AuthZReq", std::string(4096, 'x'));
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
      auto c = r.client();
      for (int i = 0; i < 25; ++i) {
        std::string body(static_cast<size_t>(t * 10 + i), 'y');
        auto res = c->post("/AuthZPlugin.AuthZReq", body, t % 2 == 0);
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

namespace {

// Sends `raw` on a new connection and reads one response.
std::optional<capguard::testing::HttpResponse> send_and_read(UnixHttpClient& c,
                                                             const std::string& raw) {
  if (!c.send_raw(raw)) return std::nullopt;
  return c.read_response();
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("authz server: methods, versions and connection handling") {
  Running r;
  auto c = r.client();
  SECTION("a method other than POST is refused with 405, the connection kept") {
    auto res = send_and_read(*c, "GET /Plugin.Activate HTTP/1.1\r\nHost: p\r\n\r\n");
    REQUIRE(res);
    CHECK(res->status == 405);
    CHECK(res->header("Allow") == "POST");
    auto again = c->post("/Plugin.Activate", "");
    REQUIRE(again);
    CHECK(again->status == 200);
  }
  SECTION("two requests sent at once are answered in order on one connection") {
    std::string one = "POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc";
    std::string two = "POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nContent-Length: 5\r\n\r\nabcde";
    REQUIRE(c->send_raw(one + two));
    auto first = c->read_response();
    auto second = c->read_response();
    REQUIRE(first);
    REQUIRE(second);
    CHECK(first->body == R"({"Allow":true,"Msg":"3"})");
    CHECK(second->body == R"({"Allow":true,"Msg":"5"})");
    CHECK(first->header("Connection").empty());
  }
  SECTION("Connection: close closes the connection after the answer") {
    auto res = send_and_read(*c,
                             "POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nConnection: close\r\n"
                             "Content-Length: 2\r\n\r\n{}");
    REQUIRE(res);
    CHECK(res->header("Connection") == "close");
    CHECK(res->body == R"({"Allow":true,"Msg":"2"})");
  }
  SECTION("HTTP/1.0 closes unless asked to keep the connection") {
    auto res =
        send_and_read(*c, "POST /AuthZPlugin.AuthZReq HTTP/1.0\r\nContent-Length: 1\r\n\r\nx");
    REQUIRE(res);
    CHECK(res->header("Connection") == "close");
    CHECK(c->closed_by_server());
    UnixHttpClient d(r.socket, 30000);
    auto kept = send_and_read(d,
                              "POST /AuthZPlugin.AuthZReq HTTP/1.0\r\nConnection: keep-alive\r\n"
                              "Content-Length: 1\r\n\r\nx");
    REQUIRE(kept);
    CHECK(kept->header("Connection") == "keep-alive");
    auto again = send_and_read(d, "POST /Plugin.Activate HTTP/1.0\r\nContent-Length: 0\r\n\r\n");
    REQUIRE(again);
    CHECK(again->status == 200);
  }
  SECTION("an HTTP version other than 1.x is refused with 505") {
    auto res = send_and_read(*c, "POST /Plugin.Activate HTTP/2.0\r\n\r\n");
    REQUIRE(res);
    CHECK(res->status == 505);
    CHECK(c->closed_by_server());
  }
  SECTION("Expect: 100-continue is answered before the body is sent") {
    REQUIRE(
        c->send_raw("POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nExpect: 100-continue\r\n"
                    "Content-Length: 4\r\n\r\n"));
    // The interim answer comes before the body is sent; it has no Content-Length.
    auto interim = c->read_response();
    REQUIRE(interim);
    CHECK(interim->status == 100);
    REQUIRE(c->send_raw("abcd"));
    auto res = c->read_response();
    REQUIRE(res);
    CHECK(res->body == R"({"Allow":true,"Msg":"4"})");
  }
}

TEST_CASE("authz server: chunked request bodies") {
  Running r(1024);
  auto c = r.client();
  SECTION("decoded across chunks, extensions and trailers ignored") {
    auto res =
        send_and_read(*c,
                      "POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "5\r\nhello\r\nA;name=value\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n");
    REQUIRE(res);
    CHECK(res->body == R"({"Allow":true,"Msg":"15"})");
    auto again = c->post("/AuthZPlugin.AuthZReq", "xy");  // the connection is still usable
    REQUIRE(again);
    CHECK(again->body == R"({"Allow":true,"Msg":"2"})");
  }
  SECTION("over the bound: refused as too large, the connection closed") {
    std::string chunk(600, 'z');
    auto res =
        send_and_read(*c,
                      "POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "258\r\n" +
                          chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n");
    REQUIRE(res);
    CHECK(res->body == R"({"Allow":false,"Msg":"too large"})");
    CHECK(r.refused_for_size == 1);
    CHECK(c->closed_by_server());
  }
  SECTION("a malformed chunk size is refused with 400, unread by the handler") {
    for (std::string size : {"zz", "-1", "1 2", "10000000000000000", ""}) {
      UnixHttpClient d(r.socket, 30000);
      auto res = send_and_read(
          d, "POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + size +
                 "\r\nabc\r\n0\r\n\r\n");
      INFO(size);
      REQUIRE(res);
      CHECK(res->status == 400);
      CHECK(d.closed_by_server());
    }
    CHECK(r.calls == 0);
  }
  SECTION("a transfer coding other than chunked: 501; with Content-Length too: 400") {
    auto gzip =
        send_and_read(*c, "POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n");
    REQUIRE(gzip);
    CHECK(gzip->status == 501);
    UnixHttpClient d(r.socket, 30000);
    auto both =
        send_and_read(d,
                      "POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
                      "Content-Length: 3\r\n\r\n0\r\n\r\n");
    REQUIRE(both);
    CHECK(both->status == 400);
    CHECK(r.calls == 0);
  }
}

TEST_CASE("authz server: hostile heads") {
  Running r;
  auto c = r.client();
  SECTION("a head over 16 KiB: 431 before it ends") {
    REQUIRE(
        c->send_raw("POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nX-Big: " + std::string(20 << 10, 'a')));
    auto res = c->read_response();
    REQUIRE(res);
    CHECK(res->status == 431);
    CHECK(c->closed_by_server());
  }
  SECTION("more than 100 header fields: 431") {
    std::string head = "POST /AuthZPlugin.AuthZReq HTTP/1.1\r\n";
    for (int i = 0; i < 101; ++i) head += "X-" + std::to_string(i) + ": 1\r\n";
    auto res = send_and_read(*c, head + "\r\n");
    REQUIRE(res);
    CHECK(res->status == 431);
  }
  SECTION("garbage: 400") {
    auto res = send_and_read(*c, "\x16\x03\x01\x02\x01\xfc\x03\x03\r\n\r\n");  // a TLS hello
    REQUIRE(res);
    CHECK(res->status == 400);
  }
  SECTION("unknown paths: 404, a large body left unread and the connection closed") {
    auto res = send_and_read(*c, "POST /Plugin.Other HTTP/1.1\r\nContent-Length: 10000000\r\n\r\n");
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK(c->closed_by_server());
  }
  SECTION("Content-Length over the bound: refused unread at once") {
    auto start = std::chrono::steady_clock::now();
    auto res = send_and_read(
        *c, "POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nContent-Length: 999999999\r\n\r\n");
    REQUIRE(res);
    CHECK(res->body == R"({"Allow":false,"Msg":"too large"})");
    CHECK(seconds_since(start) < 1.5);  // not waiting for the body (the timeout is 2 s)
    CHECK(c->closed_by_server());
  }
  CHECK(r.calls == r.refused_for_size);
}

TEST_CASE("authz server: slow and idle clients do not hold a thread") {
  Running r(1024, 1, 1);  // a 1 s timeout, a 1 s keep-alive
  SECTION("a head sent a byte at a time is cut off at the timeout") {
    UnixHttpClient c(r.socket, 10000);
    std::string head = "POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nX-Slow: " + std::string(100, 's');
    auto start = std::chrono::steady_clock::now();
    size_t sent = 0;
    while (sent < head.size() && c.send_raw(head.substr(sent, 1))) {
      ++sent;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    // Each byte came well within the timeout of the previous one, but the head as a whole did
    // not come within it.
    CHECK(sent < head.size());
    CHECK(seconds_since(start) < 6);
  }
  SECTION("an idle kept-alive connection is closed after the keep-alive time") {
    UnixHttpClient c(r.socket, 10000);
    REQUIRE(c.post("/Plugin.Activate", ""));
    auto start = std::chrono::steady_clock::now();
    CHECK(c.closed_by_server());
    CHECK(seconds_since(start) > 0.5);
    CHECK(seconds_since(start) < 6);
  }
  SECTION("a body that stops coming is cut off") {
    UnixHttpClient c(r.socket, 10000);
    REQUIRE(c.send_raw("POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nContent-Length: 100\r\n\r\nab"));
    auto start = std::chrono::steady_clock::now();
    CHECK(c.closed_by_server());
    CHECK(seconds_since(start) < 6);
    CHECK(r.calls == 0);
  }
}

TEST_CASE("authz server: large response bodies are discarded as they arrive") {
  Running r;
  auto c = r.client();
  std::string piece(1 << 16, 'r');
  std::string request = "POST /AuthZPlugin.AuthZRes HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  REQUIRE(c->send_raw(request));
  for (int i = 0; i < 64; ++i) REQUIRE(c->send_raw("10000\r\n" + piece + "\r\n"));  // 4 MiB
  REQUIRE(c->send_raw("0\r\n\r\n"));
  auto res = c->read_response();
  REQUIRE(res);
  CHECK(res->body == R"({"Allow":true})");
  CHECK(r.calls == 0);
}
