#include "cli/lsp/jsonrpc.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace capguard::lsp {
namespace {

// Case-insensitive "Content-Length" header's value; nullopt when the line is another header.
std::optional<std::string_view> content_length_value(std::string_view line) {
  constexpr std::string_view kName = "content-length:";
  if (line.size() < kName.size()) return std::nullopt;
  for (size_t i = 0; i < kName.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != kName[i]) return std::nullopt;
  }
  std::string_view value = line.substr(kName.size());
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return value;
}

}  // namespace

Frame read_frame(std::istream& in) {
  Frame frame;
  std::optional<size_t> length;
  bool bad_length = false;
  size_t header_bytes = 0;
  bool any_header = false;
  std::string line;
  // Headers: lines ending in \r\n (a bare \n is accepted too), up to an empty line.
  while (true) {
    line.clear();
    int c;
    while ((c = in.get()) != EOF && c != '\n') {
      if (++header_bytes > kMaxHeaderBytes) break;
      line.push_back(static_cast<char>(c));
    }
    if (header_bytes > kMaxHeaderBytes) {
      // Skip to the end of this line and report; the stream may not be in step any more.
      while (c != EOF && c != '\n') c = in.get();
      frame.kind = Frame::Kind::FrameError;
      frame.error = "header block longer than " + std::to_string(kMaxHeaderBytes) + " bytes";
      return frame;
    }
    if (c == EOF) return Frame{};  // End
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (!any_header) continue;  // blank lines between messages
      break;
    }
    any_header = true;
    if (auto value = content_length_value(line)) {
      size_t n = 0;
      bool ok = !value->empty() && value->size() <= 12;
      for (char d : *value) {
        if (d < '0' || d > '9') ok = false;
        if (ok) n = n * 10 + static_cast<size_t>(d - '0');
      }
      if (ok)
        length = n;
      else
        bad_length = true;
    }
  }
  if (!length) {
    frame.kind = Frame::Kind::FrameError;
    frame.error = bad_length ? "Content-Length is not a number" : "no Content-Length header";
    return frame;
  }
  if (*length > kMaxMessageBytes) {
    // Skip the body without keeping it, so the next message is read in step.
    in.ignore(static_cast<std::streamsize>(*length));
    if (static_cast<size_t>(in.gcount()) < *length) return Frame{};
    frame.kind = Frame::Kind::FrameError;
    frame.error = "message of " + std::to_string(*length) + " bytes is longer than the limit of " +
                  std::to_string(kMaxMessageBytes) + " bytes";
    return frame;
  }
  frame.body.resize(*length);
  in.read(frame.body.data(), static_cast<std::streamsize>(*length));
  if (static_cast<size_t>(in.gcount()) < *length) return Frame{};
  frame.kind = Frame::Kind::Message;
  return frame;
}

void write_message(std::ostream& out, const nlohmann::json& message) {
  // Invalid UTF-8 cannot reach here (texts are checked when they arrive), but replace rather
  // than throw if it ever does.
  std::string body = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  out.flush();
}

nlohmann::json error_response(const nlohmann::json& id, int code, const std::string& message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

nlohmann::json result_response(const nlohmann::json& id, nlohmann::json result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

nlohmann::json notification(const std::string& method, nlohmann::json params) {
  return {{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}

}  // namespace capguard::lsp
