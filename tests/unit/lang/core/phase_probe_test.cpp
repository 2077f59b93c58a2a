// lang/core/phase_probe.hpp as a measuring build compiles it (CAPGUARD_PHASE_PROBES defined in
// this file only): each mark becomes one line "NAME<TAB>NANOSECONDS" of CAPGUARD_PHASES_OUT, the
// first measured from CAPGUARD_PHASES_T0; nothing is written without both variables.
#define CAPGUARD_PHASE_PROBES 1
#include "lang/core/phase_probe.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace {

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("phase probes: one line per mark, times since the previous one") {
  char dir[] = "/tmp/capguard-phase-probe.XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  const std::string out = std::string(dir) + "/phases";
  capguard::phase_probe::count = 0;

  unsetenv("CAPGUARD_PHASES_OUT");
  const long long start = capguard::phase_probe::now();
  CAPGUARD_PHASE("first");
  CAPGUARD_PHASE("second phase");
  CAPGUARD_PHASES_WRITE();  // no CAPGUARD_PHASES_OUT: nothing written
  CHECK(lines_of(out).empty());

  setenv("CAPGUARD_PHASES_OUT", out.c_str(), 1);
  setenv("CAPGUARD_PHASES_T0", std::to_string(start).c_str(), 1);
  CAPGUARD_PHASES_WRITE();
  std::vector<std::string> lines = lines_of(out);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].rfind("first\t", 0) == 0);
  CHECK(lines[1].rfind("second phase\t", 0) == 0);
  for (const std::string& line : lines) {
    long long ns = std::stoll(line.substr(line.find('\t') + 1));
    CHECK(ns >= 0);
    CHECK(ns < 60LL * 1000 * 1000 * 1000);
  }

  // Past 64 marks the rest are dropped; the file is appended to.
  for (int i = 0; i < 100; ++i) CAPGUARD_PHASE("many");
  CAPGUARD_PHASES_WRITE();
  CHECK(lines_of(out).size() == 2 + 64);

  unsetenv("CAPGUARD_PHASES_OUT");
  unsetenv("CAPGUARD_PHASES_T0");
  unlink(out.c_str());
  rmdir(dir);
}
