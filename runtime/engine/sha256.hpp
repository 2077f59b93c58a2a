#pragma once
// SHA-256 (FIPS 180-4, section 6.2), for the one digest capguard needs: the name of a docker
// context's folder (host.cpp). Written here rather than taken from OpenSSL so that the executable
// loads no crypto library at start (spec/architecture.md, "Linking").

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace capguard::engine {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view data);
  // The digest of everything given to update(); the object is spent afterwards.
  std::array<uint8_t, 32> finish();

 private:
  void block(const uint8_t* p);
  std::array<uint32_t, 8> h_;
  std::array<uint8_t, 64> buffer_{};
  size_t used_ = 0;      // bytes in buffer_
  uint64_t length_ = 0;  // bytes given to update()
};

// The digest of `text` in lower-case hexadecimal (64 characters).
std::string sha256_hex(std::string_view text);

}  // namespace capguard::engine
