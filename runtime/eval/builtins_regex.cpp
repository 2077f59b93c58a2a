// Regular-expression built-ins on RE2 (linear-time, no backreferences): matches (partial match:
// anchor with ^...$), find (first match or null), find_all (every non-overlapping match).

#include <re2/re2.h>

#include <optional>
#include <unordered_map>

#include "runtime/eval/builtins_support.hpp"
#include "runtime/eval/simple_regex.hpp"

namespace capguard {

namespace {

// RE2's error text quotes the offending part of the pattern, which can be the whole (huge)
// pattern; a message stays readable at this length.
std::string clip(std::string text, size_t max = 120) {
  if (text.size() <= max) return text;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "...";
}

}  // namespace

std::shared_ptr<const re2::RE2> compile_regex(std::string_view pattern, std::string& error) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto re =
      std::make_shared<const re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    error = clip(re->error());
    return nullptr;
  }
  return re;
}

int regex_argument(BuiltinId id) {
  switch (id) {
    case builtin::Matches:
    case builtin::Find:
    case builtin::FindAll:
      return 1;
    default:
      return -1;
  }
}

namespace {

const char* regex_builtin_name(BuiltinId id) {
  switch (id) {
    case builtin::Matches:
      return "matches";
    case builtin::Find:
      return "find";
    default:
      return "find_all";
  }
}

re2::StringPiece piece(const std::string& s) {
  return re2::StringPiece(s.data(), s.size());
}

// A pattern that is not a constant is compiled on first use per thread and kept: as a
// SimpleRegex when it is in that subset (matches() of ASCII text then needs nothing else:
// runtime/eval/simple_regex.hpp), as RE2 when an answer first needs it. The cache is emptied when
// it grows past a bound, so a policy that builds patterns from data stays bounded.
struct CachedPattern {
  std::optional<SimpleRegex> simple;
  std::shared_ptr<const re2::RE2> re;  // null until needed (or while it does not compile)
};

CachedPattern& cached_pattern(const std::string& pattern) {
  constexpr size_t kMaxCached = 256;
  thread_local std::unordered_map<std::string, CachedPattern> cache;
  auto it = cache.find(pattern);
  if (it != cache.end()) return it->second;
  if (cache.size() >= kMaxCached) cache.clear();
  return cache.emplace(pattern, CachedPattern{SimpleRegex::parse(pattern), nullptr}).first->second;
}

// The pattern's RE2, compiled on first need; an invalid pattern is the builtin's error.
const re2::RE2& compiled_regex(std::string_view name, CachedPattern& cached,
                               const std::string& pattern) {
  if (!cached.re) {
    std::string error;
    cached.re = compile_regex(pattern, error);
    if (!cached.re) {
      builtins_impl::fail(name, "invalid regular expression \"" + clip(pattern) + "\": " + error);
    }
  }
  return *cached.re;
}

}  // namespace

Value call_builtin_regex(BuiltinId id, const Value* args, size_t, const re2::RE2& re) {
  const char* name = regex_builtin_name(id);
  const Value& subject = args[0];
  if (subject.is_null()) {
    if (id == builtin::Matches) return Value::boolean(false);
    if (id == builtin::Find) return subject;
    return Value::list({}, subject.span());
  }
  const std::string& text = builtins_impl::string_arg(name, args, 0);
  if (id == builtin::Matches) return Value::boolean(re2::RE2::PartialMatch(piece(text), re));
  re2::StringPiece input = piece(text);
  re2::StringPiece match;
  if (id == builtin::Find) {
    if (!re.Match(input, 0, input.size(), re2::RE2::UNANCHORED, &match, 1)) {
      return Value::null(subject.span());
    }
    return Value::string(std::string(match.data(), match.size()), subject.span());
  }
  List found;
  size_t pos = 0;
  while (pos <= input.size() &&
         re.Match(input, pos, input.size(), re2::RE2::UNANCHORED, &match, 1)) {
    found.push_back(Value::string(std::string(match.data(), match.size())));
    size_t end = static_cast<size_t>(match.data() - input.data()) + match.size();
    if (match.empty()) {
      // Step past one whole UTF-8 code point so an empty match cannot repeat forever.
      ++end;
      while (end < input.size() && (static_cast<unsigned char>(input[end]) & 0xC0) == 0x80) ++end;
    }
    pos = end;
  }
  return Value::list(std::move(found), subject.span());
}

namespace builtins_impl {

Value regex_call(BuiltinId id, const Value* a, size_t n) {
  const char* name = regex_builtin_name(id);
  const std::string& pattern = string_arg(name, a, 1);
  CachedPattern& cached = cached_pattern(pattern);
  // matches() of ASCII text against a pattern of SimpleRegex's subset (which RE2 accepts): the
  // same answer without RE2.
  if (id == builtin::Matches && cached.simple && a[0].is_string()) {
    SimpleRegex::Text text(a[0].as_string());
    if (text.ascii()) return Value::boolean(cached.simple->matches(text));
  }
  return call_builtin_regex(id, a, n, compiled_regex(name, cached, pattern));
}

}  // namespace builtins_impl
}  // namespace capguard
