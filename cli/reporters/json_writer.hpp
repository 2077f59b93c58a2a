#pragma once
// A streaming JSON writer whose output is byte-identical to dump_json() of the same document built
// as an nlohmann::ordered_json tree (indent 2, ": " after keys, "[]" and "{}" when empty, strings
// escaped as nlohmann escapes them, invalid UTF-8 replaced by U+FFFD as its `replace` handler
// does), without building the tree: the JSON and SARIF reporters write through it.
//
//   JsonWriter w(out);
//   w.begin_object();
//   w.key("findings"); w.begin_array(); ... w.end_array();
//   w.end_object();      // then w.finish() adds the final newline
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace capguard::cli {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}
  // A writer for items of a container that another writer opened `depth` levels down (the root
  // is level 1): it writes them with that container's indentation, so that its text can be
  // appended to the other writer's after that one's begin_array() (see appended_items()).
  JsonWriter(std::string& out, size_t depth) : out_(out), has_items_(depth, true) {
    if (depth > 0) has_items_.back() = false;
  }
  // Whether the innermost open container has an item.
  bool has_items() const { return !has_items_.empty() && has_items_.back(); }
  // Items of the innermost open container were appended by another writer (made with the depth
  // constructor); `any`: whether there was at least one.
  void appended_items(bool any) {
    if (any) has_items_.back() = true;
  }

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  // The key of the next member of the current object.
  void key(std::string_view name);

  void value(std::string_view text);
  void value(const std::string& text) { value(std::string_view(text)); }
  void value(const char* text) { value(std::string_view(text)); }
  void value(bool b);
  void value(uint64_t n);
  void value(int64_t n);
  void value(uint32_t n) { value(static_cast<uint64_t>(n)); }
  void value(int n) { value(static_cast<int64_t>(n)); }
  void null();
  // A string member, or null when `text` is empty.
  void nullable(std::string_view text) {
    if (text.empty()) {
      null();
    } else {
      value(text);
    }
  }

  // The newline that ends the document.
  void finish() { out_ += '\n'; }

  // `text` as a JSON string literal (quotes included) appended to `out`, as nlohmann dumps it.
  static void append_string(std::string& out, std::string_view text);

 private:
  void open(char bracket);
  void close(char bracket);
  void before_value();  // the separator and indentation before an array element
  void indent(size_t depth) { out_.append(depth * 2, ' '); }

  std::string& out_;
  std::vector<bool> has_items_;  // per open container: an item was written
  bool after_key_ = false;
};

}  // namespace capguard::cli
