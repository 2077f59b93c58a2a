#pragma once
// The part of HTTP/1.1 (RFC 9112) the plugin protocol needs, for the authorization server
// (server.cpp): reading a request's head and a chunked body, and writing a response. Pure
// functions over bytes, no I/O, so that hostile input can be tested byte by byte
// (tests/unit/cli/authz/http_test.cpp).
//
// What a request may be: a request line `METHOD SP /target SP HTTP/1.x`, header fields
// `name: value`, lines ended by CRLF (a bare LF is accepted, a bare CR is not), an empty line; a
// body framed by Content-Length or by Transfer-Encoding: chunked (not both), or none. Refused:
// a head over `max_head_bytes` or with more than `max_header_count` fields (431), a malformed
// line, a field name with spaces before its colon, an obsolete folded line, several different
// Content-Length values, a length that is not decimal digits or does not fit in 63 bits (400),
// a transfer coding other than chunked (501), an HTTP version other than 1.0 and 1.1 (505).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace capguard::cli::authz::http {

struct Limits {
  size_t max_head_bytes = 16 << 10;  // request line and header fields, with their line ends
  size_t max_header_count = 100;
  size_t max_chunk_line_bytes = 1024;  // a chunk's size line, extensions included
};

struct RequestHead {
  std::string method;
  std::string target;  // as sent
  std::string path;    // the target without its query
  int minor_version = 1;
  bool keep_alive = true;  // HTTP/1.1 unless `Connection: close`; 1.0 only with keep-alive
  bool chunked = false;
  bool has_length = false;
  uint64_t content_length = 0;
  bool expect_continue = false;  // `Expect: 100-continue`
};

enum class HeadStatus {
  Incomplete,  // more bytes are needed (and may come: the bound is not reached)
  Complete,
  Error  // answer `error_status` and close the connection
};

struct HeadResult {
  HeadStatus status = HeadStatus::Incomplete;
  size_t consumed = 0;   // Complete: the head's length in bytes, its empty line included
  int error_status = 0;  // Error: 400, 431, 501 or 505
  std::string why;       // Error: what was wrong, for the log
};

// Parses the request head at the start of `data` (bytes may follow it: the body, or the next
// request). Incomplete while no empty line has arrived and `data` is within the bounds.
HeadResult parse_head(std::string_view data, const Limits& limits, RequestHead& out);

// Decodes a chunked body (RFC 9112, 7.1) fed in pieces of any size: chunk sizes in hexadecimal
// (at most 15 digits), extensions ignored, trailer fields read and ignored (bounded as a head).
class ChunkedDecoder {
 public:
  explicit ChunkedDecoder(const Limits& limits) : limits_(limits) {}

  // Consumes bytes of `data` and passes the body's bytes to `on_data`, stopping at the end of
  // the body (the rest of `data` belongs to the next request) or when `on_data` returns false.
  // Returns the number of bytes consumed.
  size_t feed(std::string_view data, const std::function<bool(std::string_view)>& on_data);

  bool done() const { return state_ == State::Done; }
  bool failed() const { return state_ == State::Failed; }
  const std::string& why() const { return why_; }

 private:
  enum class State { SizeLine, Data, DataEnd, Trailer, Done, Failed };
  bool fail(std::string why);
  bool size_line_done();

  Limits limits_;
  State state_ = State::SizeLine;
  std::string line_;        // the size line, or the trailer line, so far
  uint64_t remaining_ = 0;  // bytes of the current chunk still to come
  size_t trailer_bytes_ = 0;
  size_t trailer_fields_ = 0;
  std::string why_;
};

// A complete response: status line, Content-Type (when given), Content-Length, `Connection:
// close` when `close` (or `Connection: keep-alive` to an HTTP/1.0 request that keeps the
// connection), `extra_headers` (whole lines with their CRLF, e.g. "Allow: POST\r\n"), then the
// body.
std::string response(int status, std::string_view content_type, std::string_view body, bool close,
                     int minor_version = 1, std::string_view extra_headers = {});

// The reason phrase of the statuses the server sends ("OK", "Not Found"...).
const char* reason_phrase(int status);

}  // namespace capguard::cli::authz::http
