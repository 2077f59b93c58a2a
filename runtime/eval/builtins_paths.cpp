// Glob and path built-ins: glob(s, pattern), path_under(path, prefix), clean_path(p). The
// matching itself is runtime/eval/glob.hpp.

#include "lang/core/paths.hpp"
#include "runtime/eval/builtins_support.hpp"
#include "runtime/eval/glob.hpp"

namespace capguard::builtins_impl {

Value glob(const Value* a, size_t) {
  const std::string& pattern = string_arg("glob", a, 1);
  if (a[0].is_null()) return Value::boolean(false);
  std::string error;
  std::optional<bool> hit = glob_match(string_arg("glob", a, 0), pattern, error);
  if (!hit) fail("glob", "invalid pattern \"" + pattern + "\": " + error);
  return Value::boolean(*hit);
}

Value path_under(const Value* a, size_t) {
  const std::string& prefix = string_arg("path_under", a, 1);
  if (a[0].is_null()) return Value::boolean(false);
  return Value::boolean(path_is_under(string_arg("path_under", a, 0), prefix));
}

Value clean_path(const Value* a, size_t) {
  if (a[0].is_null()) return a[0];
  return Value::string(capguard::clean_path(string_arg("clean_path", a, 0)), a[0].span());
}

}  // namespace capguard::builtins_impl
