#pragma once
// libcurl, loaded when a command first talks to an engine (dlopen("libcurl.so.4")), not when
// capguard starts: the executable depends at load time on libc alone (spec/architecture.md,
// "Linking"), and the commands that read files never pay for libcurl, OpenSSL and their
// dependencies. curl's header still gives the types and constants; the functions client.cpp calls
// are resolved here, by name, once.

#include <curl/curl.h>

#include <string>

namespace capguard::engine {

// The libcurl functions capguard uses, with the types curl's header declares.
struct CurlLibrary {
  decltype(&::curl_global_init) global_init = nullptr;
  decltype(&::curl_easy_init) easy_init = nullptr;
  decltype(&::curl_easy_setopt) easy_setopt = nullptr;
  decltype(&::curl_easy_perform) easy_perform = nullptr;
  decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&::curl_easy_strerror) easy_strerror = nullptr;
};

// The library, loaded and initialized (curl_global_init) on the first call, from any thread;
// nullptr when it cannot be loaded, with `error` set to dlerror()'s words (every call then gives
// the same answer).
const CurlLibrary* curl_library(std::string& error);

// The same from the library file `soname` (tests: a library that does not exist). Not cached.
const CurlLibrary* load_curl_library(const char* soname, std::string& error);

// What a user reads when libcurl is missing: "reading containers needs libcurl (Debian: apt
// install libcurl4): <error>".
std::string curl_missing_message(const std::string& error);

}  // namespace capguard::engine
