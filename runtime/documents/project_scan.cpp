#include "runtime/documents/project_scan.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace capguard {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPrimary[] = {"compose.yaml", "compose.yml", "docker-compose.yml",
                                    "docker-compose.yaml"};
// A .gitignore larger than this is not read (a warning says so).
constexpr std::uintmax_t kMaxGitignoreBytes = 1 << 20;

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(s);
  while (std::getline(in, item, sep)) out.push_back(item);
  return out;
}

// Segments of `pattern` against segments of `path`; "**" matches any number of segments.
bool match_segments(const std::vector<std::string>& pat, size_t pi,
                    const std::vector<std::string>& path, size_t si) {
  if (pi == pat.size()) return si == path.size();
  if (pat[pi] == "**") {
    for (size_t k = si; k <= path.size(); ++k) {
      if (match_segments(pat, pi + 1, path, k)) return true;
    }
    return false;
  }
  if (si == path.size()) return false;
  if (fnmatch(pat[pi].c_str(), path[si].c_str(), 0) != 0) return false;
  return match_segments(pat, pi + 1, path, si + 1);
}

bool rule_matches(const IgnoreRule& rule, const std::string& relative, bool is_dir) {
  if (rule.dir_only && !is_dir) return false;
  std::vector<std::string> path = split(relative, '/');
  std::vector<std::string> pat = split(rule.pattern, '/');
  if (rule.anchored) return match_segments(pat, 0, path, 0);
  // Unanchored: the pattern (one segment) matches the last segment of the path.
  return !path.empty() && fnmatch(rule.pattern.c_str(), path.back().c_str(), 0) == 0;
}

// The rules in force in one folder, each with the folder (relative to the scan root, "" for the
// root) its patterns are relative to.
struct RuleSet {
  std::string base;
  std::vector<IgnoreRule> rules;
};

bool ignored(const std::vector<RuleSet>& sets, const std::string& relative, bool is_dir) {
  int verdict = -1;
  for (const RuleSet& set : sets) {
    std::string below = set.base.empty() ? relative : relative.substr(set.base.size() + 1);
    int v = ignore_verdict(set.rules, below, is_dir);
    if (v >= 0) verdict = v;
  }
  return verdict == 1;
}

// "docker-compose.prod.yml" -> true when it is a variant (not a primary or override name).
bool is_variant(const std::string& name) {
  for (const char* prefix : {"compose.", "docker-compose."}) {
    std::string p = prefix;
    if (name.compare(0, p.size(), p) != 0) continue;
    std::string rest = name.substr(p.size());
    for (const char* ext : {".yml", ".yaml"}) {
      std::string e = ext;
      if (rest.size() > e.size() && rest.compare(rest.size() - e.size(), e.size(), e) == 0) {
        std::string middle = rest.substr(0, rest.size() - e.size());
        return middle != "override" && !middle.empty();
      }
    }
  }
  return false;
}

void warn_file(Diagnostics& diags, const std::string& file, std::string message) {
  Diagnostic d;
  d.level = DiagLevel::Warning;
  d.file_name = file;
  d.message = std::move(message);
  diags.add(std::move(d));
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct Scanner {
  fs::path root;
  fs::path canonical_root;
  ScanOptions options;
  Diagnostics& diags;
  std::vector<ScannedInput> out;

  std::string relative(const fs::path& p) const {
    std::string r = p.lexically_relative(root).generic_string();
    return r == "." ? "" : r;
  }

  bool inside_root(const fs::path& p) const {
    std::error_code ec;
    fs::path real = fs::canonical(p, ec);
    if (ec) return false;
    std::string r = real.lexically_relative(canonical_root).generic_string();
    return r == "." || (r.compare(0, 2, "..") != 0 && !r.empty());
  }

  void read_gitignore(const fs::path& folder, std::vector<RuleSet>& sets) {
    fs::path file = folder / ".gitignore";
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return;
    if (fs::file_size(file, ec) > kMaxGitignoreBytes) {
      warn_file(diags, file.string(),
                "larger than 1 MiB: not read, nothing below is ignored by it");
      return;
    }
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    sets.push_back(RuleSet{relative(folder), parse_gitignore(text.str())});
  }

  void scan(const fs::path& folder, std::vector<RuleSet> sets) {
    read_gitignore(folder, sets);
    std::error_code ec;
    fs::directory_iterator it(folder, fs::directory_options::none, ec);
    if (ec) {
      warn_file(diags, folder.string(),
                "cannot read the folder: " + ec.message() + "; projects below it are not checked");
      return;
    }
    std::vector<fs::directory_entry> entries;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      entries.push_back(*it);
    }
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      return a.path().filename() < b.path().filename();
    });
    std::vector<fs::path> folders;
    std::vector<std::string> files, variants, inspects;
    for (const fs::directory_entry& e : entries) {
      std::string name = e.path().filename().string();
      std::string rel = relative(e.path());
      bool is_link = e.is_symlink(ec);
      bool is_dir = e.is_directory(ec);
      if (ignored(sets, rel, is_dir)) continue;
      if (is_dir) {
        if (name == ".git" || is_link) continue;  // never follow a linked folder
        folders.push_back(e.path());
        continue;
      }
      if (!e.is_regular_file(ec)) continue;
      if (is_link && !inside_root(e.path())) {
        warn_file(diags, e.path().string(),
                  "a symbolic link out of the scanned folder: not followed");
        continue;
      }
      files.push_back(name);
      if (is_variant(name)) {
        variants.push_back(name);
      } else if (ends_with(name, ".inspect.json")) {
        inspects.push_back(name);
      }
    }
    // The name docker compose picks is the first of kPrimary present, not the first in
    // alphabetical order.
    std::string primary;
    for (const char* p : kPrimary) {
      if (std::find(files.begin(), files.end(), p) != files.end()) {
        primary = p;
        break;
      }
    }
    std::string shown = relative(folder).empty() ? "." : relative(folder);
    if (!primary.empty()) {
      out.push_back(ScannedInput{{}, folder.string(), shown + " (" + primary + ")"});
    }
    for (const std::string& v : variants) {
      std::vector<std::string> files;
      if (!primary.empty()) files.push_back((folder / primary).string());
      files.push_back((folder / v).string());
      std::string label = primary.empty() ? v : primary + " + " + v;
      out.push_back(ScannedInput{files, "", shown + " (" + label + ")"});
    }
    for (const std::string& i : inspects) {
      out.push_back(ScannedInput{{}, (folder / i).string(), relative(folder / i)});
    }
    for (const fs::path& f : folders) scan(f, sets);
  }
};

}  // namespace

std::vector<IgnoreRule> parse_gitignore(const std::string& text) {
  std::vector<IgnoreRule> rules;
  for (std::string line : split(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // Trailing spaces are ignored unless escaped.
    while (!line.empty() && line.back() == ' ' &&
           !(line.size() > 1 && line[line.size() - 2] == '\\'))
      line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    IgnoreRule rule;
    if (line[0] == '!') {
      rule.negated = true;
      line.erase(0, 1);
    } else if (line[0] == '\\') {
      line.erase(0, 1);
    }
    if (!line.empty() && line.back() == '/') {
      rule.dir_only = true;
      line.pop_back();
    }
    if (!line.empty() && line[0] == '/') {
      rule.anchored = true;
      line.erase(0, 1);
    }
    if (line.find('/') != std::string::npos) rule.anchored = true;
    if (line.empty()) continue;
    // "**/x" matches x in any folder, like an unanchored "x".
    if (line.compare(0, 3, "**/") == 0 && line.find('/', 3) == std::string::npos) {
      line.erase(0, 3);
      rule.anchored = false;
    }
    rule.pattern = line;
    rules.push_back(std::move(rule));
  }
  return rules;
}

int ignore_verdict(const std::vector<IgnoreRule>& rules, const std::string& relative, bool is_dir) {
  int verdict = -1;
  for (const IgnoreRule& r : rules) {
    // A pattern that names a folder also covers everything below it.
    bool hit = rule_matches(r, relative, is_dir);
    if (!hit && !r.negated) {
      std::string prefix = relative;
      for (size_t slash; !hit && (slash = prefix.rfind('/')) != std::string::npos;) {
        prefix.resize(slash);
        hit = rule_matches(r, prefix, true);
      }
    }
    if (hit) verdict = r.negated ? 0 : 1;
  }
  return verdict;
}

bool has_compose_file(const std::string& folder) {
  std::error_code ec;
  for (const char* p : kPrimary) {
    if (fs::is_regular_file(fs::path(folder) / p, ec)) return true;
  }
  return false;
}

std::vector<ScannedInput> scan_projects(const std::string& root, const ScanOptions& options,
                                        Diagnostics& diags) {
  std::error_code ec;
  Scanner scanner{fs::path(root), fs::canonical(root, ec), options, diags, {}};
  std::vector<RuleSet> sets;
  if (!options.excludes.empty()) {
    std::string text;
    for (const std::string& g : options.excludes) text += g + "\n";
    sets.push_back(RuleSet{"", parse_gitignore(text)});
  }
  scanner.scan(fs::path(root), sets);
  return scanner.out;
}

}  // namespace capguard
