// The settings' params handed to runtime/params.hpp. Params files become file values; params from
// .capguard.yaml and --param are texts parsed by each param's declared type, the configuration's
// first so that the command line wins.
#include "cli/policy_loading.hpp"
#include "runtime/params.hpp"

namespace capguard::cli {

std::vector<Value> resolve_params(const ir::Program& program, const Settings& settings,
                                  Diagnostics& diags) {
  ParamOverrides overrides;
  for (const std::string& file : settings.params_files) load_params_file(file, overrides, diags);
  for (const ParamSetting& p : settings.params) overrides.texts.emplace_back(p.name, p.text);
  std::optional<std::vector<Value>> values = capguard::resolve_params(program, overrides, diags);
  return values ? *values : program.default_params();
}

}  // namespace capguard::cli
