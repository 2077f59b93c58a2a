// cli/authz/http: the request head and chunked body parsers on valid and hostile input.

#include <string>

#include <catch2/catch.hpp>

#include "cli/authz/http.hpp"

using namespace capguard::cli::authz::http;

namespace {

HeadResult parse(const std::string& text, RequestHead& head, Limits limits = {}) {
  return parse_head(text, limits, head);
}

int error_of(const std::string& text, Limits limits = {}) {
  RequestHead head;
  HeadResult r = parse(text, head, limits);
  return r.status == HeadStatus::Error ? r.error_status : 0;
}

// Feeds `body` to a decoder one byte at a time (the hardest split) and in one piece; both must
// agree. Returns the decoded body, or "FAILED: why".
std::string dechunk(const std::string& body, Limits limits = {}) {
  std::string whole, bytewise;
  ChunkedDecoder one(limits), many(limits);
  size_t used = one.feed(body, [&](std::string_view d) {
    whole.append(d);
    return true;
  });
  for (size_t i = 0; i < body.size() && !many.done() && !many.failed(); ++i) {
    many.feed(std::string_view(body).substr(i, 1), [&](std::string_view d) {
      bytewise.append(d);
      return true;
    });
  }
  CHECK(one.done() == many.done());
  CHECK(one.failed() == many.failed());
  if (one.failed()) return "FAILED: " + one.why();
  if (!one.done()) return "INCOMPLETE";
  CHECK(whole == bytewise);
  return whole + (used < body.size() ? "|" + body.substr(used) : "");
}

}  // namespace

TEST_CASE("http: a request head as dockerd sends it") {
  RequestHead head;
  std::string text =
      "POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nHost: plugin\r\nUser-Agent: Go-http-client/1.1\r\n"
      "Content-Length: 42\r\nAccept: application/vnd.docker.plugins.v1.2+json\r\n"
      "Content-Type: application/vnd.docker.plugins.v1.2+json\r\nAccept-Encoding: gzip\r\n\r\n";
  HeadResult r = parse(text + "{body}", head);
  REQUIRE(r.status == HeadStatus::Complete);
  CHECK(r.consumed == text.size());
  CHECK(head.method == "POST");
  CHECK(head.path == "/AuthZPlugin.AuthZReq");
  CHECK(head.minor_version == 1);
  CHECK(head.keep_alive);
  CHECK(head.has_length);
  CHECK(head.content_length == 42);
  CHECK_FALSE(head.chunked);
}

TEST_CASE("http: incomplete heads wait for more bytes") {
  std::string text = "POST /x?y=1 HTTP/1.1\r\nContent-Length: 0\r\n\r\n";
  for (size_t n = 0; n < text.size(); ++n) {
    RequestHead head;
    INFO(n);
    CHECK(parse(text.substr(0, n), head).status == HeadStatus::Incomplete);
  }
  RequestHead head;
  REQUIRE(parse(text, head).status == HeadStatus::Complete);
  CHECK(head.target == "/x?y=1");
  CHECK(head.path == "/x");
}

TEST_CASE("http: connection options and versions") {
  RequestHead head;
  REQUIRE(parse("POST / HTTP/1.1\r\nConnection: Keep-Alive, CLOSE\r\n\r\n", head).status ==
          HeadStatus::Complete);
  CHECK_FALSE(head.keep_alive);
  REQUIRE(parse("POST / HTTP/1.0\r\n\r\n", head).status == HeadStatus::Complete);
  CHECK_FALSE(head.keep_alive);
  REQUIRE(parse("POST / HTTP/1.0\r\nconnection: keep-alive\r\n\r\n", head).status ==
          HeadStatus::Complete);
  CHECK(head.keep_alive);
  CHECK(head.minor_version == 0);
  // Bare LF line ends, and one empty line before the request line, are accepted.
  REQUIRE(parse("\r\nPOST / HTTP/1.1\nExpect: 100-Continue\n\n", head).status ==
          HeadStatus::Complete);
  CHECK(head.expect_continue);
  REQUIRE(parse("POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n", head).status ==
          HeadStatus::Complete);
  CHECK(head.chunked);
  // The same Content-Length twice is one length.
  REQUIRE(parse("POST / HTTP/1.1\r\nContent-Length: 7\r\nContent-Length: 7\r\n\r\n", head).status ==
          HeadStatus::Complete);
  CHECK(head.content_length == 7);
}

TEST_CASE("http: malformed heads are refused") {
  CHECK(error_of("POST /\r\n\r\n") == 400);
  CHECK(error_of("POST  / HTTP/1.1\r\n\r\n") == 400);
  CHECK(error_of("POST / HTTP/1.1 \r\n\r\n") == 400);
  CHECK(error_of("POST x HTTP/1.1\r\n\r\n") == 400);
  CHECK(error_of("POST http://a/ HTTP/1.1\r\n\r\n") == 400);
  CHECK(error_of("PO(ST / HTTP/1.1\r\n\r\n") == 400);
  CHECK(error_of("POST /\x7f HTTP/1.1\r\n\r\n") == 400);
  CHECK(error_of("POST / HTTP/1.1x\r\n\r\n") == 400);
  CHECK(error_of("POST / HTTPS/1.1\r\n\r\n") == 400);
  CHECK(error_of("POST / HTTP/2.0\r\n\r\n") == 505);
  CHECK(error_of("POST / HTTP/1.2\r\n\r\n") == 505);
  CHECK(error_of("POST / HTTP/1.1\r\nNo colon\r\n\r\n") == 400);
  CHECK(error_of("POST / HTTP/1.1\r\nName : v\r\n\r\n") == 400);
  CHECK(error_of("POST / HTTP/1.1\r\n: v\r\n\r\n") == 400);
  CHECK(error_of("POST / HTTP/1.1\r\nA: 1\r\n folded\r\n\r\n") == 400);
  CHECK(error_of("POST / HTTP/1.1\r\nA: a\rb\r\n\r\n") == 400);
  CHECK(error_of(std::string("POST / HTTP/1.1\r\nA: a\0b\r\n\r\n", 25)) == 400);
  CHECK(error_of("POST / HTTP/1.1\r\nA: \x01\r\n\r\n") == 400);
  CHECK(error_of("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") == 400);
  CHECK(error_of("POST / HTTP/1.1\r\nContent-Length: 1e3\r\n\r\n") == 400);
  CHECK(error_of("POST / HTTP/1.1\r\nContent-Length: \r\n\r\n") == 400);
  CHECK(error_of("POST / HTTP/1.1\r\nContent-Length: 1, 1\r\n\r\n") == 400);
  CHECK(error_of("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n") == 400);
  CHECK(error_of("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n") == 400);
  CHECK(error_of("POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n") ==
        400);
  CHECK(error_of("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") == 501);
  CHECK(error_of("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n") == 501);
  CHECK(error_of("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n") == 501);
  CHECK(error_of("POST / HTTP/1.1\r\nTransfer-Encoding: \r\n\r\n") == 501);
}

TEST_CASE("http: the head's size and field count are bounded") {
  Limits small;
  small.max_head_bytes = 64;
  small.max_header_count = 3;
  // Over the size without an end: refused before the rest arrives.
  CHECK(error_of("POST / HTTP/1.1\r\nX: " + std::string(100, 'a'), small) == 431);
  CHECK(error_of("POST / HTTP/1.1\r\nX: " + std::string(100, 'a') + "\r\n\r\n", small) == 431);
  CHECK(error_of("POST /" + std::string(100, 'a'), small) == 431);
  CHECK(error_of("POST / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", small) == 0);
  CHECK(error_of("POST / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", small) == 431);
  // Empty lines before the request line count and are limited.
  CHECK(error_of(std::string(100, '\n'), small) != 0);
  RequestHead head;
  CHECK(parse(std::string(40, '\n'), head).status == HeadStatus::Error);
}

TEST_CASE("http: chunked bodies") {
  CHECK(dechunk("0\r\n\r\n").empty());
  CHECK(dechunk("5\r\nhello\r\n0\r\n\r\n") == "hello");
  CHECK(dechunk("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\nNEXT") == "hello world|NEXT");
  CHECK(dechunk("a\r\n0123456789\r\nA\r\n0123456789\r\n0\r\n\r\n") == "01234567890123456789");
  CHECK(dechunk("5;ext=1;other=\"q\"\r\nhello\r\n0;last\r\nTrailer: x\r\nMore: y\r\n\r\n") ==
        "hello");
  CHECK(dechunk("5  ;ext\r\nhello\r\n0\r\n\r\n") == "hello");
  CHECK(dechunk("5\nhello\n0\n\n") == "hello");
  CHECK(dechunk("00000000000005\r\nhello\r\n0\r\n\r\n") == "hello");
  CHECK(dechunk("5\r\nhel") == "INCOMPLETE");
}

TEST_CASE("http: hostile chunked bodies") {
  CHECK(dechunk("\r\nhello\r\n0\r\n\r\n").rfind("FAILED", 0) == 0);
  CHECK(dechunk("x\r\n").rfind("FAILED", 0) == 0);
  CHECK(dechunk("-5\r\nhello\r\n0\r\n\r\n").rfind("FAILED", 0) == 0);
  CHECK(dechunk("+5\r\nhello\r\n0\r\n\r\n").rfind("FAILED", 0) == 0);
  CHECK(dechunk("0x5\r\nhello\r\n0\r\n\r\n").rfind("FAILED", 0) == 0);
  CHECK(dechunk("5 5\r\nhello\r\n0\r\n\r\n").rfind("FAILED", 0) == 0);
  // 16 hexadecimal digits could overflow 64 bits: refused.
  CHECK(dechunk("ffffffffffffffff\r\nx").rfind("FAILED", 0) == 0);
  CHECK(dechunk("10000000000000000\r\nx").rfind("FAILED", 0) == 0);
  // The data must be followed by CRLF exactly.
  CHECK(dechunk("5\r\nhelloX\r\n0\r\n\r\n").rfind("FAILED", 0) == 0);
  CHECK(dechunk("5\r\nhello\r\r\n0\r\n\r\n").rfind("FAILED", 0) == 0);
  CHECK(dechunk("5\r\nhe\rlo\r\n0\r\n\r\n") == "he\rlo");  // a CR inside the data is data
  CHECK(dechunk("5;a\x01\r\nhello\r\n0\r\n\r\n").rfind("FAILED", 0) == 0);
  CHECK(dechunk("5;a\rb\r\nhello\r\n0\r\n\r\n").rfind("FAILED", 0) == 0);
  // A size line or trailer without end is bounded.
  Limits small;
  small.max_chunk_line_bytes = 16;
  small.max_head_bytes = 64;
  small.max_header_count = 2;
  CHECK(dechunk("5;" + std::string(100, 'e'), small).rfind("FAILED", 0) == 0);
  CHECK(dechunk("0\r\nT: " + std::string(100, 't'), small).rfind("FAILED", 0) == 0);
  CHECK(dechunk("0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", small).rfind("FAILED", 0) == 0);
  CHECK(dechunk("0\r\nno colon\r\n\r\n").rfind("FAILED", 0) == 0);
}

TEST_CASE("http: the decoder stops when the sink says so") {
  ChunkedDecoder d{Limits{}};
  std::string got;
  std::string body = "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n";
  size_t used = d.feed(body, [&](std::string_view data) {
    got.append(data);
    return false;
  });
  CHECK(got == "hello");
  CHECK(used == 8);
  CHECK_FALSE(d.done());
  CHECK_FALSE(d.failed());
}

TEST_CASE("http: responses") {
  CHECK(response(200, "application/json", "{}", false) ==
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
  CHECK(response(404, "text/plain", "Not Found\n", true) ==
        "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n"
        "Connection: close\r\n\r\nNot Found\n");
  CHECK(response(200, "", "", false, 0) ==
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n");
  CHECK(response(405, "", "", true, 1, "Allow: POST\r\n") ==
        "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n"
        "Allow: POST\r\n\r\n");
}
