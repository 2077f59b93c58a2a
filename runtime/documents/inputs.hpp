#pragma once
// Inputs: what `capguard check`, `normalize`, `caps` and the policy test runner read. Each input
// (a compose project, an inspect JSON file, stdin) becomes one document `{"services": [...]}` of
// normalized workloads (spec/document-model.md), whatever its format.
//
// Errors in an input (unreadable file, bad YAML/JSON, a known field with a wrong type, unset
// ${VAR:?err}, a bad extends or include) go to `diags` as FILE:LINE:COL diagnostics and make that
// input's `ok` false; they never stop other inputs from loading. An error in one value costs only
// the field holding it: the service is still normalized, the field holds its default and is
// listed in the service's `unknown` (runtime/documents/normalize/field_guard.hpp), so a policy
// can tell it from a value the input gave.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"

namespace capguard {

enum class InputFormat { Auto, Compose, Inspect };

// "auto", "compose", "inspect" (nullopt otherwise); and back.
std::optional<InputFormat> parse_input_format(std::string_view text);
const char* input_format_name(InputFormat f);

// Detects the format of a parsed document: a sequence of mappings having HostConfig, Config or
// Id (or one such mapping) is `docker inspect` output; a mapping with `services` is compose.
// Auto when neither.
InputFormat detect_format(const Value& parsed);

struct InputOptions {
  InputFormat format = InputFormat::Auto;
  std::vector<std::string> env_files;  // --env-file; default: .env beside the first compose file
  std::vector<std::string> profiles;   // --profile
  // --project-directory: the folder relative bind sources (and .env) resolve against; default
  // the folder of the first compose file.
  std::string project_dir;
  // What policies read of a docker inspect container's `raw` (ir::Program::raw_whole, raw_keys):
  // with raw_whole false, raw keeps only the keys in raw_keys (sorted), copied out of the loaded
  // tree, which is then freed. The default keeps the whole object.
  bool raw_whole = true;
  std::vector<std::string> raw_keys;
  // Whether a compose input's normalized document is laid out in one block (compact(),
  // lang/core/value.hpp). Worth its copy where a document is read again and again (the
  // evaluator's micro-benchmark keeps 1000 documents and evaluates them in turn: 2x faster
  // compacted); `check`, which evaluates each input once and then frees it, is faster without
  // (bench/README.md, session 8). An inspect input's document is compacted either way.
  bool compact = true;
};

struct LoadedInput {
  std::string name;  // the path as given ("-" for stdin), or the first -f file
  Value document;    // {"services": [...]} (services that normalized without error)
  bool ok = false;   // false when any error was reported for this input
};

// One input by path: a compose file, a folder (read as docker compose run in it reads it:
// COMPOSE_FILE, else compose.yaml / compose.yml / docker-compose.yml / docker-compose.yaml with
// compose.override.* / docker-compose.override.* merged on top:
// runtime/documents/compose/discovery.hpp), an inspect JSON file, "-" for standard input, or "" for
// the project of the current folder (or of --project-directory) found as docker compose finds it
// with no -f: COMPOSE_FILE, else the compose files of the folder or of its nearest parent that has
// one. The input is named "." then.
LoadedInput load_input(const std::string& path, const InputOptions& options, Diagnostics& diags);

// One compose project from several -f files, merged in order (an inspect file is accepted alone).
LoadedInput load_input_files(const std::vector<std::string>& files, const InputOptions& options,
                             Diagnostics& diags);

// Everything a command names: the -f files as one project (when any), then each path. With
// neither, the project of the current folder (load_input("")).
std::vector<LoadedInput> load_inputs(const std::vector<std::string>& files,
                                     const std::vector<std::string>& paths,
                                     const InputOptions& options, Diagnostics& diags);

// Inline text (policy tests, `eval --input -`): `name` labels diagnostics and spans. Auto
// detects the format from the text.
LoadedInput load_input_text(const std::string& name, const std::string& text, InputFormat format,
                            Diagnostics& diags);

}  // namespace capguard
