#include "lang/format/format.hpp"

#include <algorithm>
#include <vector>

#include "lang/format/format_builder.hpp"
#include "lang/format/format_tokens.hpp"
#include "lang/syntax/ast_dump.hpp"
#include "lang/syntax/parser.hpp"

namespace capguard {
namespace {

std::vector<std::string> sorted_comments(std::string_view text) {
  std::vector<std::string> out;
  format_detail::TokenIndex tokens(text);
  for (const auto& c : tokens.comments()) out.push_back(c.text);
  std::sort(out.begin(), out.end());
  return out;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

std::string format_module(const ast::Module& module, FileId file) {
  format_detail::Builder builder(module, source(file));
  return format_detail::print_doc(builder.module(), kFormatWidth);
}

std::string dump_without_spans(const ast::Module& module) {
  std::string dump = dump_ast(module);
  dump.erase(0, dump.find('\n') + 1);  // the `(module "NAME"` line
  std::string out;
  out.reserve(dump.size());
  for (size_t i = 0; i < dump.size(); ++i) {
    // ` @LINE:COL`
    if (dump[i] == ' ' && i + 1 < dump.size() && dump[i + 1] == '@') {
      size_t j = i + 2;
      while (j < dump.size() && is_digit(dump[j])) ++j;
      if (j < dump.size() && dump[j] == ':' && j > i + 2) {
        size_t k = j + 1;
        while (k < dump.size() && is_digit(dump[k])) ++k;
        if (k > j + 1) {
          i = k - 1;
          continue;
        }
      }
    }
    out += dump[i];
  }
  return out;
}

std::optional<std::string> format_source(FileId file, Diagnostics& diags) {
  Diagnostics parse_diags;
  ast::Module module = parse_module(file, parse_diags);
  diags.append(parse_diags);
  if (parse_diags.has_errors()) return std::nullopt;
  std::string out = format_module(module, file);

  // The formatter checks its own work: a bug must never change what a policy means or lose a
  // comment.
  const std::string& name = source_name(file);
  Diagnostics again;
  ast::Module reparsed = parse_module(add_source(name + " (formatted)", out), again);
  std::string problem;
  if (again.has_errors()) {
    problem = "the formatted text does not parse:\n" + render(again);
  } else if (dump_without_spans(reparsed) != dump_without_spans(module)) {
    problem = "the formatted text does not mean the same";
  } else if (sorted_comments(out) != sorted_comments(source(file).text())) {
    problem = "the formatted text lost or changed a comment";
  }
  if (!problem.empty()) {
    diags.file_error(name, "internal error in capguard fmt, file left unchanged: " + problem);
    return std::nullopt;
  }
  return out;
}

}  // namespace capguard
