#pragma once
// JSON-RPC 2.0 over a byte stream with LSP's base protocol framing:
//   Content-Length: N\r\n [other headers]\r\n \r\n <N bytes of JSON>
// Reading is bounded: a header block longer than kMaxHeaderBytes or a body longer than
// kMaxMessageBytes is refused (the body is skipped, so the stream stays in step) and reported as
// a FrameError that the server answers with a JSON-RPC error; a body that is not JSON is handed
// on as text for the same reason. Nothing here throws on bad input.

#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "lang/core/json_text.hpp"

namespace capguard::lsp {

inline constexpr size_t kMaxHeaderBytes = 8 * 1024;
inline constexpr size_t kMaxMessageBytes = 16 * 1024 * 1024;

// A message nested deeper than this is refused before it is parsed: copying or printing a deeply
// nested nlohmann::json recurses, and LSP messages nest a few levels only.
inline constexpr size_t kMaxJsonDepth = 64;

// The deepest nesting of arrays and objects in JSON text (lang/core/json_text.hpp).
using capguard::json_depth;

struct Frame {
  enum class Kind { Message, FrameError, End };
  Kind kind = Kind::End;
  std::string body;   // Message: the JSON text as received
  std::string error;  // FrameError: what was wrong with the framing
};

// Reads the next frame. End at end of stream (also in the middle of a frame: nothing more will
// come).
Frame read_frame(std::istream& in);

// Writes one message with its Content-Length header, and flushes.
void write_message(std::ostream& out, const nlohmann::json& message);

// JSON-RPC error codes (the specification's and LSP's).
namespace error_code {
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kServerNotInitialized = -32002;
inline constexpr int kRequestFailed = -32803;
}  // namespace error_code

nlohmann::json error_response(const nlohmann::json& id, int code, const std::string& message);
nlohmann::json result_response(const nlohmann::json& id, nlohmann::json result);
nlohmann::json notification(const std::string& method, nlohmann::json params);

}  // namespace capguard::lsp
