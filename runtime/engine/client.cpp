#include "runtime/engine/client.hpp"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "runtime/engine/curl_library.hpp"

namespace capguard::engine {

namespace {

// What the write callbacks see.
struct Transfer {
  std::string* body = nullptr;
  size_t max_bytes = 0;
  bool too_large = false;
  // Streaming (events): complete lines go to on_line; `line` holds the unfinished one.
  const std::function<bool(std::string_view)>* on_line = nullptr;
  std::string line;
  bool consumer_done = false;
  const std::atomic<bool>* stop = nullptr;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  if (t->on_line == nullptr) {
    if (t->body->size() + n > t->max_bytes) {
      t->too_large = true;
      return 0;  // curl stops with CURLE_WRITE_ERROR
    }
    t->body->append(data, n);
    return n;
  }
  for (size_t i = 0; i < n; ++i) {
    if (data[i] != '\n') {
      if (t->line.size() >= t->max_bytes) {
        t->too_large = true;
        return 0;
      }
      t->line += data[i];
      continue;
    }
    if (!t->line.empty() && !(*t->on_line)(t->line)) {
      t->consumer_done = true;
      return 0;
    }
    t->line.clear();
  }
  return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* headers = static_cast<std::string*>(user);
  size_t n = size * count;
  if (headers->size() + n <= (64 << 10)) headers->append(data, n);
  return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  return t->stop != nullptr && t->stop->load() ? 1 : 0;
}

struct Easy {
  const CurlLibrary& curl;
  CURL* h;
  explicit Easy(const CurlLibrary& c) : curl(c), h(c.easy_init()) {}
  ~Easy() { curl.easy_cleanup(h); }
  Easy(const Easy&) = delete;
  Easy& operator=(const Easy&) = delete;
};

// The error of a failed transfer, in words a user can act on.
EngineError transfer_error(const CurlLibrary& curl, const EngineHost& host, CURL* h, CURLcode code,
                           const Transfer& t, const char* errbuf, size_t max_bytes) {
  long os_errno = 0;
  curl.easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
  std::string detail = errbuf[0] != '\0' ? errbuf : curl.easy_strerror(code);
  std::string where = host.is_unix ? host.socket_path : host.address;
  switch (code) {
    case CURLE_WRITE_ERROR:
      if (t.too_large) {
        return {ErrorKind::TooLarge,
                fmt::format("the answer is larger than {} bytes; not read", max_bytes)};
      }
      break;
    case CURLE_ABORTED_BY_CALLBACK:
      return {ErrorKind::Interrupted, "interrupted"};
    case CURLE_COULDNT_CONNECT:
      if (os_errno == EACCES || os_errno == EPERM) {
        return {ErrorKind::PermissionDenied,
                fmt::format("permission denied connecting to {} (this user may not use the "
                            "engine: it needs to be in the socket's group, e.g. docker, or root)",
                            where)};
      }
      if (os_errno == ENOENT) {
        return {ErrorKind::Unreachable,
                fmt::format("no socket at {}: is the Docker daemon running?", where)};
      }
      if (os_errno == ECONNREFUSED) {
        return {ErrorKind::Unreachable,
                fmt::format("connection refused at {}: is the Docker daemon running?", where)};
      }
      return {ErrorKind::Unreachable, fmt::format("cannot connect to {}: {}", where, detail)};
    case CURLE_COULDNT_RESOLVE_HOST:
      return {ErrorKind::Unreachable, fmt::format("cannot resolve {}: {}", where, detail)};
    case CURLE_OPERATION_TIMEDOUT:
      return {ErrorKind::Timeout, fmt::format("no answer in time: {}", detail)};
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CIPHER:
      return {ErrorKind::Tls, fmt::format("TLS: {}", detail)};
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
      return {ErrorKind::Unreachable, fmt::format("the connection broke: {}", detail)};
    default:
      break;
  }
  return {ErrorKind::Protocol, detail};
}

// The options every request shares: where, TLS, timeouts.
void set_common(const CurlLibrary& curl, CURL* h, const EngineHost& host,
                const ClientLimits& limits, char* errbuf) {
  curl.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl.easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, limits.connect_timeout_ms);
  curl.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl.easy_setopt(h, CURLOPT_USERAGENT, "capguard");
  if (host.is_unix) {
    curl.easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, host.socket_path.c_str());
    curl.easy_setopt(h, CURLOPT_NOPROXY, "*");
  } else if (host.tls) {
    if (!host.ca_file.empty()) curl.easy_setopt(h, CURLOPT_CAINFO, host.ca_file.c_str());
    if (!host.cert_file.empty()) curl.easy_setopt(h, CURLOPT_SSLCERT, host.cert_file.c_str());
    if (!host.key_file.empty()) curl.easy_setopt(h, CURLOPT_SSLKEY, host.key_file.c_str());
    curl.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, host.tls_verify ? 1L : 0L);
    curl.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, host.tls_verify ? 2L : 0L);
  }
}

}  // namespace

EngineClient::EngineClient(EngineHost host, ClientLimits limits)
    : host_(std::move(host)), limits_(limits), curl_(curl_library(curl_error_)) {}

std::string EngineClient::url(const std::string& path, bool versioned) const {
  std::string base =
      host_.is_unix ? "http://localhost" : (host_.tls ? "https://" : "http://") + host_.address;
  return base + (versioned ? "/v" + api_.text() : "") + path;
}

std::optional<EngineError> EngineClient::get(const std::string& path, bool versioned,
                                             size_t max_bytes, Response& out) {
  if (curl_ == nullptr) return EngineError{ErrorKind::Protocol, curl_missing_message(curl_error_)};
  Easy easy(*curl_);
  if (easy.h == nullptr) return EngineError{ErrorKind::Protocol, "cannot start libcurl"};
  char errbuf[CURL_ERROR_SIZE] = {0};
  set_common(*curl_, easy.h, host_, limits_, errbuf);
  std::string u = url(path, versioned);
  Transfer t;
  t.body = &out.body;
  t.max_bytes = max_bytes;
  curl_->easy_setopt(easy.h, CURLOPT_URL, u.c_str());
  curl_->easy_setopt(easy.h, CURLOPT_TIMEOUT_MS, limits_.request_timeout_ms);
  curl_->easy_setopt(easy.h, CURLOPT_WRITEFUNCTION, on_body);
  curl_->easy_setopt(easy.h, CURLOPT_WRITEDATA, &t);
  curl_->easy_setopt(easy.h, CURLOPT_HEADERFUNCTION, on_header);
  curl_->easy_setopt(easy.h, CURLOPT_HEADERDATA, &out.headers);
  CURLcode code = curl_->easy_perform(easy.h);
  if (code != CURLE_OK) return transfer_error(*curl_, host_, easy.h, code, t, errbuf, max_bytes);
  curl_->easy_getinfo(easy.h, CURLINFO_RESPONSE_CODE, &out.status);
  if (out.status == 404) {
    return EngineError{ErrorKind::NotFound, error_message(out.body)};
  }
  if (out.status < 200 || out.status >= 300) {
    return EngineError{ErrorKind::Http,
                       fmt::format("GET {}: HTTP {}: {}", path.substr(0, path.find('?')),
                                   out.status, error_message(out.body))};
  }
  return std::nullopt;
}

std::optional<EngineError> EngineClient::connect(std::optional<ApiVersion> pinned) {
  Response ping;
  if (auto e = get("/_ping", false, limits_.max_small_bytes, ping)) {
    if (e->kind == ErrorKind::Http && ping.body.find("HTTPS server") != std::string::npos) {
      e->kind = ErrorKind::Tls;
      e->message =
          "the engine speaks TLS: set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH (or "
          "DOCKER_TLS=1), as for the docker CLI";
    } else if (e->kind == ErrorKind::Http || e->kind == ErrorKind::NotFound) {
      e->kind = ErrorKind::Protocol;
      e->message = fmt::format("not a Docker engine: GET /_ping answered HTTP {}: {}", ping.status,
                               error_message(ping.body));
    }
    return e;
  }
  Response version;
  if (auto e = get("/version", false, limits_.max_small_bytes, version)) return e;
  std::string why;
  auto v = parse_version(version.body, why);
  if (!v) return EngineError{ErrorKind::Protocol, why};
  server_ = *v;
  // /_ping's API-Version header is what the docker CLI negotiates with; /version says the same.
  std::string server_api = header_value(ping.headers, "Api-Version").value_or(v->api_version);
  auto parsed = parse_api_version(server_api);
  if (!parsed) {
    return EngineError{ErrorKind::Protocol,
                       fmt::format("the engine's API version `{}` is not MAJOR.MINOR", server_api)};
  }
  auto use = negotiate(*parsed, pinned, why);
  if (!use) return EngineError{ErrorKind::ApiTooOld, why};
  api_ = *use;
  return std::nullopt;
}

std::optional<EngineError> EngineClient::list(const Selection& selection,
                                              std::vector<ContainerSummary>& out) {
  Response r;
  if (auto e = get(list_path(selection), true, limits_.max_list_bytes, r)) {
    if (e->kind == ErrorKind::NotFound) e->kind = ErrorKind::Protocol;
    return e;
  }
  std::string why;
  auto list = parse_container_list(r.body, why);
  if (!list) return EngineError{ErrorKind::Protocol, why};
  out = std::move(*list);
  return std::nullopt;
}

std::optional<EngineError> EngineClient::inspect(const std::string& id_or_name, std::string& body) {
  Response r;
  auto e =
      get("/containers/" + url_encode(id_or_name) + "/json", true, limits_.max_inspect_bytes, r);
  if (e) return e;
  body = std::move(r.body);
  return std::nullopt;
}

std::optional<EngineError> EngineClient::events(
    const std::function<bool(const EngineEvent&)>& on_event, const std::atomic<bool>& stop,
    long long since_nano) {
  if (curl_ == nullptr) return EngineError{ErrorKind::Protocol, curl_missing_message(curl_error_)};
  Easy easy(*curl_);
  if (easy.h == nullptr) return EngineError{ErrorKind::Protocol, "cannot start libcurl"};
  char errbuf[CURL_ERROR_SIZE] = {0};
  set_common(*curl_, easy.h, host_, limits_, errbuf);
  std::string u = url(events_path(since_nano), true);
  std::optional<EngineError> bad_line;
  std::function<bool(std::string_view)> on_line = [&](std::string_view line) {
    std::string why;
    auto event = parse_event(line, why);
    if (!event) {
      bad_line = EngineError{ErrorKind::Protocol, why};
      return false;
    }
    return on_event(*event);
  };
  std::string body;
  Transfer t;
  t.body = &body;
  t.max_bytes = limits_.max_event_line_bytes;
  t.on_line = &on_line;
  t.stop = &stop;
  std::string headers;
  curl_->easy_setopt(easy.h, CURLOPT_URL, u.c_str());
  curl_->easy_setopt(easy.h, CURLOPT_WRITEFUNCTION, on_body);
  curl_->easy_setopt(easy.h, CURLOPT_WRITEDATA, &t);
  curl_->easy_setopt(easy.h, CURLOPT_HEADERFUNCTION, on_header);
  curl_->easy_setopt(easy.h, CURLOPT_HEADERDATA, &headers);
  curl_->easy_setopt(easy.h, CURLOPT_NOPROGRESS, 0L);
  curl_->easy_setopt(easy.h, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_->easy_setopt(easy.h, CURLOPT_XFERINFODATA, &t);
  CURLcode code = curl_->easy_perform(easy.h);
  if (bad_line) return bad_line;
  if (t.consumer_done) return std::nullopt;
  if (stop.load()) return EngineError{ErrorKind::Interrupted, "interrupted"};
  if (code != CURLE_OK) {
    return transfer_error(*curl_, host_, easy.h, code, t, errbuf, limits_.max_event_line_bytes);
  }
  long status = 0;
  curl_->easy_getinfo(easy.h, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status >= 300) {
    return EngineError{ErrorKind::Http, fmt::format("GET /events: HTTP {}", status)};
  }
  return EngineError{ErrorKind::Unreachable, "the event stream ended (the daemon stopped?)"};
}

std::string describe(const EngineHost& host, const EngineError& error) {
  return fmt::format("docker host {}: {}", host.label, error.message);
}

}  // namespace capguard::engine
