#pragma once
// Source files and spans. Every AST node, IR node and document value carries a Span; line and
// column are 1-based. Sources live in one process-wide registry so that a Span is a small value
// (a file id and a position) and any layer can render a message without holding the text.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace capguard {

using FileId = uint32_t;  // 0 means "no file"

struct Span {
  FileId file = 0;
  uint32_t line = 0;    // 1-based; 0 when unknown
  uint32_t column = 0;  // 1-based, in bytes
  uint32_t length = 0;  // bytes covered on the first line, for the caret underline (0: one caret)

  bool known() const { return file != 0 && line != 0; }
};

class Source {
 public:
  Source(std::string name, std::string text);
  // A text that lives as long as the process (the embedded standard library's): not copied.
  struct Static {};
  Source(std::string name, std::string_view text, Static);
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;

  const std::string& name() const { return name_; }
  std::string_view text() const { return text_; }
  // The text of 1-based line `line`, without its newline; empty when out of range.
  std::string_view line_text(uint32_t line) const;
  uint32_t line_count() const {
    index_lines();
    return static_cast<uint32_t>(wide() ? wide_starts_.size() : line_starts_.size());
  }
  // Line and column (1-based) of a byte offset.
  std::pair<uint32_t, uint32_t> position(size_t offset) const;
  // True once release_source() freed the text.
  bool released() const { return released_; }

 private:
  friend void release_source(FileId id);

  // A text past 4 GiB keeps 8-byte offsets (its table always holds the first line's 0).
  bool wide() const { return !wide_starts_.empty(); }
  size_t line_start(size_t index) const {
    return wide() ? wide_starts_[index] : line_starts_[index];
  }
  // Counts the lines when first asked (many sources, such as the standard library's, are never
  // asked); thread-safe. Once counted, one load answers (the YAML loader asks for a line ~2,000
  // times a file; std::call_once costs ~60 instructions a call even then).
  void index_lines() const {
    if (indexed_done_.load(std::memory_order_acquire)) return;
    std::call_once(indexed_, [this] { build_line_table(); });
    indexed_done_.store(true, std::memory_order_release);
  }
  void build_line_table() const;

  std::string name_;
  std::string owned_;      // the text, unless it is static
  std::string_view text_;  // owned_, or the static text
  bool released_ = false;
  // The offset of each line's first byte, counted before they are stored (a 300 MB `docker
  // inspect` array has 10 million lines): 4 bytes each, 8 only for a text past 4 GiB.
  mutable std::once_flag indexed_;
  mutable std::atomic<bool> indexed_done_{false};
  mutable std::vector<uint32_t> line_starts_;
  mutable std::vector<size_t> wide_starts_;
};

// The process-wide registry of sources. Thread-safe. Sources are never removed, so references
// returned stay valid for the life of the process.
FileId add_source(std::string name, std::string text);
// The same for a text that lives as long as the process (not copied).
FileId add_static_source(std::string name, std::string_view text);
const Source& source(FileId id);  // id must come from add_source
// Frees the text of a registered source that nothing reads any more, for a long-running process
// that registers a new text on every change (the language server, cli/lsp/). The id stays valid:
// its name is kept and its text becomes empty, so a stale span renders without a source line.
// The caller guarantees that no string_view into the old text is still in use.
void release_source(FileId id);
// Records the ids of the sources the current thread registers while it is alive (recorders nest:
// the innermost records). `capguard check` records what loading an input registered, to free
// those texts with release_source once the input is reported.
class SourceRecorder {
 public:
  SourceRecorder();
  ~SourceRecorder();
  SourceRecorder(const SourceRecorder&) = delete;
  SourceRecorder& operator=(const SourceRecorder&) = delete;
  std::vector<FileId> take() { return std::move(ids_); }

 private:
  friend FileId add_source(std::string name, std::string text);
  friend FileId add_static_source(std::string name, std::string_view text);
  std::vector<FileId> ids_;
  SourceRecorder* outer_;
};

// Name of a file id, "" for 0.
const std::string& source_name(FileId id);

// For harnesses that run millions of inputs in one process (tests/fuzz): the number of sources
// registered, and dropping every source registered after the first `count`. Only when nothing
// refers to those sources any more; never in the capguard command.
size_t source_count();
void truncate_sources(size_t count);

// Span covering byte range [begin, end) of a registered source.
Span span_at(FileId file, size_t begin, size_t end);

}  // namespace capguard
