#pragma once
// Diagnostics: mistakes in user input (policies, documents, flags), collected so that one run
// reports many. Bugs and I/O failures are not diagnostics; they are exceptions.
//
// Rendered form, the same everywhere:
//   FILE:LINE:COL: error: MESSAGE
//       3 |   deny when s.privilegd
//         |               ^~~~~~~~~
// followed by any notes ("FILE:LINE:COL: note: ..." or "note: ..." without a location).

#include <string>
#include <vector>

#include "lang/source.hpp"

namespace capguard {

enum class DiagLevel { Error, Warning, Note };

struct Diagnostic {
  DiagLevel level = DiagLevel::Error;
  Span span;  // may be unknown (file only, or nothing)
  std::string message;
  std::vector<Diagnostic> notes;
  // For diagnostics about a file without a registered source (unreadable file, flag errors):
  // the file name to print when span.file is 0.
  std::string file_name;
};

class Diagnostics {
 public:
  void error(Span span, std::string message);
  void warning(Span span, std::string message);
  // An error about a file that has no registered source (cannot be read, does not exist).
  void file_error(std::string file_name, std::string message);
  void add(Diagnostic d);
  void append(const Diagnostics& other);

  bool has_errors() const { return errors_ > 0; }
  size_t error_count() const { return errors_; }
  const std::vector<Diagnostic>& all() const { return items_; }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<Diagnostic> items_;
  size_t errors_ = 0;
};

// Renders one diagnostic (with its source line and caret when the span is known), ending in '\n'.
std::string render(const Diagnostic& d, bool color = false);
// Renders all, in order.
std::string render(const Diagnostics& ds, bool color = false);

// "FILE:LINE:COL" (or "FILE" or "") for a span.
std::string location(const Span& span);

// The closest candidate to `word` by edit distance, if close enough to be a likely typo
// (case-insensitive; at most a third of the word's length in edits). Empty when none.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);
// The same as a message suffix: "; did you mean `BEST`?", or "" when no candidate is close.
std::string did_you_mean_hint(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace capguard
