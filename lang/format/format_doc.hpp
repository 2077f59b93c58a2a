#pragma once
// A small pretty-printing document (after Wadler's "prettier printer" and the `fill` of
// prettier.io), for the formatter (lang/format/format.hpp). A Doc says where a line may break; the
// printer decides, deterministically and greedily, against a fixed width:
//
//   text       printed as is
//   line       a space, or a newline when its enclosing group (or fill) breaks
//   hard_line  always a newline; a group that contains one always breaks
//   group      printed flat (every `line` a space) when it fits in the rest of the line
//   fill       [content, separator, content, ...]: each separator breaks only when the content
//              after it does not fit on the current line (greedy line filling)
//   align      continuation lines of the child start at the column where the child starts
//   nest       continuation lines of the child are indented by N more than the enclosing ones
//   suffix     an end-of-line comment: printed before the next newline
//   text_block a """ string whose lines are re-indented to the line it is on plus two
//
// Newlines never leave trailing blanks.

#include <memory>
#include <string>
#include <vector>

namespace capguard::format_detail {

struct DocNode;
using Doc = std::shared_ptr<const DocNode>;

enum class DocKind { Text, Line, HardLine, Concat, Group, Fill, Align, Nest, Suffix, TextBlock };

struct DocNode {
  DocKind kind = DocKind::Text;
  std::string text;           // Text, Suffix; TextBlock: the body lines after dedent, '\n'-joined
  std::vector<Doc> children;  // Concat, Fill (content, separator, content, ...), or the one child
  int indent = 0;             // Nest
  bool must_break = false;    // contains a hard line (or a text block): never printed flat
};

Doc text(std::string s);
Doc line();
Doc hard_line();
Doc concat(std::vector<Doc> parts);
Doc group(Doc child);
Doc fill(std::vector<Doc> parts);
Doc align(Doc child);
Doc nest(int indent, Doc child);
Doc suffix(std::string comment);
// `lines` are the body of a """ string, without the common indentation; printed as
// `"""` newline, each line indented to (indentation of the current line + 2), then that
// indentation and `"""`. The last element is the text before the closing quotes (often empty).
Doc text_block(std::vector<std::string> lines);

// Prints `doc` from column 0, breaking lines to stay within `width` columns where it can.
std::string print_doc(const Doc& doc, int width);

}  // namespace capguard::format_detail
