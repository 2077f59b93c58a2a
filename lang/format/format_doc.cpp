#include "lang/format/format_doc.hpp"

#include <utility>

namespace capguard::format_detail {
namespace {

Doc make(DocKind kind, std::string s = {}, std::vector<Doc> children = {}, int indent = 0) {
  auto n = std::make_shared<DocNode>();
  n->kind = kind;
  n->text = std::move(s);
  n->indent = indent;
  for (const Doc& c : children) n->must_break = n->must_break || c->must_break;
  n->children = std::move(children);
  if (kind == DocKind::HardLine || kind == DocKind::TextBlock) n->must_break = true;
  return n;
}

// One pending piece of work: a doc, the indentation of lines it breaks, and whether it is printed
// flat. For a fill, `from` is the index of the first part still to print.
struct Cmd {
  int indent;
  bool flat;
  const DocNode* doc;
  size_t from = 0;
};

class Printer {
 public:
  explicit Printer(int width) : width_(width) {}

  std::string run(const Doc& root) {
    stack_.push_back(Cmd{0, false, root.get()});
    while (!stack_.empty()) {
      Cmd c = stack_.back();
      stack_.pop_back();
      step(c);
    }
    flush_suffixes();
    return out_;
  }

 private:
  int width_;
  std::string out_;
  int column_ = 0;
  int line_indent_ = 0;  // indentation of the current output line
  std::vector<std::string> suffixes_;
  std::vector<Cmd> stack_;

  void emit(const std::string& s) {
    out_ += s;
    column_ += static_cast<int>(s.size());
  }

  void flush_suffixes() {
    if (suffixes_.empty()) return;
    while (!out_.empty() && out_.back() == ' ') {
      out_.pop_back();
      --column_;
    }
    for (const std::string& s : suffixes_) emit("  " + s);
    suffixes_.clear();
  }

  void newline(int indent) {
    flush_suffixes();
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
    out_ += '\n';
    out_.append(static_cast<size_t>(indent), ' ');
    column_ = indent;
    line_indent_ = indent;
  }

  void step(const Cmd& c) {
    const DocNode& d = *c.doc;
    switch (d.kind) {
      case DocKind::Text:
        emit(d.text);
        break;
      case DocKind::Line:
        if (c.flat) {
          emit(" ");
        } else {
          newline(c.indent);
        }
        break;
      case DocKind::HardLine:
        newline(c.indent);
        break;
      case DocKind::Concat:
        for (size_t i = d.children.size(); i-- > 0;) {
          stack_.push_back(Cmd{c.indent, c.flat, d.children[i].get()});
        }
        break;
      case DocKind::Group: {
        bool flat = c.flat || (!d.must_break && fits(Cmd{c.indent, true, d.children[0].get()}, true,
                                                     width_ - column_));
        stack_.push_back(Cmd{c.indent, flat, d.children[0].get()});
        break;
      }
      case DocKind::Align:
        stack_.push_back(Cmd{column_, c.flat, d.children[0].get()});
        break;
      case DocKind::Nest:
        stack_.push_back(Cmd{c.indent + d.indent, c.flat, d.children[0].get()});
        break;
      case DocKind::Suffix:
        suffixes_.push_back(d.text);
        break;
      case DocKind::TextBlock:
        print_text_block(d);
        break;
      case DocKind::Fill:
        step_fill(c);
        break;
    }
  }

  void print_text_block(const DocNode& d) {
    std::string pad(static_cast<size_t>(line_indent_ + 2), ' ');
    emit("\"\"\"");
    size_t begin = 0;
    for (;;) {
      size_t nl = d.text.find('\n', begin);
      std::string_view line = std::string_view(d.text).substr(
          begin, nl == std::string::npos ? std::string::npos : nl - begin);
      bool last = nl == std::string::npos;
      flush_suffixes();
      out_ += '\n';
      column_ = 0;
      if (!line.empty() || last) emit(pad);
      emit(std::string(line));
      if (last) break;
      begin = nl + 1;
    }
    emit("\"\"\"");
  }

  // Greedy filling: content i is printed flat when it fits; separator i breaks unless content i
  // and content i+1 fit flat together on the current line (with what follows the fill, for the
  // last pair).
  void step_fill(const Cmd& c) {
    const DocNode& d = *c.doc;
    size_t n = d.children.size();
    size_t i = c.from;
    if (i >= n) return;
    const DocNode* content = d.children[i].get();
    int rest = width_ - column_;
    bool last = i + 1 >= n || i + 2 >= n;
    bool content_fits = c.flat || fits(Cmd{c.indent, true, content}, last, rest);
    if (i + 2 >= n) {
      if (i + 1 < n) stack_.push_back(Cmd{c.indent, content_fits, d.children[i + 1].get()});
      stack_.push_back(Cmd{c.indent, content_fits, content});
      return;
    }
    const DocNode* separator = d.children[i + 1].get();
    const DocNode* next = d.children[i + 2].get();
    bool pair_last = i + 3 >= n;
    bool pair_fits = c.flat;
    if (!pair_fits && content_fits) {
      DocNode pair;
      pair.kind = DocKind::Concat;
      pair.children = {d.children[i], d.children[i + 1], d.children[i + 2]};
      pair.must_break = content->must_break || separator->must_break || next->must_break;
      pair_fits = fits(Cmd{c.indent, true, &pair}, pair_last, rest);
    }
    stack_.push_back(Cmd{c.indent, c.flat, c.doc, i + 2});
    stack_.push_back(Cmd{c.indent, pair_fits, separator});
    stack_.push_back(Cmd{c.indent, content_fits, content});
  }

  // Whether `first` printed flat fits in `width` columns, followed (when `with_rest`) by the
  // pending work up to its first possible line break.
  bool fits(Cmd first, bool with_rest, int width) const {
    std::vector<Cmd> todo{first};
    size_t rest = stack_.size();
    bool in_rest = false;
    while (width >= 0) {
      if (todo.empty()) {
        if (!with_rest || rest == 0) return true;
        todo.push_back(stack_[--rest]);
        in_rest = true;
      }
      Cmd c = todo.back();
      todo.pop_back();
      const DocNode& d = *c.doc;
      switch (d.kind) {
        case DocKind::Text:
          width -= static_cast<int>(d.text.size());
          break;
        case DocKind::Line:
          if (!c.flat) return true;
          width -= 1;
          break;
        case DocKind::HardLine:
        case DocKind::TextBlock:
          return in_rest;
        case DocKind::Concat:
        case DocKind::Fill:
          for (size_t i = d.children.size(); i-- > c.from;) {
            todo.push_back(Cmd{c.indent, c.flat, d.children[i].get()});
          }
          break;
        case DocKind::Group:
          if (!in_rest && d.must_break) return false;
          todo.push_back(Cmd{c.indent, c.flat && !d.must_break, d.children[0].get()});
          break;
        case DocKind::Align:
        case DocKind::Nest:
          todo.push_back(Cmd{c.indent, c.flat, d.children[0].get()});
          break;
        case DocKind::Suffix:
          break;
      }
    }
    return false;
  }
};

}  // namespace

Doc text(std::string s) {
  return make(DocKind::Text, std::move(s));
}
Doc line() {
  return make(DocKind::Line);
}
Doc hard_line() {
  return make(DocKind::HardLine);
}
Doc concat(std::vector<Doc> parts) {
  return make(DocKind::Concat, {}, std::move(parts));
}
Doc group(Doc child) {
  return make(DocKind::Group, {}, {std::move(child)});
}
Doc fill(std::vector<Doc> parts) {
  return make(DocKind::Fill, {}, std::move(parts));
}
Doc align(Doc child) {
  return make(DocKind::Align, {}, {std::move(child)});
}
Doc nest(int indent, Doc child) {
  return make(DocKind::Nest, {}, {std::move(child)}, indent);
}
Doc suffix(std::string comment) {
  return make(DocKind::Suffix, std::move(comment));
}
Doc text_block(std::vector<std::string> lines) {
  std::string joined;
  for (size_t i = 0; i < lines.size(); ++i) joined += (i ? "\n" : "") + lines[i];
  return make(DocKind::TextBlock, std::move(joined));
}

std::string print_doc(const Doc& doc, int width) {
  return Printer(width).run(doc);
}

}  // namespace capguard::format_detail
