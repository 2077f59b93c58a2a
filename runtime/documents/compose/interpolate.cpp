#include "runtime/documents/compose/interpolate.hpp"

#include <set>
#include <tuple>
#include <vector>

#include <fmt/format.h>

namespace capguard {
namespace {

bool is_name_start(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

// compose-go's template.Substitute, one value at a time. The Go code matches
//   \$(?i:(?P<escaped>\$)|(?P<named>[_a-z][_a-z0-9]*)|{(?:(?P<braced>[_a-z][_a-z0-9]*(?::?[-+?](.*))?)}|(?P<invalid>)))
// with ReplaceAllStringFunc and then re-splits each braced match at its first closing brace
// (getFirstBraceClosingIndex); this class follows the same steps by hand, in linear time: the
// greedy `(.*)` runs to the last `}` of the line, which `last_brace_` gives for every position.
class Interpolator {
 public:
  Interpolator(const Environment& env, const Span& span, Diagnostics& diags, std::string_view whole)
      : env_(env), span_(span), diags_(diags), whole_(whole) {}

  bool ok() const { return ok_; }
  bool used_unset() const { return used_unset_; }

  // template.Substitute(text): every match replaced, text between matches kept as written (so a
  // `$` that starts no form stays).
  std::string substitute(std::string_view text) {
    // The top level and kMaxNesting defaults within each other.
    if (depth_ > kMaxNesting) return fail(fmt::format("more than {} nested \"${{\"", kMaxNesting));
    ++depth_;
    std::vector<size_t> last_brace = last_brace_on_line(text);
    std::string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size() && ok_) {
      if (out.size() > kMaxResult) return fail("the result is longer than 16 MiB");
      size_t dollar = text.find('$', i);
      if (dollar == std::string_view::npos || dollar + 1 >= text.size()) {
        out.append(text.substr(i));
        break;
      }
      out.append(text.substr(i, dollar - i));
      char next = text[dollar + 1];
      if (next == '$') {  // escaped
        out += '$';
        i = dollar + 2;
      } else if (is_name_start(next)) {  // named
        size_t end = dollar + 1;
        while (end < text.size() && is_name_char(text[end])) ++end;
        out += lookup(text.substr(dollar + 1, end - dollar - 1));
        i = end;
      } else if (next == '{') {
        i = braced(text, dollar, last_brace, out);
      } else {  // no match: the `$` is kept
        out += '$';
        i = dollar + 1;
      }
    }
    --depth_;
    return out;
  }

 private:
  // For each position, the last `}` at or after it on the same line (npos when none): where the
  // pattern's greedy `(.*)`, which does not cross a newline, stops.
  static std::vector<size_t> last_brace_on_line(std::string_view text) {
    std::vector<size_t> out(text.size() + 1, std::string_view::npos);
    size_t last = std::string_view::npos;
    for (size_t i = text.size(); i-- > 0;) {
      if (text[i] == '\n') last = std::string_view::npos;
      if (text[i] == '}' && last == std::string_view::npos) last = i;
      out[i] = last;
    }
    return out;
  }

  // getFirstBraceClosingIndex over match[0, end]: a `{` opens (and skips the next byte), a `}`
  // closes; npos when the braces never balance within the match.
  static size_t first_brace_closing(std::string_view match) {
    int open = 0;
    for (size_t i = 0; i < match.size(); ++i) {
      if (match[i] == '}') {
        if (--open == 0) return i;
      }
      if (match[i] == '{') {
        ++open;
        ++i;
      }
    }
    return std::string_view::npos;
  }

  // A match starting at `${` (text[dollar] == '$'). Appends its replacement and returns where
  // matching goes on.
  size_t braced(std::string_view text, size_t dollar, const std::vector<size_t>& last_brace,
                std::string& out) {
    size_t name_at = dollar + 2;
    size_t n = name_at;
    if (n < text.size() && is_name_start(text[n])) {
      while (n < text.size() && is_name_char(text[n])) ++n;
    }
    if (n == name_at) {
      fail("\"${\" needs a variable name");
      return text.size();
    }
    std::string_view name = text.substr(name_at, n - name_at);
    // The optional (?::?[-+?](.*)) group, then `}`.
    size_t op_at = n < text.size() && text[n] == ':' ? n + 1 : n;
    bool has_op =
        op_at < text.size() && (text[op_at] == '-' || text[op_at] == '+' || text[op_at] == '?') &&
        last_brace[op_at + 1 <= text.size() ? op_at + 1 : text.size()] != std::string_view::npos;
    if (!has_op) {
      if (n < text.size() && text[n] == '}') {  // ${NAME}
        out += lookup(name);
        return n + 1;
      }
      fail(n >= text.size() ? "unclosed \"${\"" : "invalid \"${\"");
      return text.size();
    }
    // The greedy match runs to the last `}` of the line; compose-go cuts it at the first
    // closing brace and substitutes what follows separately (here: matching goes on there).
    size_t match_end = last_brace[op_at + 1];
    std::string_view match = text.substr(dollar, match_end - dollar + 1);
    size_t closing = first_brace_closing(match);
    if (closing != std::string_view::npos) match = match.substr(0, closing + 1);
    bool colon = op_at != n;
    char op = text[op_at];
    // The argument: from after the operator to the match's final `}`.
    size_t arg_from = op_at + 1 - dollar;
    std::string_view arg = match.substr(arg_from, match.size() - 1 - arg_from);
    out += apply(std::string(name), colon, op, arg);
    return dollar + match.size();
  }

  // The substitution functions (defaultWhenEmptyOrUnset, ..., requiredErrorWhenUnset).
  std::string apply(const std::string& name, bool colon, char op, std::string_view arg) {
    std::optional<std::string> value = env_.get(name);
    bool present = colon ? value && !value->empty() : value.has_value();
    switch (op) {
      case '-':
        return present ? *value : substitute(arg);
      case '+':
        return present ? substitute(arg) : value.value_or("");
      default: {  // '?'
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
    }
  }

  std::string lookup(std::string_view name_view) {
    std::string name(name_view);
    if (auto v = env_.get(name)) return *v;
    used_unset_ = true;
    diags_.warning(
        span_, fmt::format("the \"{}\" variable is not set; defaulting to a blank string", name));
    return "";
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
  bool used_unset_ = false;
  // Nested defaults being substituted; bounded so that a hostile value cannot exhaust the stack
  // (each level recurses). compose-go has no bound; no real file comes near it.
  static constexpr int kMaxNesting = 32;
  // Substituted text is bounded too: a long variable used many times could otherwise fill memory.
  static constexpr size_t kMaxResult = 16u << 20;
  int depth_ = 0;
};

// The interpolated copy of `v`, or nullopt when nothing in it changed. A string that fails
// becomes null at its span.
std::optional<Value> interpolate_value(const Value& v, const Environment& env, Diagnostics& diags,
                                       UnreadValues& unread, bool& ok) {
  if (v.is_string()) {
    const std::string& s = v.as_string();
    if (s.find('$') == std::string::npos) return std::nullopt;
    bool used_unset = false;
    auto out = interpolate_string(s, env, v.span(), diags, &used_unset);
    if (used_unset) unread.add_unset(v.span());
    if (!out) {
      ok = false;
      unread.add_failed(v.span());
      return Value::null(v.span());
    }
    return Value::string(std::move(*out), v.span());
  }
  if (v.is_list()) {
    std::optional<List> items;
    ListView in = v.as_list();
    for (size_t i = 0; i < in.size(); ++i) {
      auto changed = interpolate_value(in[i], env, diags, unread, ok);
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
      auto changed = interpolate_value(in[i].second, env, diags, unread, ok);
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
                                              const Span& span, Diagnostics& diags,
                                              bool* used_unset) {
  Interpolator in(env, span, diags, text);
  std::string out = in.substitute(text);
  if (used_unset != nullptr) *used_unset = in.used_unset();
  if (!in.ok()) return std::nullopt;
  return out;
}

bool interpolate_tree(Value& tree, const Environment& env, Diagnostics& diags,
                      UnreadValues* unread) {
  bool ok = true;
  Diagnostics found;
  UnreadValues local;
  if (auto changed = interpolate_value(tree, env, found, unread ? *unread : local, ok)) {
    tree = std::move(*changed);
  }
  // A value written once but used through several aliases is interpolated once per use: report
  // each of its diagnostics once.
  std::set<std::tuple<FileId, uint32_t, uint32_t, std::string>> seen;
  for (const Diagnostic& d : found.all()) {
    if (seen.insert({d.span.file, d.span.line, d.span.column, d.message}).second) diags.add(d);
  }
  return ok;
}

}  // namespace capguard
