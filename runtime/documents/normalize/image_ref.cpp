#include "runtime/documents/normalize/image_ref.hpp"

#include <cctype>

#include <fmt/format.h>

#include "runtime/documents/normalize/field_reader.hpp"

namespace capguard::normalize {

namespace {

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// A path component: [a-z0-9]+ ((\.|_|__|-+) [a-z0-9]+)*
bool valid_component(std::string_view c) {
  if (c.empty() || !is_lower_alnum(c.front()) || !is_lower_alnum(c.back())) return false;
  for (size_t i = 0; i < c.size(); ++i) {
    char ch = c[i];
    if (is_lower_alnum(ch)) continue;
    if (ch == '.' || ch == '_') {
      // one '.', one '_' or exactly "__", each followed by an alphanumeric
      size_t run = 1;
      while (i + run < c.size() && c[i + run] == '_' && ch == '_') ++run;
      if ((ch == '.' && run != 1) || (ch == '_' && run > 2)) return false;
      if (i + run >= c.size() || !is_lower_alnum(c[i + run])) return false;
      i += run - 1;
      continue;
    }
    if (ch == '-') continue;  // dashes: any number, between alphanumerics (ends checked above)
    return false;
  }
  return true;
}

// [\w][\w.-]{0,127}
bool valid_tag(std::string_view t) {
  if (t.empty() || t.size() > 128) return false;
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  if (!word(t[0])) return false;
  for (char c : t) {
    if (!word(c) && c != '.' && c != '-') return false;
  }
  return true;
}

// ALGORITHM:HEX, algorithm [a-z0-9]+ ([+._-][a-z0-9]+)*, hex at least 32 hex digits.
bool valid_digest(std::string_view d) {
  size_t colon = d.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  for (char c : d.substr(0, colon)) {
    if (!is_lower_alnum(c) && c != '+' && c != '.' && c != '_' && c != '-') return false;
  }
  std::string_view hex = d.substr(colon + 1);
  if (hex.size() < 32) return false;
  for (char c : hex) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::optional<ImageRef> parse_image_ref(std::string_view text, std::string& error) {
  if (text.empty()) {
    error = "empty image reference";
    return std::nullopt;
  }
  ImageRef ref;
  std::string_view rest = text;
  if (size_t at = rest.find('@'); at != std::string_view::npos) {
    ref.digest = std::string(rest.substr(at + 1));
    if (!valid_digest(*ref.digest)) {
      error = fmt::format("invalid digest \"{}\" in image reference", *ref.digest);
      return std::nullopt;
    }
    rest = rest.substr(0, at);
  }
  // A tag is after the last ':' that follows the last '/' (a ':' before it is a registry port).
  size_t slash = rest.rfind('/');
  size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    ref.tag = std::string(rest.substr(colon + 1));
    if (!valid_tag(*ref.tag)) {
      error = fmt::format("invalid tag \"{}\" in image reference", *ref.tag);
      return std::nullopt;
    }
    rest = rest.substr(0, colon);
  }
  std::string_view path = rest;
  size_t first = rest.find('/');
  if (first != std::string_view::npos) {
    std::string_view head = rest.substr(0, first);
    if (head.find('.') != std::string_view::npos || head.find(':') != std::string_view::npos ||
        head == "localhost") {
      ref.registry = std::string(head);
      path = rest.substr(first + 1);
    }
  }
  if (ref.registry.empty() || ref.registry == "index.docker.io") ref.registry = "docker.io";
  for (char c : path) {
    if (std::isupper(static_cast<unsigned char>(c))) {
      error = fmt::format("repository name \"{}\" must be lowercase", std::string(path));
      return std::nullopt;
    }
  }
  size_t start = 0;
  int components = 0;
  while (true) {
    size_t end = path.find('/', start);
    std::string_view component = path.substr(start, end - start);
    if (!valid_component(component)) {
      error = fmt::format("invalid repository name \"{}\"", std::string(path));
      return std::nullopt;
    }
    ++components;
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  std::string full_path(path);
  if (ref.registry == "docker.io" && components == 1) full_path = "library/" + full_path;
  ref.repository = ref.registry + "/" + full_path;
  return ref;
}

Value image_value(const Value* ref, Span fallback, Diagnostics& diags) {
  auto nulls = [&](Span s) {
    return Value::map({{"ref", Value::null(s)},
                       {"registry", Value::null(s)},
                       {"repository", Value::null(s)},
                       {"tag", Value::null(s)},
                       {"digest", Value::null(s)}},
                      s);
  };
  if (ref == nullptr || ref->is_null()) return nulls(fallback);
  auto text = read_string(*ref, "image", diags);
  if (!text) return nulls(ref->span());
  Span s = ref->span();
  // An image ID (what inspect shows for a container created from an ID): no name, no tag.
  if (text->rfind("sha256:", 0) == 0 && valid_digest(*text)) {
    return Value::map({{"ref", Value::string(*text, s)},
                       {"registry", Value::null(s)},
                       {"repository", Value::null(s)},
                       {"tag", Value::null(s)},
                       {"digest", Value::string(*text, s)}},
                      s);
  }
  std::string error;
  auto parsed = parse_image_ref(*text, error);
  if (!parsed) {
    diags.error(s, "image: " + error);
    return nulls(s);
  }
  auto opt = [&](const std::optional<std::string>& o) {
    return o ? Value::string(*o, s) : Value::null(s);
  };
  return Value::map({{"ref", Value::string(*text, s)},
                     {"registry", Value::string(parsed->registry, s)},
                     {"repository", Value::string(parsed->repository, s)},
                     {"tag", opt(parsed->tag)},
                     {"digest", opt(parsed->digest)}},
                    s);
}

}  // namespace capguard::normalize
