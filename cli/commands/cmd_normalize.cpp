// capguard normalize: the normalized document model (`services`) of each input, as JSON.
//
// Every input is loaded and printed even when another one fails; errors go to stderr in the
// FILE:LINE:COL format and make the exit status 2. The output is one document holding the
// services of all inputs in order (each says where it came from in `source`).

#include <iostream>
#include <string>
#include <vector>

#include "cli/common/command.hpp"
#include "cli/common/layout.hpp"
#include "cli/common/options.hpp"
#include "runtime/documents/inputs.hpp"
#include "runtime/documents/normalize/document_json.hpp"

namespace capguard::cli {

namespace {

constexpr const char* kUsage = "capguard normalize [OPTIONS] [PATH...]";

int run_normalize(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  InputOptions options;
  ArgParser parser("capguard normalize");
  parser.argument("PATH", "compose file, folder, docker inspect JSON, or - (stdin); default: .");
  auto format = [&](const std::string& v) -> std::string {
    auto f = parse_input_format(v);
    if (!f) return "expected one of auto, compose, inspect";
    options.format = *f;
    return "";
  };
  parser.option("file", 'f', "FILE", "a compose file; several are merged in order",
                [&](const std::string& v) {
                  files.push_back(v);
                  return std::string();
                });
  parser.option("env-file", 0, "FILE", "variables for interpolation (instead of .env)",
                [&](const std::string& v) {
                  options.env_files.push_back(v);
                  return std::string();
                });
  parser.option("profile", 0, "NAME", "an active compose profile", [&](const std::string& v) {
    options.profiles.push_back(v);
    return std::string();
  });
  parser.option("format", 0, "FORMAT", "input format: auto (default), compose or inspect", format);
  parser.option("input-format", 0, "FORMAT", "same as --format", format, true);
  parser.option("project-directory", 0, "DIR",
                "folder that relative paths resolve against (default: the compose file's)",
                [&](const std::string& v) {
                  options.project_dir = v;
                  return std::string();
                });
  Diagnostics usage;
  std::vector<std::string> paths;
  if (parse_or_print_help(parser, args, usage, paths)) return kExitOk;
  if (usage.has_errors()) return usage_error(usage, parser);

  Diagnostics diags;
  std::vector<LoadedInput> inputs = load_inputs(files, paths, options, diags);
  List services;
  bool ok = true;
  for (const LoadedInput& in : inputs) {
    ok = ok && in.ok;
    if (const Value* s = in.document.get("services"); s && s->is_sequence()) {
      services.insert(services.end(), s->as_list().begin(), s->as_list().end());
    }
  }
  std::cerr << render(diags, false);
  std::cout << valid_utf8(
      normalize::to_pretty_json(Value::map({{"services", Value::list(std::move(services))}})));
  return ok && !diags.has_errors() ? kExitOk : kExitError;
}

const Command kNormalize("normalize", kUsage,
                         "print the normalized model (services) of inputs, as JSON", run_normalize);

}  // namespace

}  // namespace capguard::cli
