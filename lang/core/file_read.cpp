#include "lang/core/file_read.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include <fmt/format.h>

#include "lang/core/json_text.hpp"

namespace capguard {

namespace {

std::atomic<size_t> g_limit{0};       // 0: not decided yet
std::atomic<size_t> g_json_limit{0};  // 0: not decided yet
std::atomic<size_t> g_services{0};    // 0: not decided yet
std::atomic<size_t> g_containers{0};  // 0: not decided yet

// A stream's text is kept for a second reader of the same path up to this size.
constexpr size_t kMaxCachedStream = size_t{64} << 20;

// Streams can be read once: their text, by path, for the second reader: a copy (read_bounded, up
// to kMaxCachedStream), or the source that read_source registered (not copied).
struct StreamText {
  std::optional<std::string> text;
  FileId id = 0;
};
struct StreamCache {
  std::mutex mutex;
  std::map<std::string, StreamText> texts;
};
StreamCache& stream_cache() {
  static StreamCache c;
  return c;
}

std::string human_bytes(size_t n) {
  if (n >= (size_t{1} << 30) && n % (size_t{1} << 30) == 0) return fmt::format("{} GiB", n >> 30);
  if (n >= (size_t{1} << 20) && n % (size_t{1} << 20) == 0) return fmt::format("{} MiB", n >> 20);
  if (n >= (size_t{1} << 10) && n % (size_t{1} << 10) == 0) return fmt::format("{} KiB", n >> 10);
  return fmt::format("{} bytes", n);
}

// What a non-regular, non-pipe file is, for the message; "" when it may be read.
std::string refused_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "is a folder, not a file";
  if (S_ISCHR(mode)) return "is a character device, not a file";
  if (S_ISBLK(mode)) return "is a block device, not a file";
  if (S_ISSOCK(mode)) return "is a socket, not a file";
  if (S_ISREG(mode) || S_ISFIFO(mode)) return "";
  return "is not a regular file";
}

// Reads `fd` to its end, at most `limit` bytes, or `json_limit` bytes when the text starts like
// JSON. `size_hint` reserves up front.
bool read_fd(int fd, size_t limit, size_t json_limit, size_t size_hint, std::string& text,
             std::string& error) {
  text.clear();
  // Whether `got` more bytes after `used` stay within the limit: past it only when what came
  // first (`start`: the text so far, or these bytes when they are the first) looks like JSON.
  auto within_limit = [&](size_t used, size_t got, std::string_view start) {
    if (used + got > limit && json_limit > limit && looks_like_json(start)) limit = json_limit;
    if (used + got <= limit) return true;
    error = input_limit_error(limit);
    text.clear();
    text.shrink_to_fit();
    return false;
  };
  auto fail = [&](int code) {
    error = code == EISDIR ? std::string("is a folder, not a file")
                           : fmt::format("cannot be read: {}", std::strerror(code));
    text.clear();
    text.shrink_to_fit();
    return false;
  };
  // A regular file is read straight into `text`, its size known (no buffer on the stack: 64 KB
  // of it cost a page fault for every 4 KB the read wrote, issue 15).
  if (size_hint > 0 && size_hint <= std::max(limit, json_limit)) {
    text.resize(size_hint);
    size_t used = 0;
    while (used < size_hint) {
      ssize_t n = ::read(fd, text.data() + used, size_hint - used);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return fail(errno);
      if (n == 0) break;
      size_t got = static_cast<size_t>(n);
      if (!within_limit(used, got, std::string_view(text.data(), used == 0 ? got : used))) {
        return false;
      }
      used += got;
    }
    text.resize(used);
    if (used < size_hint) return true;  // it ended early (it shrank meanwhile)
  }
  // A stream, or what a regular file holds past its size (it grew): read in chunks and
  // appended, the buffer on the heap and only when there is more than a small probe shows.
  char probe[512];
  std::unique_ptr<char[]> chunk;
  for (;;) {
    char* at = chunk ? chunk.get() : probe;
    size_t room = chunk ? size_t{65536} : sizeof probe;
    ssize_t n = ::read(fd, at, room);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(errno);
    if (n == 0) break;
    size_t got = static_cast<size_t>(n);
    std::string_view start = text.empty() ? std::string_view(at, got) : std::string_view(text);
    if (!within_limit(text.size(), got, start)) return false;
    text.append(at, got);
    if (!chunk) chunk.reset(new char[65536]);
  }
  return true;
}

bool is_stdin_path(const std::string& path) {
  return path == "-" || path == "/dev/stdin" || path == "/dev/fd/0" || path == "/proc/self/fd/0";
}

// The first 4 KiB of a regular file (fewer when it is shorter), to tell what its text may be;
// nullopt when they cannot be read.
constexpr size_t kHeadBytes = 4096;
std::optional<std::string> file_head(int fd) {
  std::string head(kHeadBytes, '\0');
  ssize_t n;
  do {
    n = ::pread(fd, head.data(), head.size(), 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return std::nullopt;
  head.resize(static_cast<size_t>(n));
  return head;
}

bool read_uncached(const std::string& path, std::string& text, std::string& error, bool& stream,
                   ReadAs as) {
  size_t limit = max_input_bytes();
  size_t json_limit = as == ReadAs::Document ? max_json_input_bytes() : limit;
  stream = false;
  if (path == "-") {
    struct stat st {};
    if (::fstat(STDIN_FILENO, &st) != 0) {
      error = fmt::format("cannot be read: {}", std::strerror(errno));
      return false;
    }
    if (S_ISDIR(st.st_mode)) {
      error = "is a folder, not a file";
      return false;
    }
    stream = !S_ISREG(st.st_mode);
    return read_fd(STDIN_FILENO, limit, json_limit,
                   S_ISREG(st.st_mode) ? static_cast<size_t>(st.st_size) : 0, text, error);
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    error = errno == ENOENT || errno == ENOTDIR
                ? std::string("no such file")
                : fmt::format("cannot be read: {}", std::strerror(errno));
    return false;
  }
  if (std::string kind = refused_kind(st.st_mode); !kind.empty()) {
    error = kind;
    return false;
  }
  if (S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) > std::max(limit, json_limit)) {
    error = input_limit_error(std::max(limit, json_limit));
    return false;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = fmt::format("cannot be opened: {}", std::strerror(errno));
    return false;
  }
  // A regular file past the limit is read only when it starts like JSON (and may be so large).
  if (S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) > limit &&
      !looks_like_json(file_head(fd).value_or(""))) {
    ::close(fd);
    error = input_limit_error(limit);
    return false;
  }
  // The file may have been replaced between stat and open: decide again on what was opened.
  struct stat opened {};
  if (::fstat(fd, &opened) == 0) {
    if (std::string kind = refused_kind(opened.st_mode); !kind.empty()) {
      ::close(fd);
      error = kind;
      return false;
    }
  }
  stream = S_ISFIFO(opened.st_mode);
  bool ok = read_fd(fd, limit, json_limit,
                    S_ISREG(opened.st_mode) ? static_cast<size_t>(opened.st_size) : 0, text, error);
  ::close(fd);
  return ok;
}

void put_utf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

enum class Encoding { Utf8, Utf16LE, Utf16BE, Utf32LE, Utf32BE };

// The encoding of `t` and the length of its byte order mark, as YAML 1.2 section 5.2 detects them.
Encoding detect(const std::string& t, size_t& bom) {
  auto b = [&](size_t i) { return i < t.size() ? static_cast<unsigned char>(t[i]) : 0x100u; };
  bom = 0;
  if (b(0) == 0 && b(1) == 0 && b(2) == 0xFE && b(3) == 0xFF) return bom = 4, Encoding::Utf32BE;
  if (b(0) == 0xFF && b(1) == 0xFE && b(2) == 0 && b(3) == 0) return bom = 4, Encoding::Utf32LE;
  if (b(0) == 0xFE && b(1) == 0xFF) return bom = 2, Encoding::Utf16BE;
  if (b(0) == 0xFF && b(1) == 0xFE) return bom = 2, Encoding::Utf16LE;
  if (t.size() >= 4 && b(0) == 0 && b(1) == 0 && b(2) == 0 && b(3) != 0) return Encoding::Utf32BE;
  if (t.size() >= 4 && b(0) != 0 && b(1) == 0 && b(2) == 0 && b(3) == 0) return Encoding::Utf32LE;
  if (t.size() >= 2 && b(0) == 0 && b(1) != 0) return Encoding::Utf16BE;
  if (t.size() >= 2 && b(0) != 0 && b(1) == 0) return Encoding::Utf16LE;
  return Encoding::Utf8;
}

// Whether a regular file may be JSON, from its first 4 KiB: they start like JSON, or they are
// UTF-16/32 (decoded only once read), or they are all blank (the text may start after them).
bool head_may_be_json(int fd) {
  std::optional<std::string> head = file_head(fd);
  if (!head) return true;
  if (head->empty()) return false;
  if (looks_like_json(*head)) return true;
  size_t bom = 0;
  if (detect(*head, bom) != Encoding::Utf8) return true;
  return head->size() == kHeadBytes && head->find_first_not_of(" \t\r\n") == std::string::npos;
}

}  // namespace

std::optional<size_t> parse_byte_count(const std::string& text) {
  if (text.empty()) return std::nullopt;
  size_t i = 0;
  uint64_t n = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    n = n * 10 + static_cast<uint64_t>(text[i] - '0');
    if (n > (uint64_t{1} << 50)) return std::nullopt;
  }
  if (i == 0) return std::nullopt;
  std::string suffix = text.substr(i);
  unsigned shift = 0;
  if (suffix == "K" || suffix == "k" || suffix == "KiB") {
    shift = 10;
  } else if (suffix == "M" || suffix == "m" || suffix == "MiB") {
    shift = 20;
  } else if (suffix == "G" || suffix == "g" || suffix == "GiB") {
    shift = 30;
  } else if (!suffix.empty()) {
    return std::nullopt;
  }
  n <<= shift;
  if (n == 0) return std::nullopt;
  return static_cast<size_t>(n);
}

std::optional<size_t> parse_count(const std::string& text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  uint64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  if (n == 0 || n > 1'000'000'000) return std::nullopt;
  return static_cast<size_t>(n);
}

std::string input_limit_env_error() {
  const char* env = std::getenv("CAPGUARD_MAX_INPUT_BYTES");
  if (env != nullptr && !parse_byte_count(env))
    return fmt::format(
        "CAPGUARD_MAX_INPUT_BYTES={}: expected a positive number of bytes, optionally with a K, M "
        "or G suffix",
        env);
  env = std::getenv("CAPGUARD_MAX_SERVICES");
  if (env != nullptr && !parse_count(env))
    return fmt::format(
        "CAPGUARD_MAX_SERVICES={}: expected a positive whole number of services (at most "
        "1000000000)",
        env);
  return "";
}

namespace {
// A limit: the value set_max_...() stored in `slot`, else the environment variable `name` (read
// once; an invalid value is reported by input_limit_env_error), else `fallback`.
size_t limit_from(std::atomic<size_t>& slot, const char* name,
                  std::optional<size_t> (*parse)(const std::string&), size_t fallback) {
  size_t limit = slot.load();
  if (limit != 0) return limit;
  const char* env = std::getenv(name);
  std::optional<size_t> parsed = env != nullptr ? parse(env) : std::nullopt;
  limit = parsed ? *parsed : fallback;
  slot.store(limit);
  return limit;
}
}  // namespace

std::string input_limit_error(size_t limit) {
  std::string human = human_bytes(limit);
  return fmt::format(
      "file is larger than the limit of {} bytes{} (CAPGUARD_MAX_INPUT_BYTES sets it)", limit,
      human == fmt::format("{} bytes", limit) ? "" : ", " + human);
}

size_t max_services() {
  return limit_from(g_services, "CAPGUARD_MAX_SERVICES", parse_count, kDefaultMaxServices);
}

size_t max_containers() {
  return limit_from(g_containers, "CAPGUARD_MAX_SERVICES", parse_count,
                    std::numeric_limits<size_t>::max());
}

void set_max_services(size_t count) {
  g_services.store(count == 0 ? 1 : count);
  g_containers.store(count == 0 ? 1 : count);
}

size_t max_input_bytes() {
  return limit_from(g_limit, "CAPGUARD_MAX_INPUT_BYTES", parse_byte_count, kDefaultMaxInputBytes);
}

size_t max_json_input_bytes() {
  return limit_from(g_json_limit, "CAPGUARD_MAX_INPUT_BYTES", parse_byte_count,
                    kDefaultMaxJsonInputBytes);
}

void set_max_json_input_bytes(size_t bytes) {
  g_json_limit.store(bytes == 0 ? 1 : bytes);
}

void set_max_input_bytes(size_t bytes) {
  g_limit.store(bytes == 0 ? 1 : bytes);
  g_json_limit.store(bytes == 0 ? 1 : bytes);
}

bool decode_unicode(std::string& text, std::string& error) {
  size_t bom = 0;
  Encoding enc = detect(text, bom);
  if (enc == Encoding::Utf8) return true;
  bool wide = enc == Encoding::Utf32LE || enc == Encoding::Utf32BE;
  bool little = enc == Encoding::Utf16LE || enc == Encoding::Utf32LE;
  const char* name = wide ? (little ? "UTF-32LE" : "UTF-32BE") : (little ? "UTF-16LE" : "UTF-16BE");
  size_t unit = wide ? 4 : 2;
  if ((text.size() - bom) % unit != 0) {
    error = fmt::format("is not valid {}: {} bytes is not a whole number of {}-byte units", name,
                        text.size(), unit);
    return false;
  }
  auto read_unit = [&](size_t at) {
    uint32_t v = 0;
    for (size_t k = 0; k < unit; ++k) {
      uint32_t byte = static_cast<unsigned char>(text[at + (little ? unit - 1 - k : k)]);
      v = (v << 8) | byte;
    }
    return v;
  };
  std::string out;
  out.reserve(text.size());
  for (size_t at = bom; at < text.size(); at += unit) {
    uint32_t cp = read_unit(at);
    if (!wide && cp >= 0xD800 && cp <= 0xDBFF) {
      if (at + 2 * unit > text.size()) {
        error = fmt::format("is not valid {}: unpaired surrogate at byte {}", name, at);
        return false;
      }
      uint32_t low = read_unit(at + unit);
      if (low < 0xDC00 || low > 0xDFFF) {
        error = fmt::format("is not valid {}: unpaired surrogate at byte {}", name, at);
        return false;
      }
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      at += unit;
    } else if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      error = fmt::format("is not valid {}: invalid character U+{:X} at byte {}", name, cp, at);
      return false;
    }
    put_utf8(cp, out);
  }
  text = std::move(out);
  return true;
}

namespace {

std::string cache_key(const std::string& path) {
  return is_stdin_path(path) ? std::string("-") : path;
}

// Reads `key` (standard input is "-"), or gives the text of a stream read before. `stream` is
// set when the text is fresh from a stream, for the caller to keep for a second reader.
bool read_once(const std::string& key, std::string& text, std::string& error, ReadAs as,
               bool& stream) {
  stream = false;
  StreamCache& cache = stream_cache();
  {
    std::lock_guard<std::mutex> lock(cache.mutex);
    auto it = cache.texts.find(key);
    if (it != cache.texts.end()) {
      if (it->second.id != 0 && !source(it->second.id).released()) {
        text = source(it->second.id).text();
        return true;
      }
      if (it->second.text) {
        text = *it->second.text;
        return true;
      }
      error = fmt::format(
          "was read already: a stream is read once, and its text is kept for a second reader "
          "only up to {} bytes",
          kMaxCachedStream);
      return false;
    }
  }
  if (!read_uncached(key, text, error, stream, as)) return false;
  if (!decode_unicode(text, error)) return false;
  stream = stream || key == "-";  // standard input is consumed even when it is a file
  return true;
}

}  // namespace

bool read_bounded(const std::string& path, std::string& text, std::string& error, ReadAs as) {
  std::string key = cache_key(path);
  bool stream = false;
  if (!read_once(key, text, error, as, stream)) return false;
  if (stream) {
    StreamCache& cache = stream_cache();
    std::lock_guard<std::mutex> lock(cache.mutex);
    StreamText& kept = cache.texts[key];
    if (text.size() <= kMaxCachedStream) kept.text = text;
  }
  return true;
}

bool file_may_be_json(const std::string& path) {
  if (is_stdin_path(path)) return true;
  // stat first: a named pipe is never opened here (opening and closing its read end would let a
  // writer waiting in open(2) go on, and then fail for want of a reader).
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return true;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return true;
  struct stat opened {};
  bool json = ::fstat(fd, &opened) != 0 || !S_ISREG(opened.st_mode) || head_may_be_json(fd);
  ::close(fd);
  return json;
}

std::optional<FileId> read_source(const std::string& path, Diagnostics& diags,
                                  const std::string& name, ReadAs as) {
  std::string text, error;
  const std::string& shown = !name.empty() ? name : path;  // standard input is "-"
  std::string key = cache_key(path);
  bool stream = false;
  if (!read_once(key, text, error, as, stream)) {
    diags.file_error(shown, error);
    return std::nullopt;
  }
  FileId id = add_source(shown, std::move(text));
  if (stream) {  // a second reader gets the registered text, not a copy kept beside it
    StreamCache& cache = stream_cache();
    std::lock_guard<std::mutex> lock(cache.mutex);
    cache.texts[key].id = id;
  }
  return id;
}

}  // namespace capguard
