// curl_library.hpp for the static capguard (cli/common/engine_twin.hpp): linked into that
// executable in place of curl_library.cpp (an object on the link line defines these functions
// first, so the archive's curl_library.cpp.o, and glibc's static dlopen with it, is never linked).
// A static executable cannot load libcurl; its commands execute capguard-engine before they
// would, so these answers are only a fallback.
#include "runtime/engine/curl_library.hpp"

namespace capguard::engine {

const CurlLibrary* load_curl_library(const char* soname, std::string& error) {
  error = std::string(soname) + ": this capguard is linked statically; capguard-engine loads it";
  return nullptr;
}

const CurlLibrary* curl_library(std::string& error) {
  return load_curl_library("libcurl.so.4", error);
}

std::string curl_missing_message(const std::string& error) {
  return "reading containers needs libcurl (Debian: apt install libcurl4): " + error;
}

}  // namespace capguard::engine
