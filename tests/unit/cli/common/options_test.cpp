#include <catch2/catch.hpp>

#include "cli/common/options.hpp"

using namespace capguard;
using namespace capguard::cli;

namespace {

CheckOptions parse(const std::vector<std::string>& args, Diagnostics& diags,
                   std::vector<std::string>* positional = nullptr) {
  CheckOptions o;
  ArgParser p("capguard check");
  add_check_flags(p, o, kInputFlags | kPolicyFlags | kOutputFlags);
  std::vector<std::string> pos = p.parse(args, diags);
  if (positional) *positional = pos;
  return o;
}

}  // namespace

TEST_CASE("check flags in their long, short and = forms") {
  Diagnostics diags;
  std::vector<std::string> pos;
  CheckOptions o = parse(
      {"-f", "a.yaml", "-fb.yaml", "--format=sarif", "--fail-on", "high", "--only", "CG-1,caps",
       "--only", "CG-2", "-j4", "--param", "x=1", "--no-stdlib", "dir", "-", "--", "--weird"},
      diags, &pos);
  REQUIRE(diags.empty());
  CHECK(o.compose_files == std::vector<std::string>{"a.yaml", "b.yaml"});
  CHECK(o.format == Format::Sarif);
  CHECK(o.fail_on == Severity::High);
  CHECK(o.only == std::vector<std::string>{"CG-1", "caps", "CG-2"});
  CHECK(o.jobs == 4);
  CHECK(o.params == std::vector<std::string>{"x=1"});
  CHECK(o.no_stdlib == std::optional<bool>(true));
  CHECK(pos == std::vector<std::string>{"dir", "-", "--weird"});
}

TEST_CASE("flag mistakes are usage errors with suggestions") {
  Diagnostics diags;
  parse({"--formt", "json", "--fail-on", "severe", "-j", "0", "--param", "novalue", "--output"},
        diags);
  REQUIRE(diags.error_count() == 5);
  CHECK(diags.all()[0].message == "unknown flag `--formt`; did you mean `--format`?");
  CHECK(diags.all()[0].file_name == "capguard check");
  CHECK(diags.all()[1].message ==
        "--fail-on severe: expected one of info, low, medium, high, critical");
  CHECK(diags.all()[2].message == "-j 0: expected a number of threads from 1 to 1024");
  CHECK(diags.all()[3].message == "--param novalue: expected NAME=VALUE");
  CHECK(diags.all()[4].message == "flag `--output` needs a value (FILE)");
}

TEST_CASE("split_list trims and drops empty items") {
  CHECK(split_list(" a, b ,,c ") == std::vector<std::string>{"a", "b", "c"});
  CHECK(split_list("").empty());
}

TEST_CASE("help lists visible flags only") {
  CheckOptions o;
  ArgParser p("capguard check");
  add_check_flags(p, o, kInputFlags | kPolicyFlags | kOutputFlags);
  std::string help = p.help();
  CHECK(help.find("--fail-on SEVERITY") != std::string::npos);
  CHECK(help.find("-f, --file FILE") != std::string::npos);
  CHECK(help.find("--today") == std::string::npos);
}
