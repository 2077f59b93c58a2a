#include "runtime/eval/params.hpp"

#include <cctype>

#include <fmt/format.h>

#include "lang/compile/compiler_types.hpp"
#include "runtime/documents/yaml_loader.hpp"

namespace capguard {

namespace {

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

// A JSON/YAML value from text (for lists, maps and any), or nullopt with the parser's message.
std::optional<Value> parse_structured(const std::string& text, std::string& error) {
  Diagnostics diags;
  FileId file = add_source("<param>", text);
  YamlDocument doc = parse_yaml_document(file, diags);
  if (!doc.ok) {
    error = diags.all().empty() ? "not a valid YAML/JSON value" : diags.all().front().message;
    return std::nullopt;
  }
  return doc.root;
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string item = trim(text.substr(start, comma == std::string::npos ? comma : comma - start));
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::vector<std::string> param_names(const ir::Program& program) {
  std::vector<std::string> names;
  for (const ir::Param& p : program.params) {
    names.push_back(p.name);
    if (p.short_name != p.name) names.push_back(p.short_name);
  }
  return names;
}

// Index of the param `name` refers to, or a diagnostic.
int find_param(const ir::Program& program, const std::string& name, Span span,
               const std::string& file, Diagnostics& diags) {
  int index = program.param_index(name);
  if (index >= 0) return index;
  int matches = 0;
  for (const ir::Param& p : program.params) matches += p.short_name == name;
  std::string message;
  if (matches > 1) {
    message = fmt::format("param `{}` is ambiguous: several packages declare it; write PACKAGE.{}",
                          name, name);
  } else {
    message =
        fmt::format("unknown param `{}`{}", name, did_you_mean_hint(name, param_names(program)));
  }
  if (span.known()) {
    diags.error(span, message);
  } else {
    diags.file_error(file, message);
  }
  return -1;
}

}  // namespace

bool split_param_flag(const std::string& flag, std::string& name, std::string& value,
                      std::string& error) {
  size_t eq = flag.find('=');
  if (eq == std::string::npos || eq == 0) {
    error = fmt::format("--param expects NAME=VALUE, got \"{}\"", flag);
    return false;
  }
  name = trim(flag.substr(0, eq));
  value = flag.substr(eq + 1);
  return true;
}

std::optional<Value> parse_param_text(const std::string& raw, const Type& t, std::string& error) {
  std::string text = trim(raw);
  auto expected = [&](const char* what) {
    error = fmt::format("expected {}, got \"{}\"", what, text);
    return std::nullopt;
  };
  if (t.nullable && text == "null") return Value();
  switch (t.kind) {
    case TypeKind::Bool:
      if (text == "true") return Value::boolean(true);
      if (text == "false") return Value::boolean(false);
      return expected("a bool (true or false)");
    case TypeKind::Int: {
      if (text.empty()) return expected("an int");
      size_t used = 0;
      try {
        long long n = std::stoll(text, &used, 10);
        if (used == text.size()) return Value::integer(n);
      } catch (const std::exception&) {
      }
      return expected("an int");
    }
    case TypeKind::Float: {
      if (text.empty()) return expected("a float");
      size_t used = 0;
      try {
        double d = std::stod(text, &used);
        if (used == text.size()) return Value::number(d);
      } catch (const std::exception&) {
      }
      return expected("a float");
    }
    case TypeKind::String:
      return Value::string(raw);
    case TypeKind::Size:
    case TypeKind::Duration:
      return coerce_value(Value::string(text), t, error);
    case TypeKind::Caps:
    case TypeKind::List:
    case TypeKind::Set: {
      Value v;
      if (!text.empty() && text[0] == '[') {
        std::optional<Value> parsed = parse_structured(text, error);
        if (!parsed) return std::nullopt;
        v = *parsed;
      } else {
        List items;
        for (const std::string& item : split_commas(text)) items.push_back(Value::string(item));
        v = Value::list(std::move(items));
      }
      if (t.kind != TypeKind::Caps && t.elem && v.is_list()) {
        // Comma-separated items are text: parse each by the element type.
        List items;
        for (const Value& item : v.as_list()) {
          std::optional<Value> c = item.is_string()
                                       ? parse_param_text(item.as_string(), *t.elem, error)
                                       : coerce_value(item, *t.elem, error);
          if (!c) return std::nullopt;
          items.push_back(*c);
        }
        v = Value::list(std::move(items));
      }
      return coerce_value(v, t, error);
    }
    default: {
      std::optional<Value> parsed = parse_structured(text, error);
      if (!parsed) return std::nullopt;
      return coerce_value(*parsed, t, error);
    }
  }
}

bool load_params_file(const std::string& path, ParamOverrides& out, Diagnostics& diags) {
  std::optional<FileId> file = read_file(path, diags);
  if (!file) return false;
  YamlDocument doc = parse_yaml_document(*file, diags);
  if (!doc.ok) return false;
  if (doc.root.is_null()) return true;  // an empty file sets nothing
  if (!doc.root.is_map()) {
    diags.error(doc.root.span(), "a params file must be a mapping of param names to values");
    return false;
  }
  for (const auto& e : doc.root.as_map()) out.values.emplace_back(e.first, e.second);
  return true;
}

std::optional<std::vector<Value>> resolve_params(const ir::Program& program,
                                                 const ParamOverrides& overrides,
                                                 Diagnostics& diags) {
  std::vector<Value> values = program.default_params();
  bool ok = true;
  for (const auto& [name, value] : overrides.values) {
    int index = find_param(program, name, value.span(), "", diags);
    if (index < 0) {
      ok = false;
      continue;
    }
    const ir::Param& p = program.params[static_cast<size_t>(index)];
    std::string error;
    std::optional<Value> v = coerce_value(value, p.type ? *p.type : *any_type(), error);
    if (!v) {
      diags.error(value.span(), fmt::format("param `{}` must be {}: {}", p.name,
                                            p.type ? type_name(*p.type) : "any", error));
      ok = false;
      continue;
    }
    values[static_cast<size_t>(index)] = *v;
  }
  for (const auto& [name, text] : overrides.texts) {
    int index = find_param(program, name, Span{}, "--param " + name, diags);
    if (index < 0) {
      ok = false;
      continue;
    }
    const ir::Param& p = program.params[static_cast<size_t>(index)];
    std::string error;
    std::optional<Value> v = parse_param_text(text, p.type ? *p.type : *any_type(), error);
    if (!v) {
      diags.file_error("--param " + name, fmt::format("param `{}` must be {}: {}", p.name,
                                                      p.type ? type_name(*p.type) : "any", error));
      ok = false;
      continue;
    }
    values[static_cast<size_t>(index)] = *v;
  }
  if (!ok) return std::nullopt;
  return values;
}

}  // namespace capguard
