// runtime/engine/curl_library: libcurl loaded with dlopen on first use; a missing library is an
// error in words, never a crash.

#include <string>

#include <catch2/catch.hpp>

#include "runtime/engine/client.hpp"
#include "runtime/engine/curl_library.hpp"

using namespace capguard::engine;

TEST_CASE("curl library: a missing library is an error naming it", "[engine]") {
  std::string error;
  CHECK(load_curl_library("libcurl-capguard-test-missing.so.4", error) == nullptr);
  CHECK(error.find("libcurl-capguard-test-missing.so.4") != std::string::npos);
  CHECK(curl_missing_message(error) ==
        "reading containers needs libcurl (Debian: apt install libcurl4): " + error);
  // A library that exists but is not libcurl: its missing function is named.
  error.clear();
  CHECK(load_curl_library("libm.so.6", error) == nullptr);
  CHECK(error.find("curl_global_init") != std::string::npos);
}

TEST_CASE("curl library: loaded once, with every function", "[engine]") {
  // libcurl4 is installed wherever capguard is built (libcurl4-openssl-dev depends on it).
  std::string error;
  const CurlLibrary* lib = curl_library(error);
  INFO(error);
  REQUIRE(lib != nullptr);
  CHECK(curl_library(error) == lib);
  CHECK(lib->easy_strerror(CURLE_OK) == std::string("No error"));
  CURL* h = lib->easy_init();
  REQUIRE(h != nullptr);
  CHECK(lib->easy_setopt(h, CURLOPT_URL, "http://localhost/") == CURLE_OK);
  lib->easy_cleanup(h);
}

TEST_CASE("curl library: a client reaches a missing socket through it", "[engine]") {
  EngineHost host;
  host.is_unix = true;
  host.socket_path = "/nonexistent/capguard-test.sock";
  host.label = "test";
  EngineClient client(host);
  auto e = client.connect();
  REQUIRE(e);
  CHECK(e->kind == ErrorKind::Unreachable);
  CHECK(e->message ==
        "no socket at /nonexistent/capguard-test.sock: is the Docker daemon running?");
}
