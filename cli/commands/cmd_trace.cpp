// `capguard trace ID PATH...`: for policy authors, why one policy fired or did not on each
// service of each input: every rule reached, the `for` and `let` values in scope, each term of
// the condition with its value (also the terms short-circuiting skipped), and the finding's
// location and message when it fired. Text, or JSON with --format json (spec/output.md).
//
// Errors are handled as in `check`: an input that fails to load is reported on stderr and the
// other inputs are still traced; a runtime error is traced and reported; either makes the exit
// status 2. Otherwise 0, whether or not the policy fired.
#include <iostream>

#include <fmt/format.h>

#include "cli/common/command.hpp"
#include "cli/common/config.hpp"
#include "cli/common/layout.hpp"
#include "cli/common/options.hpp"
#include "cli/common/policy_loading.hpp"
#include "cli/common/trace_render.hpp"
#include "cli/reporters/reporters.hpp"
#include "runtime/documents/inputs.hpp"
#include "runtime/eval/evaluator_trace.hpp"

namespace capguard::cli {

namespace {

constexpr const char* kUsage = "capguard trace [OPTIONS] ID [PATH...]";

std::vector<std::string> service_names(const Value& document) {
  std::vector<std::string> names;
  const Value* services = document.get("services");
  if (services == nullptr || !services->is_sequence()) return names;
  for (const Value& s : services->as_list()) {
    const Value* name = s.get("name");
    if (name != nullptr && name->is_string()) names.push_back(name->as_string());
  }
  return names;
}

int run_trace(const std::vector<std::string>& args) {
  CheckOptions flags;
  ArgParser parser("capguard trace");
  parser.argument("ID", "the policy to trace (`capguard list` shows them)");
  parser.argument("PATH", "compose file, folder, docker inspect JSON, or - (stdin); default: .");
  add_check_flags(parser, flags, kInputFlags | kPolicyFlags | kFormatFlag);
  Diagnostics usage;
  std::vector<std::string> positional = parser.parse(args, usage);
  if (flags.help) {
    std::cout << help_page(parser);
    return kExitOk;
  }
  Format format = text_or_json_format(flags, "capguard trace", usage);
  if (positional.empty()) usage.file_error("capguard trace", "expected a policy id");
  if (usage.has_errors()) return usage_error(usage, parser);
  std::string id = positional.front();
  std::vector<std::string> paths(positional.begin() + 1, positional.end());

  Diagnostics diags;
  Settings settings = load_settings(flags, diags);
  LoadedPolicies policies;
  if (!diags.has_errors()) policies = load_policies(settings, diags);
  int index = policies.program ? find_policy(*policies.program, id, "capguard trace", diags) : -1;
  if (index < 0) {
    std::cerr << render(diags);
    return kExitError;
  }
  const ir::Program& program = *policies.program;

  InputOptions input_options;
  input_options.format = *parse_input_format(flags.input_format);
  input_options.env_files = flags.env_files;
  input_options.profiles = flags.profiles;
  std::vector<LoadedInput> loaded = load_inputs(flags.compose_files, paths, input_options, diags);

  // Traced in input order; each input's runtime errors follow its loading errors on stderr.
  std::vector<InputTrace> traces;
  for (const LoadedInput& in : loaded) {
    InputTrace t;
    t.input = in.name;
    t.ok = in.ok;
    t.services = service_names(in.document);
    t.trace =
        trace_policy(program, static_cast<size_t>(index), in.document, policies.params, in.name);
    for (const EvalError& e : t.trace.result.errors) diags.add(eval_error_diagnostic(e));
    traces.push_back(std::move(t));
  }
  std::cerr << render(diags);
  const ir::Policy& policy = program.policies[static_cast<size_t>(index)];
  if (format == Format::Json) {
    std::cout << dump_json(render_trace_json(policy, traces));
  } else {
    std::cout << printable_text(render_trace_text(policy, traces));
  }
  return diags.has_errors() ? kExitError : kExitOk;
}

const Command kTrace("trace", kUsage,
                     "show why a policy fired or did not per service: rules, variables, terms",
                     run_trace);

}  // namespace

}  // namespace capguard::cli
