#pragma once
// One analysis of an open policy document: parsed, and when it has no syntax error, checked
// together with the context `capguard check --policy FILE` would give it (the embedded standard
// library, then the document's sibling *.policy files that are not *_test.policy, then the
// document), so that imports, package names and policy ids resolve as they do on the command
// line. Diagnostics are the document's own, exactly as `capguard parse` / `check` report them.
//
// Sources are registered in the process-wide registry (lang/core/source.hpp): the standard
// library once per process, a sibling when its content changes (the previous text is released),
// the document on each change (released with its Analysis).

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lang/check/checker.hpp"
#include "lang/core/diagnostics.hpp"
#include "lang/syntax/ast.hpp"

namespace capguard::lsp {

struct Analysis {
  Analysis() = default;
  Analysis(const Analysis&) = delete;
  Analysis& operator=(const Analysis&) = delete;
  ~Analysis();  // releases the document's source (release_source): nothing reads it afterwards

  FileId file = 0;       // the document's registered source
  std::string text;      // its text
  std::string uri;       // the document's URI, as the client sent it
  std::string path;      // its path ("" for a URI that is not a file)
  bool parsed = false;   // no syntax error in the document
  bool checked = false;  // the checker ran (it may still have reported errors)
  // Every module checked, the document's last; `info` parallel to it (empty when not checked).
  std::vector<ast::Module> modules;
  std::vector<ModuleInfo> info;
  Diagnostics diagnostics;  // the document's own

  const ast::Module& document() const { return modules.back(); }
  const ModuleInfo* document_info() const { return checked ? &info.back() : nullptr; }
};

// Caches registered sources by path and content, so that an unchanged sibling is not registered
// again on every keystroke.
class SourceCache {
 public:
  FileId file_for(const std::string& name, const std::string& text);

 private:
  std::map<std::string, std::pair<std::string, FileId>> files_;
};

// Other documents' texts as the editor has them (open buffers win over the disk).
using OpenTexts = std::map<std::string, std::string>;  // by path

// At most this many sibling files of at most this many bytes each are read for the context.
inline constexpr size_t kMaxSiblingFiles = 200;
inline constexpr size_t kMaxSiblingBytes = 4 * 1024 * 1024;

// `uri` is the document's; its path (when a file URI) locates the siblings.
std::unique_ptr<Analysis> analyze(const std::string& uri, const std::string& text,
                                  const OpenTexts& open, SourceCache& cache);

}  // namespace capguard::lsp
