#include "cli/common/layout.hpp"

#include <algorithm>
#include <iostream>
#include <stdexcept>
#include <streambuf>

#include "lang/core/diagnostics.hpp"

namespace capguard::cli {

namespace {

// Set while command_docs() runs a command's --help: help_page() records the parser here.
CommandDoc* g_capture = nullptr;

// Discards what is written to it.
class NullBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return traits_type::not_eof(c); }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

std::string padded(const std::string& cell, size_t width) {
  size_t w = display_width(cell);
  return cell + std::string(width > w ? width - w : 0, ' ');
}

// Sections of two-column rows ("arguments:", "options:") with one shared first-column width.
std::string sections(const std::vector<std::pair<std::string, std::vector<HelpRow>>>& parts) {
  size_t width = 0;
  for (const auto& [title, rows] : parts) {
    for (const HelpRow& r : rows) width = std::max(width, display_width(r.left));
  }
  std::string out;
  for (const auto& [title, rows] : parts) {
    if (rows.empty()) continue;
    out += "\n" + title + ":\n";
    for (const HelpRow& r : rows) out += "  " + padded(r.left, width) + "  " + r.help + "\n";
  }
  return out;
}

}  // namespace

std::string text_table(const std::vector<std::vector<std::string>>& rows, std::string_view indent) {
  std::vector<size_t> widths;
  for (const std::vector<std::string>& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], display_width(row[i]));
  }
  std::string out;
  for (const std::vector<std::string>& row : rows) {
    out += indent;
    for (size_t i = 0; i < row.size(); ++i) {
      out += i + 1 < row.size() ? padded(row[i], widths[i]) + "  " : row[i];
    }
    out += '\n';
  }
  return out;
}

const Command& command_of(const ArgParser& parser) {
  for (const Command* c : commands()) {
    if (parser.command() == std::string("capguard ") + c->name) return *c;
  }
  throw std::logic_error("no command registered for the parser of `" + parser.command() + "`");
}

std::string help_page(const ArgParser& parser) {
  const Command& command = command_of(parser);
  if (g_capture != nullptr) {
    *g_capture = CommandDoc{&command, parser.argument_rows(), parser.flag_docs()};
  }
  std::string out = std::string("usage: ") + command.usage + "\n\n" + command.summary + "\n";
  out += sections({{"arguments", parser.argument_rows()}, {"options", parser.option_rows()}});
  return out;
}

std::string main_help_page() {
  std::vector<HelpRow> rows;
  for (const Command* c : commands()) rows.push_back(HelpRow{c->name, c->summary});
  std::string out =
      "usage: capguard COMMAND [ARGS...]\n\n"
      "container-security policies for Compose files and docker inspect output\n";
  out += sections(
      {{"commands", rows},
       {"options",
        {HelpRow{"-h, --help", "show this help"}, HelpRow{"    --version", "show the version"}}}});
  out += "\nRun `capguard COMMAND --help` or `capguard help COMMAND` for a command's options.\n";
  return out;
}

std::vector<CommandDoc> command_docs() {
  std::vector<CommandDoc> docs;
  NullBuffer null;
  for (const Command* c : commands()) {
    CommandDoc doc;
    g_capture = &doc;
    std::streambuf* saved = std::cout.rdbuf(&null);
    try {
      c->run({"--help"});
    } catch (...) {
      std::cout.rdbuf(saved);
      g_capture = nullptr;
      throw;
    }
    std::cout.rdbuf(saved);
    g_capture = nullptr;
    if (doc.command != c) {
      throw std::logic_error(std::string("`capguard ") + c->name +
                             " --help` does not show its page through help_page()");
    }
    docs.push_back(std::move(doc));
  }
  return docs;
}

bool parse_or_print_help(ArgParser& parser, const std::vector<std::string>& args,
                         Diagnostics& usage, std::vector<std::string>& positional) {
  bool help = false;
  parser.flag("help", 'h', "show this help", [&] { help = true; });
  positional = parser.parse(args, usage);
  if (help) std::cout << help_page(parser);
  return help;
}

}  // namespace capguard::cli
