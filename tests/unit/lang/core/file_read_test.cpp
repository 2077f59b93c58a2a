// The bounded reader: limits, file kinds, streams read once, UTF-16/32 decoding.
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <thread>

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

TEST_CASE("read_bounded: an input document that is JSON may be larger, up to the JSON limit") {
  std::string base = "/tmp/capguard-file-read-json-" + std::to_string(::getpid());
  std::string json = base + ".json", yaml = base + ".yaml", huge = base + "-huge.json";
  std::ofstream(json) << "\xEF\xBB\xBF \n  [{\"Id\": \"" << std::string(200, 'a') << "\"}]\n";
  std::ofstream(yaml) << "services:\n  a:\n    image: " << std::string(200, 'b') << "\n";
  std::ofstream(huge) << "[\"" << std::string(2000, 'c') << "\"]";
  set_max_input_bytes(100);
  set_max_json_input_bytes(1000);
  std::string text, error;
  CHECK(read_bounded(json, text, error, ReadAs::Document));
  CHECK(text.size() > 200);
  CHECK_FALSE(read_bounded(json, text, error));  // ReadAs::Any: policies, env files...
  CHECK(error == "file is larger than the limit of 100 bytes (CAPGUARD_MAX_INPUT_BYTES sets it)");
  CHECK_FALSE(read_bounded(yaml, text, error, ReadAs::Document));
  CHECK(error == "file is larger than the limit of 100 bytes (CAPGUARD_MAX_INPUT_BYTES sets it)");
  CHECK_FALSE(read_bounded(huge, text, error, ReadAs::Document));
  CHECK(error == "file is larger than the limit of 1000 bytes (CAPGUARD_MAX_INPUT_BYTES sets it)");
  set_max_input_bytes(kDefaultMaxInputBytes);
  set_max_json_input_bytes(kDefaultMaxJsonInputBytes);
  CHECK(kDefaultMaxJsonInputBytes == size_t{1} << 30);
  std::remove(json.c_str());
  std::remove(yaml.c_str());
  std::remove(huge.c_str());
}

TEST_CASE("file_may_be_json: a regular file's first bytes; anything else may be") {
  std::string base = "/tmp/capguard-file-may-be-json-" + std::to_string(::getpid());
  auto write = [&](const std::string& suffix, const std::string& bytes) {
    std::string path = base + suffix;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  };
  std::string yaml = write(".yaml", "services: {}\n");
  std::string json = write(".json", "\n\t[]");
  std::string bom = write("-bom.json", "\xEF\xBB\xBF{}");
  std::string utf16 = write("-16.json", std::string("\xFF\xFE[\0]\0", 6));
  std::string blank = write("-blank.json", std::string(5000, ' ') + "[]");
  std::string empty = write("-empty", "");
  CHECK_FALSE(file_may_be_json(yaml));
  CHECK(file_may_be_json(json));
  CHECK(file_may_be_json(bom));
  CHECK(file_may_be_json(utf16));  // decoded only once read
  CHECK(file_may_be_json(blank));  // past the 4 KiB looked at
  CHECK_FALSE(file_may_be_json(empty));
  CHECK(file_may_be_json("/nonexistent/x"));  // reading it says what is wrong
  CHECK(file_may_be_json("/tmp"));
  CHECK(file_may_be_json("-"));
  for (const std::string& p : {yaml, json, bom, utf16, blank, empty}) std::remove(p.c_str());
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

TEST_CASE("read_bounded: a stream is read whole, up to the limit, past it only as JSON") {
  // Reads `content` written into a named pipe by another thread (a pipe of its own each time: a
  // stream's text is kept for a second reader of the same name).
  int pipes = 0;
  auto through_pipe = [&](const std::string& content, std::string& text, std::string& error,
                          ReadAs as) {
    std::string fifo = "/tmp/capguard-file-read-fifo-" + std::to_string(::getpid()) + "-" +
                       std::to_string(++pipes);
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::thread writer([&] {
      std::ofstream out(fifo, std::ios::binary);
      out << content;
    });
    bool ok = read_bounded(fifo, text, error, as);
    writer.join();
    std::remove(fifo.c_str());
    return ok;
  };
  set_max_input_bytes(1000);
  set_max_json_input_bytes(100000);
  // A reader that stops at the limit may leave the writer writing into a closed pipe.
  auto previous = std::signal(SIGPIPE, SIG_IGN);
  std::string text, error;
  // Sizes around the first read (512 bytes) and the limit.
  for (size_t n :
       {size_t{0}, size_t{1}, size_t{511}, size_t{512}, size_t{513}, size_t{999}, size_t{1000}}) {
    std::string content(n, 'y');
    INFO(n);
    REQUIRE(through_pipe(content, text, error, ReadAs::Document));
    CHECK(text == content);
  }
  CHECK_FALSE(through_pipe(std::string(1001, 'y'), text, error, ReadAs::Document));
  CHECK(error == "file is larger than the limit of 1000 bytes (CAPGUARD_MAX_INPUT_BYTES sets it)");
  std::string json = "[\"" + std::string(70000, 'j') + "\"]";
  REQUIRE(through_pipe(json, text, error, ReadAs::Document));
  CHECK(text == json);
  CHECK_FALSE(through_pipe(json + std::string(40000, ' '), text, error, ReadAs::Document));
  CHECK(error ==
        "file is larger than the limit of 100000 bytes (CAPGUARD_MAX_INPUT_BYTES sets it)");
  set_max_input_bytes(kDefaultMaxInputBytes);
  set_max_json_input_bytes(kDefaultMaxJsonInputBytes);
  std::signal(SIGPIPE, previous);
}
