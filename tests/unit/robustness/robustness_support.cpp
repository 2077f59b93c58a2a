#include "tests/unit/robustness/robustness_support.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace capguard::robustness {

namespace fs = std::filesystem;

std::string mutate(std::string text, std::mt19937& rng, const std::vector<std::string>& tokens,
                   int rounds) {
  auto pick = [&](size_t n) { return n == 0 ? size_t{0} : size_t(rng() % n); };
  for (int r = 0; r < rounds; ++r) {
    size_t at = pick(text.size() + 1);
    switch (rng() % 5) {
      case 0:
        if (!text.empty()) text[pick(text.size())] = static_cast<char>(rng() & 0xff);
        break;
      case 1:
        if (!tokens.empty()) text.insert(at, tokens[pick(tokens.size())]);
        break;
      case 2:
        text.insert(at, 1, static_cast<char>(rng() & 0xff));
        break;
      case 3:
        text.erase(at, pick(16));
        break;
      default:
        if (at < text.size()) text.insert(pick(text.size() + 1), text.substr(at, pick(64)));
        break;
    }
  }
  return text;
}

std::vector<std::string> corpus(const std::string& folder, const std::string& suffix) {
  std::vector<std::string> paths;
  fs::path root = fs::path(CAPGUARD_SOURCE_DIR) / folder;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    std::string p = entry.path().string();
    if (entry.is_regular_file() && p.size() >= suffix.size() &&
        p.compare(p.size() - suffix.size(), suffix.size(), suffix) == 0) {
      paths.push_back(p);
    }
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> texts;
  for (const std::string& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    texts.push_back(s.str());
  }
  return texts;
}

bool all_errors_located(const Diagnostics& diags) {
  for (const Diagnostic& d : diags.all()) {
    if (d.level != DiagLevel::Error) continue;
    // A whole-file error (empty, too large, unreadable) may name the file alone.
    bool located = d.span.file != 0 ? d.span.line == 0 || d.span.column != 0 : !d.file_name.empty();
    if (!located) return false;
  }
  return true;
}

bool first_error_names(const Diagnostics& diags, const std::string& name) {
  std::string text = render(diags);
  return text.compare(0, name.size() + 1, name + ":") == 0;
}

}  // namespace capguard::robustness
