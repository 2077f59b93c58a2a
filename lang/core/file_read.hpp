#pragma once
// The one way capguard reads a file, and the one place its input limits are set: compose files,
// inspect output, standard input, policies, waivers, configuration, params, env files, include: and
// extends: all go through here, so every read is bounded by one limit and every kind of path gets
// the same messages.
//
// - Size: at most max_input_bytes() bytes (default 64 MiB, CAPGUARD_MAX_INPUT_BYTES overrides it);
//   reading stops one chunk past the limit, so /dev/zero or an endless pipe is never read whole.
//   An input document read as ReadAs::Document whose text starts like JSON may be larger, up to
//   max_json_input_bytes() (1 GiB): the JSON reader's memory is proportional to the text (a
//   `docker inspect` array of 45,000 containers is about 300 MB), where the YAML library needs
//   about 15 times the text; such a text that is not strict JSON is refused by the YAML path.
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
// The message for a text past `limit` bytes (without the file's name).
std::string input_limit_error(size_t limit);

// The default limit on an input document that is JSON (see above).
constexpr size_t kDefaultMaxJsonInputBytes = size_t{1} << 30;
// CAPGUARD_MAX_INPUT_BYTES (or set_max_input_bytes()) when set, else kDefaultMaxJsonInputBytes.
size_t max_json_input_bytes();
// Sets this limit alone (set_max_input_bytes() sets both), for tests.
void set_max_json_input_bytes(size_t bytes);

// Parses a CAPGUARD_MAX_INPUT_BYTES value ("1048576", "64M"); nullopt when it is not one.
std::optional<size_t> parse_byte_count(const std::string& text);
// The error for an invalid CAPGUARD_MAX_INPUT_BYTES or CAPGUARD_MAX_SERVICES, or "" when both
// are unset or valid. `capguard` checks it first, a usage error (status 2).
std::string input_limit_env_error();

// The default limit on the services of one compose project (spec/robustness.md).
constexpr size_t kDefaultMaxServices = 10'000;

// The limit in force: CAPGUARD_MAX_SERVICES (a positive whole number, at most 1,000,000,000) when
// set and valid, else kDefaultMaxServices, unless set_max_services() was called.
size_t max_services();
void set_max_services(size_t count);
// The limit on the containers of one `docker inspect` array: CAPGUARD_MAX_SERVICES (or
// set_max_services()) when set, else none: the file's size bounds them, and their memory is
// proportional to it.
size_t max_containers();
// Parses a CAPGUARD_MAX_SERVICES value; nullopt when it is not one.
std::optional<size_t> parse_count(const std::string& text);

// What is read: any file (policies, env files, waivers...: max_input_bytes()), or an input
// document (a compose file or `docker inspect` output, as `check` reads them), which may be up to
// max_json_input_bytes() when its text starts like JSON (lang/core/json_text.hpp).
enum class ReadAs { Any, Document };

// Reads `path` ("-" is standard input) into `text`. On failure returns false with `error` set to
// a message without the path ("is a folder, not a file", "is larger than the limit of ...").
// A stream (a pipe, standard input) is read once: its text is kept for a second reader of the same
// path when it is at most 64 MiB; a larger one read again is an error ("was read already").
bool read_bounded(const std::string& path, std::string& text, std::string& error,
                  ReadAs as = ReadAs::Any);

// False when `path` is a regular file whose first 4 KiB do not start like JSON (json_text.hpp),
// without reading the rest; true for anything else (a pipe, a folder, a file that cannot be read:
// reading it says what it is).
bool file_may_be_json(const std::string& path);

// Reads `path` and registers it as a source named `name` (default: the path; standard input is
// named "-", as on the command line and in every report). Failures are file errors naming the
// file.
std::optional<FileId> read_source(const std::string& path, Diagnostics& diags,
                                  const std::string& name = "", ReadAs as = ReadAs::Any);

// Decodes UTF-16 / UTF-32 text (see above) to UTF-8 in place; false with `error` set when the text
// is malformed. Text in no such encoding is left as is.
bool decode_unicode(std::string& text, std::string& error);

}  // namespace capguard
