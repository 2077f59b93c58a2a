#pragma once
// The first difference between two Value trees: kinds, values, key order and spans (file, line,
// column, underline length). Header-only, for the tests and the fuzz harness that compare the JSON
// fast path with the YAML library path (runtime/documents/json_loader.hpp).

#include <cmath>
#include <cstring>
#include <string>

#include "lang/core/value.hpp"

namespace capguard::testing {

inline std::string span_text(const Span& s) {
  return std::to_string(s.file) + ":" + std::to_string(s.line) + ":" + std::to_string(s.column) +
         "+" + std::to_string(s.length);
}

// "" when `a` and `b` are the same tree with the same spans; otherwise where they differ.
inline std::string value_difference(const Value& a, const Value& b, const std::string& path = "$") {
  if (a.kind() != b.kind())
    return path + ": kind " + kind_name(a.kind()) + " vs " + kind_name(b.kind());
  Span sa = a.span(), sb = b.span();
  if (sa.file != sb.file || sa.line != sb.line || sa.column != sb.column || sa.length != sb.length)
    return path + ": span " + span_text(sa) + " vs " + span_text(sb);
  switch (a.kind()) {
    case Kind::Bool:
      return a.as_bool() == b.as_bool() ? "" : path + ": bool";
    case Kind::Int:
    case Kind::Size:
    case Kind::Duration:
      return a.as_int() == b.as_int() ? "" : path + ": int";
    case Kind::Float: {
      double x = a.as_float(), y = b.as_float();
      bool same = std::memcmp(&x, &y, sizeof x) == 0 || (std::isnan(x) && std::isnan(y));
      return same ? "" : path + ": float";
    }
    case Kind::String:
      return a.as_string() == b.as_string()
                 ? ""
                 : path + ": string \"" + a.as_string() + "\" vs \"" + b.as_string() + "\"";
    case Kind::List:
    case Kind::Set: {
      ListView x = a.as_list(), y = b.as_list();
      if (x.size() != y.size()) return path + ": list sizes";
      for (size_t i = 0; i < x.size(); ++i) {
        std::string d = value_difference(x[i], y[i], path + "[" + std::to_string(i) + "]");
        if (!d.empty()) return d;
      }
      return "";
    }
    case Kind::Map: {
      EntriesView x = a.as_map(), y = b.as_map();
      if (x.size() != y.size()) return path + ": map sizes";
      for (size_t i = 0; i < x.size(); ++i) {
        if (x[i].first != y[i].first)
          return path + ": key " + x[i].first.str() + " vs " + y[i].first.str();
        std::string d = value_difference(x[i].second, y[i].second, path + "." + x[i].first.str());
        if (!d.empty()) return d;
      }
      return "";
    }
    default:
      return a == b ? "" : path + ": value";
  }
}

}  // namespace capguard::testing
