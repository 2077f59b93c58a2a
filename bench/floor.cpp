// The floor of the whole-process benchmark (bench/README.md, "Whole process"): starts, reads
// each file named on the command line and parses it with yaml-cpp's event API (the parser
// capguard uses, the same way: the whole text in memory, one YAML::Parser over an istringstream)
// and does nothing else. Prints the number of events so that nothing is optimized away.
//
//   floor FILE...     exit 0, or 2 when a file cannot be read or parsed
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include "lang/core/phase_probe.hpp"

namespace {

class Count : public YAML::EventHandler {
 public:
  unsigned long events = 0;
  void OnDocumentStart(const YAML::Mark&) override { ++events; }
  void OnDocumentEnd() override { ++events; }
  void OnNull(const YAML::Mark&, YAML::anchor_t) override { ++events; }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { ++events; }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string& value) override {
    events += 1 + (value.size() & 1);
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    ++events;
  }
  void OnSequenceEnd() override { ++events; }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    ++events;
  }
  void OnMapEnd() override { ++events; }
};

}  // namespace

CAPGUARD_PHASE_AT_PREINIT("start: fork, exec");

int main(int argc, char** argv) {
  CAPGUARD_PHASE("static constructors");
  Count count;
  int status = 0;
  for (int i = 1; i < argc; ++i) {
    std::ifstream file(argv[i], std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    if (!file.good() && !file.eof()) {
      std::fprintf(stderr, "floor: cannot read %s\n", argv[i]);
      status = 2;
      continue;
    }
    try {
      std::istringstream in(text);
      YAML::Parser parser(in);
      while (parser.HandleNextDocument(count)) {
      }
    } catch (const YAML::Exception& e) {
      std::fprintf(stderr, "floor: %s: %s\n", argv[i], e.what());
      status = 2;
    }
  }
  CAPGUARD_PHASE("files read and parsed");
  std::printf("%lu events\n", count.events);
  std::fflush(stdout);
  CAPGUARD_PHASE("printed");
  CAPGUARD_PHASES_WRITE();
  return status;
}
