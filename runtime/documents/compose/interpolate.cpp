#include "runtime/documents/compose/interpolate.hpp"

#include <set>
#include <tuple>

#include <fmt/format.h>

namespace capguard {
namespace {

bool is_name_start(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

class Interpolator {
 public:
  Interpolator(const Environment& env, const Span& span, Diagnostics& diags, std::string_view whole)
      : env_(env), span_(span), diags_(diags), whole_(whole) {}

  bool ok() const { return ok_; }

  std::string substitute(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size() && ok_) {
      char c = text[i];
      if (out.size() > kMaxResult) return fail("the result is longer than 16 MiB");
      if (c != '$') {
        out += c;
        ++i;
        continue;
      }
      if (i + 1 < text.size() && text[i + 1] == '$') {
        out += '$';
        i += 2;
        continue;
      }
      if (i + 1 < text.size() && is_name_start(text[i + 1])) {
        size_t end = i + 1;
        while (end < text.size() && is_name_char(text[end])) ++end;
        out += lookup_plain(std::string(text.substr(i + 1, end - i - 1)));
        i = end;
        continue;
      }
      if (i + 1 < text.size() && text[i + 1] == '{') {
        size_t close = matching_brace(text, i + 2);
        if (close == std::string_view::npos) return fail("unclosed \"${\"");
        if (depth_ >= kMaxNesting)
          return fail(fmt::format("more than {} nested \"${{\"", kMaxNesting));
        ++depth_;
        out += braced(text.substr(i + 2, close - i - 2));
        --depth_;
        i = close + 1;
        continue;
      }
      return fail("\"$\" starts no variable");
    }
    return out;
  }

 private:
  // Position of the `}` closing a `${` whose body starts at `from`, with nested ${...} skipped.
  static size_t matching_brace(std::string_view text, size_t from) {
    int depth = 1;
    for (size_t i = from; i < text.size(); ++i) {
      if (text[i] == '$' && i + 1 < text.size() && (text[i + 1] == '{' || text[i + 1] == '$')) {
        if (text[i + 1] == '{') ++depth;
        ++i;
      } else if (text[i] == '}' && --depth == 0) {
        return i;
      }
    }
    return std::string_view::npos;
  }

  std::string lookup_plain(const std::string& name) {
    if (auto v = env_.get(name)) return *v;
    diags_.warning(
        span_, fmt::format("the \"{}\" variable is not set; defaulting to a blank string", name));
    return "";
  }

  std::string braced(std::string_view body) {
    size_t n = 0;
    if (body.empty() || !is_name_start(body[0])) return fail("\"${\" needs a variable name");
    while (n < body.size() && is_name_char(body[n])) ++n;
    std::string name(body.substr(0, n));
    if (n == body.size()) return lookup_plain(name);
    bool colon = body[n] == ':';
    size_t op_at = colon ? n + 1 : n;
    if (op_at >= body.size()) return fail(fmt::format("bad modifier after \"{}\"", name));
    char op = body[op_at];
    std::string_view arg = body.substr(op_at + 1);
    std::optional<std::string> value = env_.get(name);
    bool present = colon ? value && !value->empty() : value.has_value();
    switch (op) {
      case '-':
        return present ? *value : substitute(arg);
      case '+':
        return present ? substitute(arg) : "";
      case '?': {
        if (present) return *value;
        std::string message = substitute(arg);
        if (!ok_) return "";
        ok_ = false;
        diags_.error(
            span_, message.empty()
                       ? fmt::format("required variable {} is missing a value", name)
                       : fmt::format("required variable {} is missing a value: {}", name, message));
        return "";
      }
      default:
        return fail(fmt::format("bad modifier after \"{}\"", name));
    }
  }

  std::string fail(const std::string& why) {
    // The template is quoted in full unless long (a hostile value may be megabytes).
    std::string shown(whole_.substr(0, 80));
    if (whole_.size() > 80) shown += "...";
    if (ok_)
      diags_.error(span_,
                   fmt::format("invalid interpolation format in \"{}\": {}; escape a literal "
                               "$ as $$",
                               shown, why));
    ok_ = false;
    return "";
  }

  const Environment& env_;
  const Span& span_;
  Diagnostics& diags_;
  std::string_view whole_;
  bool ok_ = true;
  // Nested ${...} levels being substituted; bounded so that a hostile value cannot exhaust the
  // stack (each level recurses) or cost quadratic time (each level rescans for its brace).
  static constexpr int kMaxNesting = 32;
  // Substituted text is bounded too: a long variable used many times could otherwise fill memory.
  static constexpr size_t kMaxResult = 16u << 20;
  int depth_ = 0;
};

// The interpolated copy of `v`, or nullopt when nothing in it changed.
std::optional<Value> interpolate_value(const Value& v, const Environment& env, Diagnostics& diags,
                                       bool& ok) {
  if (v.is_string()) {
    const std::string& s = v.as_string();
    if (s.find('$') == std::string::npos) return std::nullopt;
    auto out = interpolate_string(s, env, v.span(), diags);
    if (!out) {
      ok = false;
      return std::nullopt;
    }
    return Value::string(std::move(*out), v.span());
  }
  if (v.is_list()) {
    std::optional<List> items;
    ListView in = v.as_list();
    for (size_t i = 0; i < in.size(); ++i) {
      auto changed = interpolate_value(in[i], env, diags, ok);
      if (!changed) continue;
      if (!items) items = in.to_vector();
      (*items)[i] = std::move(*changed);
    }
    if (!items) return std::nullopt;
    return Value::list(std::move(*items), v.span());
  }
  if (v.is_map()) {
    std::optional<Entries> entries;
    EntriesView in = v.as_map();
    for (size_t i = 0; i < in.size(); ++i) {
      auto changed = interpolate_value(in[i].second, env, diags, ok);
      if (!changed) continue;
      if (!entries) entries = in.to_vector();
      (*entries)[i].second = std::move(*changed);
    }
    if (!entries) return std::nullopt;
    return Value::map_unique(std::move(*entries), v.span());
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> interpolate_string(std::string_view text, const Environment& env,
                                              const Span& span, Diagnostics& diags) {
  Interpolator in(env, span, diags, text);
  std::string out = in.substitute(text);
  if (!in.ok()) return std::nullopt;
  return out;
}

bool interpolate_tree(Value& tree, const Environment& env, Diagnostics& diags) {
  bool ok = true;
  Diagnostics found;
  if (auto changed = interpolate_value(tree, env, found, ok)) tree = std::move(*changed);
  // A value written once but used through several aliases is interpolated once per use: report
  // each of its diagnostics once.
  std::set<std::tuple<FileId, uint32_t, uint32_t, std::string>> seen;
  for (const Diagnostic& d : found.all()) {
    if (seen.insert({d.span.file, d.span.line, d.span.column, d.message}).second) diags.add(d);
  }
  return ok;
}

}  // namespace capguard
