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
#include <string_view>
#include <vector>

#include "lang/core/source.hpp"

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
// The source line and caret line that render() prints under a diagnostic at `span` ("" when the
// span has no file or line): for reports that show a location without a message.
std::string render_source_excerpt(const Span& span, bool color = false);

// "FILE:LINE:COL" (or "FILE" or "") for a span.
std::string location(const Span& span);

// Text from inputs and policies is bytes, not necessarily UTF-8, and may hold control characters.
// Everything capguard prints passes through one of these two, so that a file with invalid UTF-8
// cannot break a terminal, a JSON parser or an XML parser.
//
// For people (text output, diagnostics): valid UTF-8 is kept, and so are tab and (when
// `keep_newlines`) newline; every byte of an invalid UTF-8 sequence, every other C0 control
// character and DEL is written `\xNN`, and a C1 control character `\u00NN`.
std::string printable_text(std::string_view text, bool keep_newlines = true);
// For machine formats (JSON, SARIF, JUnit, GitHub): every byte of an invalid UTF-8 sequence
// becomes U+FFFD; everything else is kept (the format's own escaping handles control characters).
std::string valid_utf8(std::string_view text);

// Whether two strings are equal ignoring ASCII case (HTTP header names and tokens).
bool ascii_iequal(std::string_view a, std::string_view b);
// The length of the well-formed UTF-8 sequence starting at text[i] (1 to 4), or 0 when the byte
// there does not start one (Unicode table 3-7: no overlong forms, no surrogates, nothing above
// U+10FFFF). When `code_point` is given, the sequence's code point is stored there.
size_t utf8_sequence_length(std::string_view text, size_t i, char32_t* code_point = nullptr);
// Terminal columns that printable_text(text) takes (tab counted as 1): East Asian wide characters
// take 2, combining marks 0, escapes their length.
size_t display_width(std::string_view text);
// `text` cut to at most about `max_bytes` on a character boundary, with a note of the full size
// ("... (cut: 16777216 bytes in all)"); unchanged when it is short enough.
std::string clip_text(std::string_view text, size_t max_bytes);

// Text for people that quotes values from inputs is cut past this many bytes (clip_text), so that
// a huge value cannot turn one message into megabytes: diagnostic messages and notes (cut by
// Diagnostics::add), and the messages and values that `capguard trace` and `capguard explain`
// print. Machine formats and `capguard eval` print values whole.
constexpr size_t kMaxShownTextBytes = 4096;

// The closest candidate to `word` by edit distance, if close enough to be a likely typo
// (case-insensitive; at most a third of the word's length in edits). Empty when none.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);
// The same as a message suffix: "; did you mean `BEST`?", or "" when no candidate is close.
std::string did_you_mean_hint(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace capguard
