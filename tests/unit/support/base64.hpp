#pragma once
// Standard base64 (RFC 4648, padded), as Go's encoding/json writes a []byte: how dockerd passes a
// request body to an authorization plugin. Header-only, for the authz tests and benchmark that
// build plugin requests (the product only decodes: runtime/authz/plugin_request.hpp).

#include <cstdint>
#include <string>

namespace capguard::testing {

inline std::string base64(const std::string& in) {
  static const char* d = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < in.size(); i += 3) {
    uint32_t n = uint32_t(uint8_t(in[i])) << 16;
    if (i + 1 < in.size()) n |= uint32_t(uint8_t(in[i + 1])) << 8;
    if (i + 2 < in.size()) n |= uint8_t(in[i + 2]);
    out += d[(n >> 18) & 63];
    out += d[(n >> 12) & 63];
    out += i + 1 < in.size() ? d[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? d[n & 63] : '=';
  }
  return out;
}

}  // namespace capguard::testing
