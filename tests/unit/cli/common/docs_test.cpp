// Man pages, completions and --version are generated from the commands' own --help data.
#include <catch2/catch.hpp>

#include "cli/common/command.hpp"
#include "cli/common/completion.hpp"
#include "cli/common/layout.hpp"
#include "cli/common/manpage.hpp"
#include "cli/common/options.hpp"
#include "cli/common/version_text.hpp"
#include "lang/core/version.hpp"

using namespace capguard::cli;

namespace {
ArgParser::FlagDoc flag_with_help(std::string help) {
  return ArgParser::FlagDoc{"x", 0, true, "V", std::move(help)};
}
}  // namespace

TEST_CASE("a flag's choices are the words its help lists first") {
  using V = std::vector<std::string>;
  CHECK(flag_with_help("text | json | sarif").choices() == V{"text", "json", "sarif"});
  CHECK(flag_with_help("baseline | restricted: the policies tagged so").choices() ==
        V{"baseline", "restricted"});
  CHECK(flag_with_help("auto | always | never (NO_COLOR is honoured)").choices() ==
        V{"auto", "always", "never"});
  CHECK(flag_with_help("compose file; repeat to merge").choices().empty());
  CHECK(flag_with_help("input format: auto (default), compose or inspect").choices().empty());
  CHECK(flag_with_help("one thing | two words here").choices().empty());
}

// The real commands are linked into the executable only (tests/docs/man_completion_test.sh
// checks theirs); this binary registers layout-demo (layout_test.cpp).
TEST_CASE("command_docs holds every registered command with its arguments and flags") {
  std::vector<CommandDoc> docs = command_docs();
  REQUIRE(docs.size() == commands().size());
  for (size_t i = 0; i < docs.size(); ++i) CHECK(docs[i].command == commands()[i]);
  const CommandDoc* demo = nullptr;
  for (const CommandDoc& d : docs) {
    if (std::string(d.command->name) == "layout-demo") demo = &d;
  }
  REQUIRE(demo != nullptr);
  REQUIRE(demo->arguments.size() == 2);
  CHECK(demo->arguments[1].left == "PATH");
  REQUIRE(demo->flags.size() == 2);
  CHECK(demo->flags[0].name == "format");
  CHECK(demo->flags[0].choices() == std::vector<std::string>{"text", "json"});
  CHECK(demo->flags[1].name == "help");
  CHECK(demo->flags[1].short_name == 'h');
}

TEST_CASE("man pages and completions name every command and flag") {
  std::vector<CommandDoc> docs = command_docs();
  std::string main_page = main_man_page(docs);
  std::string bash = completion_script(Shell::Bash, docs);
  std::string zsh = completion_script(Shell::Zsh, docs);
  std::string fish = completion_script(Shell::Fish, docs);
  for (const CommandDoc& d : docs) {
    std::string name = d.command->name;
    CHECK(main_page.find("capguard\\-" + roff_escape(name) + "(1)") != std::string::npos);
    std::string page = command_man_page(d);
    CHECK(page.rfind(".TH CAPGUARD-", 0) == 0);
    for (const ArgParser::FlagDoc& f : d.flags) {
      CHECK(page.find(roff_escape("--" + f.name)) != std::string::npos);
      CHECK(bash.find("--" + f.name) != std::string::npos);
      CHECK(zsh.find("--" + f.name) != std::string::npos);
      CHECK(fish.find("-l " + f.name) != std::string::npos);
    }
  }
  CHECK(roff_escape(".a-b\\c") == "\\&.a\\-b\\ec");
  CHECK(!parse_shell("tcsh"));
}

TEST_CASE("--version names the release, the commit and the standard library") {
  std::string text = version_text();
  std::string first =
      std::string("capguard ") + capguard::kVersion + " (commit " + capguard::kGitCommit + ")\n";
  CHECK(text.rfind(first, 0) == 0);
  std::string digest = stdlib_digest();
  CHECK(digest.size() == 16);
  CHECK(digest.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(text.find(std::string("standard library ") + capguard::kVersion + "+" + digest) !=
        std::string::npos);
}
