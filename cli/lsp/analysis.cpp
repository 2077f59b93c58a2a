#include "cli/lsp/analysis.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/lsp/positions.hpp"
#include "lang/syntax/parser.hpp"
#include "runtime/documents/document_schema.hpp"
#include "stdlib-policies/embedded.hpp"

namespace capguard::lsp {
namespace {

namespace fs = std::filesystem;

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The document's sibling policy files (not tests, not the document), sorted, with their texts.
std::vector<std::pair<std::string, std::string>> sibling_texts(const std::string& path,
                                                               const OpenTexts& open) {
  std::vector<std::pair<std::string, std::string>> out;
  if (path.empty()) return out;
  std::error_code ec;
  fs::path dir = fs::path(path).parent_path();
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string p = it->path().string();
    if (!ends_with(p, ".policy") || ends_with(p, "_test.policy") || p == path) continue;
    if (!it->is_regular_file(ec)) continue;
    names.push_back(p);
  }
  std::sort(names.begin(), names.end());
  if (names.size() > kMaxSiblingFiles) names.resize(kMaxSiblingFiles);
  for (const std::string& p : names) {
    auto o = open.find(p);
    if (o != open.end()) {
      out.emplace_back(p, o->second);
      continue;
    }
    if (fs::file_size(p, ec) > kMaxSiblingBytes || ec) continue;
    std::ifstream in(p, std::ios::binary);
    std::ostringstream text;
    if (in && (text << in.rdbuf())) out.emplace_back(p, text.str());
  }
  return out;
}

}  // namespace

Analysis::~Analysis() {
  if (file != 0) release_source(file);
}

FileId SourceCache::file_for(const std::string& name, const std::string& text) {
  auto it = files_.find(name);
  if (it != files_.end() && it->second.first == text) return it->second.second;
  if (it != files_.end()) release_source(it->second.second);
  FileId id = add_source(name, text);
  files_[name] = {text, id};
  return id;
}

std::unique_ptr<Analysis> analyze(const std::string& uri, const std::string& text,
                                  const OpenTexts& open, SourceCache& cache) {
  auto a = std::make_unique<Analysis>();
  std::string path = path_of_uri(uri);
  a->uri = uri;
  a->path = path;
  a->text = text;
  a->file = add_source(path.empty() ? uri : path, text);

  auto siblings = sibling_texts(path, open);
  // Editing the standard library itself: its embedded copy would clash with the files here.
  bool is_stdlib = fs::path(path).parent_path().filename() == "stdlib-policies";

  Diagnostics ignored;
  if (!is_stdlib) {
    for (const auto& f : stdlib::embedded_files()) {
      std::string name(f.path);
      if (ends_with(name, "_test.policy")) continue;
      a->modules.push_back(parse_module(cache.file_for(name, std::string(f.text)), ignored));
    }
  }
  for (const auto& [p, t] : siblings)
    a->modules.push_back(parse_module(cache.file_for(p, t), ignored));
  a->modules.push_back(parse_module(a->file, a->diagnostics));
  a->parsed = !a->diagnostics.has_errors();
  if (!a->parsed) return a;

  Diagnostics all;
  CheckResult result = check(a->modules, document_schema(), all);
  a->info = std::move(result.modules);
  a->checked = a->info.size() == a->modules.size();
  for (const Diagnostic& d : all.all()) {
    if (d.span.file == a->file) a->diagnostics.add(d);
  }
  return a;
}

}  // namespace capguard::lsp
