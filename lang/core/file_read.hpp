#pragma once
// The one way capguard reads a file, and the one place its input limits are set: compose files,
// inspect output, standard input, policies, waivers, configuration, params, env files, include: and
// extends: all go through here, so every read is bounded by one limit and every kind of path gets
// the same messages.
//
// - Size: at most max_input_bytes() bytes (default 64 MiB, CAPGUARD_MAX_INPUT_BYTES overrides it);
//   reading stops one chunk past the limit, so /dev/zero or an endless pipe is never read whole.
// - Kinds: a regular file is read; a pipe (`<(...)`, `/dev/stdin` on a pipe) is read as a stream,
//   once: a second read of the same path returns the first text. A folder, a character or block
//   device and a socket are refused with a message saying what they are.
// - Encoding: UTF-16 and UTF-32 (with a byte order mark, or detected from the NUL pattern of the
//   first characters as YAML 1.2 section 5.2 does) are decoded to UTF-8, so line and column are
//   those of the text the user sees; malformed UTF-16/32 is an error. A UTF-8 BOM is kept (the
//   YAML loader skips it).

#include <cstddef>
#include <optional>
#include <string>

#include "lang/core/diagnostics.hpp"
#include "lang/core/source.hpp"

namespace capguard {

// The default limit on the bytes of one file or stream.
constexpr size_t kDefaultMaxInputBytes = size_t{64} << 20;

// The limit in force: CAPGUARD_MAX_INPUT_BYTES (a number of bytes, optionally with a K, M or G
// suffix, powers of 1024) when set and valid, else kDefaultMaxInputBytes, unless
// set_max_input_bytes() was called.
size_t max_input_bytes();
void set_max_input_bytes(size_t bytes);
// Parses a CAPGUARD_MAX_INPUT_BYTES value ("1048576", "64M"); nullopt when it is not one.
std::optional<size_t> parse_byte_count(const std::string& text);
// The error for an invalid CAPGUARD_MAX_INPUT_BYTES or CAPGUARD_MAX_SERVICES, or "" when both
// are unset or valid. `capguard` checks it first, a usage error (status 2).
std::string input_limit_env_error();

// The default limit on the services of one compose project, and on the containers of one
// `docker inspect` array (spec/robustness.md).
constexpr size_t kDefaultMaxServices = 10'000;

// The limit in force: CAPGUARD_MAX_SERVICES (a positive whole number, at most 1,000,000,000) when
// set and valid, else kDefaultMaxServices, unless set_max_services() was called.
size_t max_services();
void set_max_services(size_t count);
// Parses a CAPGUARD_MAX_SERVICES value; nullopt when it is not one.
std::optional<size_t> parse_count(const std::string& text);

// Reads `path` ("-" is standard input) into `text`. On failure returns false with `error` set to
// a message without the path ("is a folder, not a file", "is larger than the limit of ...").
bool read_bounded(const std::string& path, std::string& text, std::string& error);

// Reads `path` and registers it as a source named `name` (default: the path; standard input is
// named "-", as on the command line and in every report). Failures are file errors naming the
// file.
std::optional<FileId> read_source(const std::string& path, Diagnostics& diags,
                                  const std::string& name = "");

// Decodes UTF-16 / UTF-32 text (see above) to UTF-8 in place; false with `error` set when the text
// is malformed. Text in no such encoding is left as is.
bool decode_unicode(std::string& text, std::string& error);

}  // namespace capguard
