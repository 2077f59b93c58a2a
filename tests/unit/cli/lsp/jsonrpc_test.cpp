#include <catch2/catch.hpp>

#include <random>
#include <sstream>

#include "cli/lsp/jsonrpc.hpp"
#include "cli/lsp/server.hpp"

using namespace capguard::lsp;

TEST_CASE("frames are read by Content-Length, headers in any case, \\r\\n or \\n") {
  std::istringstream in(
      "Content-Length: 2\r\n\r\n{}"
      "content-LENGTH:3\nContent-Type: x\n\n[1]"
      "\r\n"  // a blank line between messages is skipped
      "Content-Length: 1\r\n\r\n7");
  Frame a = read_frame(in);
  REQUIRE(a.kind == Frame::Kind::Message);
  CHECK(a.body == "{}");
  Frame b = read_frame(in);
  REQUIRE(b.kind == Frame::Kind::Message);
  CHECK(b.body == "[1]");
  Frame c = read_frame(in);
  REQUIRE(c.kind == Frame::Kind::Message);
  CHECK(c.body == "7");
  CHECK(read_frame(in).kind == Frame::Kind::End);
}

TEST_CASE("framing errors are reported and the stream stays in step") {
  std::string big(kMaxMessageBytes + 1, ' ');
  std::istringstream in(
      "X-Other: 1\r\n\r\n"
      "Content-Length: -4\r\n\r\n"
      "Content-Length: " +
      std::to_string(big.size()) + "\r\n\r\n" + big + "Content-Length: 2\r\n\r\n{}");
  Frame a = read_frame(in);
  CHECK(a.kind == Frame::Kind::FrameError);
  CHECK(a.error == "no Content-Length header");
  Frame b = read_frame(in);
  CHECK(b.kind == Frame::Kind::FrameError);
  CHECK(b.error == "Content-Length is not a number");
  Frame c = read_frame(in);
  CHECK(c.kind == Frame::Kind::FrameError);
  CHECK(c.error.find("longer than the limit") != std::string::npos);
  Frame d = read_frame(in);
  REQUIRE(d.kind == Frame::Kind::Message);
  CHECK(d.body == "{}");
}

TEST_CASE("a header block past the limit is an error, a truncated body the end") {
  std::istringstream long_header(std::string(kMaxHeaderBytes + 10, 'h') + "\r\n\r\n");
  CHECK(read_frame(long_header).kind == Frame::Kind::FrameError);
  std::istringstream truncated("Content-Length: 10\r\n\r\n{}");
  CHECK(read_frame(truncated).kind == Frame::Kind::End);
}

TEST_CASE("write_message frames the compact JSON") {
  std::ostringstream out;
  write_message(out, nlohmann::json{{"a", 1}});
  CHECK(out.str() == "Content-Length: 7\r\n\r\n{\"a\":1}");
}

TEST_CASE("random bytes never crash the server and every reply is a JSON-RPC message") {
  std::mt19937 rng(12345);
  const std::string pieces[] = {
      "Content-Length: ",
      "\r\n",
      "\r\n\r\n",
      "{",
      "}",
      "\"",
      "[",
      "]",
      ":",
      ",",
      "12",
      "\"jsonrpc\":\"2.0\"",
      "\"id\":1",
      "\"method\":\"initialize\"",
      "\"method\":\"textDocument/didOpen\"",
      "\"params\":{\"textDocument\":{\"uri\":\"file:///x.policy\",\"text\":\"policy\"}}",
      "\xff",
      "null"};
  for (int round = 0; round < 300; ++round) {
    std::string input;
    int n = static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) input += pieces[rng() % (sizeof(pieces) / sizeof(pieces[0]))];
    std::istringstream in(input);
    std::ostringstream out;
    run_server(in, out);
    std::istringstream replies(out.str());
    for (Frame f = read_frame(replies); f.kind != Frame::Kind::End; f = read_frame(replies)) {
      REQUIRE(f.kind == Frame::Kind::Message);
      auto j = nlohmann::json::parse(f.body);
      CHECK(j["jsonrpc"] == "2.0");
    }
  }
}

TEST_CASE("json_depth counts brackets outside strings") {
  CHECK(json_depth("{}", 64) == 1);
  CHECK(json_depth("{\"a\": [[1], {\"b\": \"[[[[\"}]}", 64) == 3);
  CHECK(json_depth("\"\\\"[[\"", 64) == 0);
  CHECK(json_depth(std::string(1000, '['), 64) == 65);  // stops past the limit
}

TEST_CASE("a deeply nested message is refused, not parsed") {
  Server s;
  std::string body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":" +
                     std::string(1000000, '[') + std::string(1000000, ']') + "}";
  auto out = s.handle(body);
  REQUIRE(out.size() == 1);
  CHECK(out[0]["error"]["code"] == error_code::kInvalidRequest);
  // 64 levels are fine
  std::string ok = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"x\":" +
                   std::string(62, '[') + std::string(62, ']') + "}}";
  CHECK(s.handle(ok)[0].contains("result"));
}
