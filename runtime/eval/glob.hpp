#pragma once
// Glob matching and path containment, for the built-ins glob and path_under and for any module
// that compares mount paths (paths are cleaned by lang/core/paths.hpp's clean_path).
//
// Glob syntax (matched against the whole text, by code point):
//   *      any run of characters except '/'
//   **     any run of characters, '/' included; "**/" also matches zero directories, so
//          "a/**/b" matches "a/b" and "a/x/y/b"
//   ?      one character except '/'
//   [abc] [a-z] [!a-z] [^a-z]   one character (not '/') in / not in the class; a ']' right after
//          '[' (or after '[!') is literal
//   \c     the character c itself
// Matching runs a set of pattern positions over the text: O(|text| * |pattern|), no
// backtracking blow-up.

#include <optional>
#include <string>
#include <string_view>

namespace capguard {

// Whether `text` matches `pattern`; nullopt with a reason in `error` when the pattern is invalid
// (unterminated '[', trailing '\').
std::optional<bool> glob_match(std::string_view text, std::string_view pattern, std::string& error);

// Whether `path` is `prefix` or lies below it, both cleaned first. "/" contains every absolute
// path; an absolute path is never under a relative prefix or the other way round.
bool path_is_under(std::string_view path, std::string_view prefix);

}  // namespace capguard
