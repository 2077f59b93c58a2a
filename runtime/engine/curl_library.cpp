#include "runtime/engine/curl_library.hpp"

#include <dlfcn.h>

#include <mutex>

namespace capguard::engine {

namespace {

template <typename F>
bool resolve(void* handle, const char* name, F& out, std::string& error) {
  dlerror();
  void* symbol = dlsym(handle, name);
  if (symbol == nullptr) {
    const char* why = dlerror();
    error = why != nullptr ? why : std::string(name) + ": not found";
    return false;
  }
  out = reinterpret_cast<F>(symbol);
  return true;
}

}  // namespace

const CurlLibrary* load_curl_library(const char* soname, std::string& error) {
  // RTLD_LOCAL: curl's symbols (and OpenSSL's) stay out of the global namespace.
  void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    error = why != nullptr ? why : std::string(soname) + ": cannot be loaded";
    return nullptr;
  }
  auto* lib = new CurlLibrary;  // lives as long as the process, like the library itself
  bool ok = resolve(handle, "curl_global_init", lib->global_init, error) &&
            resolve(handle, "curl_easy_init", lib->easy_init, error) &&
            resolve(handle, "curl_easy_setopt", lib->easy_setopt, error) &&
            resolve(handle, "curl_easy_perform", lib->easy_perform, error) &&
            resolve(handle, "curl_easy_getinfo", lib->easy_getinfo, error) &&
            resolve(handle, "curl_easy_cleanup", lib->easy_cleanup, error) &&
            resolve(handle, "curl_easy_strerror", lib->easy_strerror, error);
  if (!ok) {
    delete lib;
    dlclose(handle);
    return nullptr;
  }
  CURLcode init = lib->global_init(CURL_GLOBAL_DEFAULT);
  if (init != CURLE_OK) {
    error = std::string("curl_global_init: ") + lib->easy_strerror(init);
    delete lib;
    dlclose(handle);
    return nullptr;
  }
  return lib;
}

const CurlLibrary* curl_library(std::string& error) {
  static std::once_flag once;
  static const CurlLibrary* lib = nullptr;
  static std::string load_error;
  std::call_once(once, [] { lib = load_curl_library("libcurl.so.4", load_error); });
  if (lib == nullptr) error = load_error;
  return lib;
}

std::string curl_missing_message(const std::string& error) {
  return "reading containers needs libcurl (Debian: apt install libcurl4): " + error;
}

}  // namespace capguard::engine
