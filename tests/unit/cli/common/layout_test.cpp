// The one layout of every --help page (cli/common/layout.hpp) and aligned text tables.
#include <catch2/catch.hpp>

#include "cli/common/layout.hpp"

using namespace capguard;
using namespace capguard::cli;

namespace {

// Shows its help like every real command, so command_docs() (docs_test.cpp) can read it.
int run_demo(const std::vector<std::string>& args) {
  ArgParser parser("capguard layout-demo");
  parser.argument("ID", "a policy id");
  parser.argument("PATH", "an input");
  parser.option("format", 0, "FMT", "text | json: the output",
                [](const std::string&) { return std::string(); });
  Diagnostics usage;
  std::vector<std::string> positional;
  return parse_or_print_help(parser, args, usage, positional) ? 0 : 2;
}

// A command registered for this test only (the real ones are linked into the executable).
const Command kDemo("layout-demo", "capguard layout-demo [OPTIONS] ID [PATH...]",
                    "show the help layout", run_demo);

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    out.push_back(text.substr(start, nl - start));
  }
  return out;
}

}  // namespace

TEST_CASE("text_table pads columns by display width, not bytes") {
  std::string t =
      text_table({{"NAME", "X"}, {"\xe6\x97\xa5\xe6\x9c\xac", "y"}, {"caf\\xe9", "z"}}, "  ");
  CHECK(t ==
        "  NAME     X\n"
        "  \xe6\x97\xa5\xe6\x9c\xac     y\n"  // 4 columns wide, padded to 7
        "  caf\\xe9  z\n");
}

TEST_CASE("help pages: usage, summary, arguments and options in one aligned table") {
  bool help = false;
  std::string value;
  ArgParser parser("capguard layout-demo");
  parser.argument("ID", "a policy id");
  parser.argument("PATH", "an input");
  parser.option("a-rather-long-option", 'l', "VALUE", "sets the value", [&](const std::string& v) {
    value = v;
    return std::string();
  });
  parser.flag(
      "secret", 0, "not shown", [] {}, /*hidden=*/true);
  parser.flag("help", 'h', "show this help", [&] { help = true; });
  std::string page = help_page(parser);
  CHECK(page ==
        "usage: capguard layout-demo [OPTIONS] ID [PATH...]\n"
        "\n"
        "show the help layout\n"
        "\n"
        "arguments:\n"
        "  ID                                a policy id\n"
        "  PATH                              an input\n"
        "\n"
        "options:\n"
        "  -l, --a-rather-long-option VALUE  sets the value\n"
        "  -h, --help                        show this help\n");
}

TEST_CASE("help table columns line up across arguments and options") {
  ArgParser parser("capguard layout-demo");
  parser.argument("ID", "a policy id");
  parser.flag("verbose", 'v', "more output", [] {});
  std::vector<std::string> lines = lines_of(help_page(parser));
  std::vector<size_t> columns;
  for (const std::string& l : lines) {
    if (l.rfind("  ", 0) != 0) continue;
    size_t gap = l.find("  ", 2 + l.find_first_not_of(' ', 2));
    columns.push_back(l.find_first_not_of(' ', gap));
  }
  REQUIRE(columns.size() == 2);
  CHECK(columns[0] == columns[1]);
}

TEST_CASE("a parser not labelled with a registered command has no help page") {
  ArgParser parser("capguard no-such-command");
  CHECK_THROWS_AS(help_page(parser), std::logic_error);
}

TEST_CASE("the main help page lists every registered command") {
  std::string page = main_help_page();
  CHECK(page.rfind("usage: capguard COMMAND [ARGS...]\n\n", 0) == 0);
  CHECK(page.find("\n  layout-demo    show the help layout\n") != std::string::npos);
  CHECK(page.find("      --version") != std::string::npos);
}
