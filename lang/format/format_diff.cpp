#include "lang/format/format_diff.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

namespace capguard {
namespace {

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t begin = 0;
  while (begin < text.size()) {
    size_t nl = text.find('\n', begin);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(begin, nl - begin));
    begin = nl + 1;
  }
  // As diff -u marks it; the line then differs from the same line with its newline.
  if (!text.empty() && text.back() != '\n') lines.back() += "\n\\ No newline at end of file";
  return lines;
}

// One line of the edit script: ' ' kept, '-' removed, '+' added; a and b index the two texts.
struct Edit {
  char op;
  size_t a;
  size_t b;
};

// A shortest edit script from the longest common subsequence (quadratic: policy files are small).
std::vector<Edit> edit_script(const std::vector<std::string>& a,
                              const std::vector<std::string>& b) {
  size_t n = a.size(), m = b.size();
  std::vector<std::vector<uint32_t>> lcs(n + 1, std::vector<uint32_t>(m + 1, 0));
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::vector<Edit> edits;
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      edits.push_back(Edit{' ', i++, j++});
    } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      edits.push_back(Edit{'-', i++, j});
    } else {
      edits.push_back(Edit{'+', i, j++});
    }
  }
  return edits;
}

std::string range(size_t start, size_t count) {
  // diff -u: a range of one line is written without its length; an empty range names the line
  // before it.
  if (count == 1) return std::to_string(start + 1);
  return fmt::format("{},{}", count == 0 ? start : start + 1, count);
}

}  // namespace

std::string unified_diff(const std::string& before, const std::string& after,
                         const std::string& before_name, const std::string& after_name) {
  if (before == after) return "";
  std::vector<std::string> a = split_lines(before), b = split_lines(after);
  std::vector<Edit> edits = edit_script(a, b);
  constexpr size_t kContext = 3;
  std::string out = "--- " + before_name + "\n+++ " + after_name + "\n";
  size_t k = 0;
  while (k < edits.size()) {
    while (k < edits.size() && edits[k].op == ' ') ++k;
    if (k == edits.size()) break;
    // A hunk: from kContext lines before the first change to kContext after the last change
    // that is not followed by more than 2 * kContext unchanged lines.
    size_t begin = k >= kContext ? k - kContext : 0;
    size_t end = k;
    for (size_t unchanged = 0; end < edits.size(); ++end) {
      unchanged = edits[end].op == ' ' ? unchanged + 1 : 0;
      if (unchanged > 2 * kContext) break;
    }
    while (end > k && edits[end - 1].op == ' ') --end;
    end = std::min(edits.size(), end + kContext);
    size_t a_count = 0, b_count = 0;
    for (size_t e = begin; e < end; ++e) {
      if (edits[e].op != '+') ++a_count;
      if (edits[e].op != '-') ++b_count;
    }
    out += fmt::format("@@ -{} +{} @@\n", range(edits[begin].a, a_count),
                       range(edits[begin].b, b_count));
    for (size_t e = begin; e < end; ++e) {
      const std::string& text = edits[e].op == '+' ? b[edits[e].b] : a[edits[e].a];
      out += edits[e].op + text + "\n";
    }
    k = end;
  }
  return out;
}

}  // namespace capguard
