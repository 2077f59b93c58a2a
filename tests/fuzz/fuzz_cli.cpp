// Harness 5: the command line and the configuration -> ArgParser with every flag of `capguard
// check`, parse_config (.capguard.yaml text, which includes waivers and params) and
// resolve_settings (flags over CAPGUARD_* variables over the configuration). Bad flags, values
// and settings are diagnostics; never a crash, a hang or an exception.
//
// Input: the arguments, one a line; a NUL byte; the .capguard.yaml text; a NUL byte; environment
// variables, KEY=VALUE one a line. Missing parts are empty.

#include <map>
#include <string>
#include <vector>

#include "cli/common/config.hpp"
#include "cli/common/options.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at <= text.size()) {
    size_t end = text.find(sep, at);
    if (end == std::string::npos) end = text.size();
    if (end > at) out.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace capguard;
  using namespace capguard::cli;
  fuzz::SourceScope scope;
  std::string text = fuzz::as_text(data, size);
  std::string parts[3];
  size_t part = 0;
  for (char c : text) {
    if (c == '\0' && part < 2) {
      ++part;
    } else {
      parts[part].push_back(c);
    }
  }
  Diagnostics diags;
  CheckOptions flags;
  ArgParser parser("capguard check");
  add_check_flags(parser, flags, kInputFlags | kPolicyFlags | kOutputFlags);
  std::vector<std::string> paths = parser.parse(split(parts[0], '\n'), diags);
  (void)paths;
  ProjectConfig config = parse_config(".capguard.yaml", parts[1], diags);
  std::map<std::string, std::string> vars;
  for (const std::string& line : split(parts[2], '\n')) {
    size_t eq = line.find('=');
    if (eq != std::string::npos) vars[line.substr(0, eq)] = line.substr(eq + 1);
  }
  EnvLookup env = [&vars](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
  Settings settings = resolve_settings(flags, env, config, diags);
  (void)settings;
  (void)render(diags);
  return 0;
}
