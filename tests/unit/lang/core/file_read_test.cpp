// The bounded reader: limits, file kinds, streams read once, UTF-16/32 decoding.
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include <catch2/catch.hpp>

#include "lang/core/file_read.hpp"

using namespace capguard;

TEST_CASE("parse_byte_count: bytes and K, M, G suffixes") {
  CHECK(parse_byte_count("1048576") == size_t{1048576});
  CHECK(parse_byte_count("64M") == size_t{64} << 20);
  CHECK(parse_byte_count("2K") == size_t{2048});
  CHECK(parse_byte_count("1G") == size_t{1} << 30);
  CHECK_FALSE(parse_byte_count(""));
  CHECK_FALSE(parse_byte_count("0"));
  CHECK_FALSE(parse_byte_count("lots"));
  CHECK_FALSE(parse_byte_count("5T"));
  CHECK_FALSE(parse_byte_count("99999999999999999999"));
}

TEST_CASE("parse_count: CAPGUARD_MAX_SERVICES values") {
  CHECK(parse_count("1") == size_t{1});
  CHECK(parse_count("10000") == size_t{10000});
  CHECK(parse_count("1000000000") == size_t{1000000000});
  CHECK_FALSE(parse_count(""));
  CHECK_FALSE(parse_count("0"));
  CHECK_FALSE(parse_count("10k"));
  CHECK_FALSE(parse_count("-5"));
  CHECK_FALSE(parse_count("1000000001"));
  CHECK_FALSE(parse_count("99999999999999999999"));
  CHECK(kDefaultMaxServices == 10000);
}

TEST_CASE("read_bounded: kinds and the limit") {
  std::string text, error;
  CHECK_FALSE(read_bounded("/nonexistent/x.yaml", text, error));
  CHECK(error == "no such file");
  CHECK_FALSE(read_bounded("/tmp", text, error));
  CHECK(error == "is a folder, not a file");
  CHECK_FALSE(read_bounded("/dev/zero", text, error));
  CHECK(error == "is a character device, not a file");

  std::string path = "/tmp/capguard-file-read-test-" + std::to_string(::getpid());
  std::ofstream(path) << "0123456789abcdef";
  set_max_input_bytes(10);
  CHECK_FALSE(read_bounded(path, text, error));
  CHECK(error == "file is larger than the limit of 10 bytes (CAPGUARD_MAX_INPUT_BYTES sets it)");
  set_max_input_bytes(kDefaultMaxInputBytes);
  REQUIRE(read_bounded(path, text, error));
  CHECK(text == "0123456789abcdef");
  std::remove(path.c_str());
}

TEST_CASE("decode_unicode: UTF-16 and UTF-32, with and without BOM") {
  auto decoded = [](std::string bytes) {
    std::string error;
    REQUIRE(decode_unicode(bytes, error));
    return bytes;
  };
  CHECK(decoded(std::string("\xFF\xFE"
                            "a\0:\0 \0\xE9\0\n\0",
                            12)) == "a: \xC3\xA9\n");
  CHECK(decoded(std::string("\0a\0:", 4)) == "a:");          // UTF-16BE, no BOM
  CHECK(decoded(std::string("a\0\0\0b\0\0\0", 8)) == "ab");  // UTF-32LE, no BOM
  CHECK(decoded(std::string("\0\0\xFE\xFF\0\x01\xF6\x00", 8)) == "\xF0\x9F\x98\x80");
  CHECK(decoded(std::string("\xFF\xFE\x3D\xD8\x00\xDE", 6)) == "\xF0\x9F\x98\x80");  // surrogates
  CHECK(decoded("plain: utf8\n") == "plain: utf8\n");
  CHECK(decoded("\xEF\xBB\xBFkeep: bom\n") == "\xEF\xBB\xBFkeep: bom\n");

  std::string error;
  std::string odd(
      "\xFF\xFE"
      "a\0b",
      5);
  CHECK_FALSE(decode_unicode(odd, error));
  CHECK(error == "is not valid UTF-16LE: 5 bytes is not a whole number of 2-byte units");
  std::string lone(
      "\xFF\xFE\x00\xD8"
      "a\0",
      6);
  CHECK_FALSE(decode_unicode(lone, error));
  CHECK(error == "is not valid UTF-16LE: unpaired surrogate at byte 2");
}
