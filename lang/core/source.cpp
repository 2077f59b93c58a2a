#include "lang/core/source.hpp"

#include <algorithm>
#include <cstring>
#include <deque>
#include <limits>
#include <mutex>
#include <utility>

namespace capguard {

Source::Source(std::string name, std::string text)
    : name_(std::move(name)), owned_(std::move(text)), text_(owned_) {}

Source::Source(std::string name, std::string_view text, Static)
    : name_(std::move(name)), text_(text) {}

void Source::build_line_table() const {
  // memchr, not a loop over every byte: a line table is built for every input that is read.
  line_starts_.clear();  // release_source may have left an empty text's
  wide_starts_.clear();
  const char* begin = text_.data();
  const char* end = begin + text_.size();
  auto each_line = [&](auto&& add) {
    add(0);
    for (const char* p = begin; p < end;) {
      const void* newline = std::memchr(p, '\n', static_cast<size_t>(end - p));
      if (newline == nullptr) break;
      p = static_cast<const char*>(newline) + 1;
      add(static_cast<size_t>(p - begin));
    }
  };
  size_t lines = 0;
  each_line([&](size_t) { ++lines; });
  if (text_.size() > std::numeric_limits<uint32_t>::max()) {
    wide_starts_.reserve(lines);
    each_line([&](size_t at) { wide_starts_.push_back(at); });
  } else {
    line_starts_.reserve(lines);
    each_line([&](size_t at) { line_starts_.push_back(static_cast<uint32_t>(at)); });
  }
}

std::string_view Source::line_text(uint32_t line) const {
  size_t count = line_count();
  if (line == 0 || line > count) return {};
  size_t begin = line_start(line - 1);
  size_t end = line < count ? line_start(line) - 1 : text_.size();
  if (end > begin && text_[end - 1] == '\r') --end;
  return text_.substr(begin, end - begin);
}

std::pair<uint32_t, uint32_t> Source::position(size_t offset) const {
  index_lines();
  size_t line;  // >= 1: the first line starts at 0
  if (wide()) {
    line = static_cast<size_t>(std::upper_bound(wide_starts_.begin(), wide_starts_.end(), offset) -
                               wide_starts_.begin());
  } else if (offset > std::numeric_limits<uint32_t>::max()) {
    line = line_starts_.size();
  } else {
    line = static_cast<size_t>(
        std::upper_bound(line_starts_.begin(), line_starts_.end(), static_cast<uint32_t>(offset)) -
        line_starts_.begin());
  }
  return {static_cast<uint32_t>(line), static_cast<uint32_t>(offset - line_start(line - 1) + 1)};
}

namespace {
struct Registry {
  std::mutex mutex;
  std::deque<Source> sources;  // deque: references stay valid as it grows
};
Registry& registry() {
  static Registry r;
  return r;
}
const std::string kNoName;
thread_local SourceRecorder* t_recorder = nullptr;
}  // namespace

SourceRecorder::SourceRecorder() : outer_(t_recorder) {
  t_recorder = this;
}

SourceRecorder::~SourceRecorder() {
  t_recorder = outer_;
}

FileId add_source(std::string name, std::string text) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.sources.emplace_back(std::move(name), std::move(text));
  auto id = static_cast<FileId>(r.sources.size());
  if (t_recorder != nullptr) t_recorder->ids_.push_back(id);
  return id;
}

FileId add_static_source(std::string name, std::string_view text) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.sources.emplace_back(std::move(name), text, Source::Static{});
  auto id = static_cast<FileId>(r.sources.size());
  if (t_recorder != nullptr) t_recorder->ids_.push_back(id);
  return id;
}

const Source& source(FileId id) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  return r.sources.at(id - 1);
}

void release_source(FileId id) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  Source& s = r.sources.at(id - 1);
  // Swapped out rather than assigned: assigning an empty string keeps the old buffer allocated,
  // and the point is to free it. The line table becomes an empty text's: one line at 0 (also
  // when it is counted later: it is never counted here, a 300 MB text would cost 40 MB to).
  std::string().swap(s.owned_);
  s.text_ = std::string_view();
  std::vector<uint32_t>{0}.swap(s.line_starts_);
  std::vector<size_t>().swap(s.wide_starts_);
  s.released_ = true;
}

const std::string& source_name(FileId id) {
  return id == 0 ? kNoName : source(id).name();
}

size_t source_count() {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  return r.sources.size();
}

void truncate_sources(size_t count) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  while (r.sources.size() > count) r.sources.pop_back();
}

Span span_at(FileId file, size_t begin, size_t end) {
  const Source& src = source(file);
  auto [line, column] = src.position(begin);
  auto [end_line, end_column] = src.position(end > begin ? end : begin);
  uint32_t length = end_line == line ? end_column - column : 0;
  return Span{file, line, column, length};
}

}  // namespace capguard
