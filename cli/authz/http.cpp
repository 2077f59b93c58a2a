#include "cli/authz/http.hpp"

#include <cctype>

#include "lang/core/diagnostics.hpp"

namespace capguard::cli::authz::http {

namespace {

// RFC 9110, 5.6.2: tchar.
bool is_tchar(unsigned char c) {
  if (std::isalnum(c) != 0) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_tchar(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Calls `each` with every trimmed, non-empty element of a comma-separated list.
template <typename F>
void for_each_element(std::string_view list, F each) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = trim(list.substr(0, comma));
    if (!item.empty()) each(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

HeadResult error(int status, std::string why) {
  HeadResult r;
  r.status = HeadStatus::Error;
  r.error_status = status;
  r.why = std::move(why);
  return r;
}

// A field value may hold visible characters, spaces, tabs and bytes >= 0x80 (obs-text).
bool valid_value(std::string_view v) {
  for (char ch : v) {
    auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  }
  return true;
}

// The request line: METHOD SP request-target SP HTTP-version.
bool parse_request_line(std::string_view line, RequestHead& out, HeadResult& err) {
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    err = error(400, "malformed request line");
    return false;
  }
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (!is_token(method)) {
    err = error(400, "malformed method");
    return false;
  }
  if (target.empty() || target.front() != '/') {
    err = error(400, "the request target is not an absolute path");
    return false;
  }
  for (char ch : target) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f) {
      err = error(400, "malformed request target");
      return false;
    }
  }
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' ||
      std::isdigit(static_cast<unsigned char>(version[5])) == 0 ||
      std::isdigit(static_cast<unsigned char>(version[7])) == 0) {
    err = error(400, "malformed HTTP version");
    return false;
  }
  if (version[5] != '1' || (version[7] != '0' && version[7] != '1')) {
    err = error(505, "HTTP version not supported");
    return false;
  }
  out.method = std::string(method);
  out.target = std::string(target);
  out.path = std::string(target.substr(0, target.find('?')));
  out.minor_version = version[7] - '0';
  return true;
}

}  // namespace

HeadResult parse_head(std::string_view data, const Limits& limits, RequestHead& out) {
  out = RequestHead{};
  size_t pos = 0;
  bool have_request_line = false;
  size_t fields = 0;
  bool close = false;
  bool keep_alive_token = false;
  while (true) {
    size_t lf = data.find('\n', pos);
    if (lf == std::string_view::npos) {
      if (data.size() > limits.max_head_bytes) return error(431, "the request head is too large");
      return HeadResult{};
    }
    if (lf + 1 > limits.max_head_bytes) return error(431, "the request head is too large");
    std::string_view line = data.substr(pos, lf - pos);
    pos = lf + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\r') != std::string_view::npos || line.find('\0') != std::string_view::npos) {
      return error(400, "a bare CR or a NUL byte in the request head");
    }
    if (!have_request_line) {
      if (line.empty() && pos <= 4) continue;  // RFC 9112, 2.2: empty lines before the request
      HeadResult err;
      if (!parse_request_line(line, out, err)) return err;
      have_request_line = true;
      continue;
    }
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') {
      return error(400, "an obsolete folded header line");
    }
    if (++fields > limits.max_header_count) return error(431, "too many header fields");
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return error(400, "a header line without a colon");
    std::string_view name = line.substr(0, colon);
    if (!is_token(name)) return error(400, "a malformed header field name");
    std::string_view value = trim(line.substr(colon + 1));
    if (!valid_value(value)) return error(400, "a control character in a header field value");
    if (ascii_iequal(name, "Content-Length")) {
      if (value.empty() || value.size() > 18) return error(400, "a malformed Content-Length");
      uint64_t n = 0;
      for (char c : value) {
        if (c < '0' || c > '9') return error(400, "a malformed Content-Length");
        n = n * 10 + static_cast<uint64_t>(c - '0');
      }
      if (out.has_length && n != out.content_length) {
        return error(400, "different Content-Length values");
      }
      out.has_length = true;
      out.content_length = n;
    } else if (ascii_iequal(name, "Transfer-Encoding")) {
      bool bad = false;
      for_each_element(value, [&](std::string_view coding) {
        if (out.chunked || !ascii_iequal(coding, "chunked")) bad = true;
        out.chunked = true;
      });
      if (bad || !out.chunked) return error(501, "a transfer coding other than chunked");
    } else if (ascii_iequal(name, "Connection")) {
      for_each_element(value, [&](std::string_view option) {
        if (ascii_iequal(option, "close")) close = true;
        if (ascii_iequal(option, "keep-alive")) keep_alive_token = true;
      });
    } else if (ascii_iequal(name, "Expect")) {
      if (ascii_iequal(value, "100-continue")) out.expect_continue = true;
    }
  }
  if (out.chunked && out.has_length) {
    return error(400, "both Content-Length and Transfer-Encoding");
  }
  out.keep_alive = !close && (out.minor_version == 1 || keep_alive_token);
  HeadResult done;
  done.status = HeadStatus::Complete;
  done.consumed = pos;
  return done;
}

bool ChunkedDecoder::fail(std::string why) {
  state_ = State::Failed;
  why_ = std::move(why);
  return false;
}

// A size line: 1 to 15 hexadecimal digits, then nothing, or extensions after `;` (whitespace
// allowed before it).
bool ChunkedDecoder::size_line_done() {
  std::string_view line = line_;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  size_t digits = 0;
  uint64_t size = 0;
  while (digits < line.size() && std::isxdigit(static_cast<unsigned char>(line[digits])) != 0) {
    char c = line[digits];
    size = size * 16 + static_cast<uint64_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    if (++digits > 15) return fail("a chunk size of more than 15 hexadecimal digits");
  }
  if (digits == 0) return fail("a chunk size that is not hexadecimal");
  std::string_view rest = trim(line.substr(digits));
  if (!rest.empty() && rest.front() != ';') return fail("a malformed chunk size line");
  if (!valid_value(rest) || rest.find('\r') != std::string_view::npos) {
    return fail("a control character in a chunk extension");
  }
  line_.clear();
  remaining_ = size;
  state_ = size == 0 ? State::Trailer : State::Data;
  return true;
}

size_t ChunkedDecoder::feed(std::string_view data,
                            const std::function<bool(std::string_view)>& on_data) {
  size_t i = 0;
  while (i < data.size()) {
    switch (state_) {
      case State::Done:
      case State::Failed:
        return i;
      case State::SizeLine:
      case State::Trailer: {
        char c = data[i++];
        if (c != '\n') {
          line_ += c;
          size_t left = trailer_bytes_ >= limits_.max_head_bytes
                            ? 0
                            : limits_.max_head_bytes - trailer_bytes_;
          size_t bound = state_ == State::SizeLine ? limits_.max_chunk_line_bytes : left;
          if (line_.size() > bound) {
            fail(state_ == State::SizeLine ? "a chunk size line too long"
                                           : "the trailer fields are too large");
            return i;
          }
          continue;
        }
        if (state_ == State::SizeLine) {
          if (!size_line_done()) return i;
          continue;
        }
        // A trailer line: ignored, bounded as the head's fields are.
        std::string_view line = line_;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        trailer_bytes_ += line_.size() + 1;
        if (line.empty()) {
          state_ = State::Done;
          return i;
        }
        if (line.find(':') == std::string_view::npos || !valid_value(line)) {
          fail("a malformed trailer field");
          return i;
        }
        if (++trailer_fields_ > limits_.max_header_count) {
          fail("too many trailer fields");
          return i;
        }
        line_.clear();
        continue;
      }
      case State::Data: {
        size_t n = static_cast<size_t>(std::min<uint64_t>(remaining_, data.size() - i));
        bool more = on_data(data.substr(i, n));
        i += n;
        remaining_ -= n;
        if (remaining_ == 0) state_ = State::DataEnd;
        if (!more) return i;
        continue;
      }
      case State::DataEnd: {
        char c = data[i++];
        if (c == '\r' && line_.empty()) {
          line_ = "\r";
          continue;
        }
        if (c != '\n') {
          fail("a chunk not followed by CRLF");
          return i;
        }
        line_.clear();
        state_ = State::SizeLine;
        continue;
      }
    }
  }
  return i;
}

const char* reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Content Too Large";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

std::string response(int status, std::string_view content_type, std::string_view body, bool close,
                     int minor_version, std::string_view extra_headers) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) + "\r\n";
  if (!content_type.empty()) {
    out += "Content-Type: ";
    out += content_type;
    out += "\r\n";
  }
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  if (close) {
    out += "Connection: close\r\n";
  } else if (minor_version == 0) {
    out += "Connection: keep-alive\r\n";
  }
  out += extra_headers;
  out += "\r\n";
  out += body;
  return out;
}

}  // namespace capguard::cli::authz::http
