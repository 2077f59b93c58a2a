#pragma once
// Unit parsing for sizes and durations, shared by the policy parser (literals such as `256M`),
// the compose loader and normalizer (`mem_limit: 1.5g`, `interval: 1m30s`) and the built-ins
// `size(x)` and `duration(x)`.
//
// Sizes follow Docker's memory units (go-units RAMInBytes): a non-negative decimal number, an
// optional single space, then an optional unit k, m, g, t or p (case-insensitive), optionally
// followed by `i` and/or `b` ("512", "100b", "64k", "256M", "512Mi", "1GiB", "1.5g", "2 GB").
// Every unit is binary (1024). Fractions are allowed and the result is truncated to whole bytes.
//
// Durations follow Go's time.ParseDuration: an optional sign, then one or more decimal numbers
// each with a unit ns, us (or µs, μs), ms, s, m or h ("30s", "1m30s", "1.5h", "500ms", "-2s").
// "0" alone is zero. Results are nanoseconds.
//
// All functions are pure, allocation-free on success, and never throw.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace capguard::units {

// Bytes, or nullopt with a one-line reason in `error` ("invalid size \"12x\": unknown unit
// \"x\"").
std::optional<int64_t> parse_size(std::string_view text, std::string& error);
std::optional<int64_t> parse_size(std::string_view text);

// Nanoseconds, or nullopt with a one-line reason in `error`.
std::optional<int64_t> parse_duration(std::string_view text, std::string& error);
std::optional<int64_t> parse_duration(std::string_view text);

// Multiplier of a size unit suffix as written after the number ("", "b", "K", "Mi", "GiB"...,
// case-insensitive), or nullopt when it is not a size unit. Lets a lexer decide whether a
// number's suffix makes it a size literal.
std::optional<int64_t> size_unit(std::string_view suffix);

// Nanoseconds per unit of a duration unit ("ns", "us", "µs", "μs", "ms", "s", "m", "h";
// case-sensitive, as in Go), or nullopt.
std::optional<int64_t> duration_unit(std::string_view suffix);

}  // namespace capguard::units
