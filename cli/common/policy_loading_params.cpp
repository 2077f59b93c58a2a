// The settings' params handed to runtime/eval/params.hpp: the layers (params files and the values
// of .capguard.yaml) become file values in precedence order, lowest first, so that a later one
// wins;
// --param texts are applied after every file value, so that the command line wins over all.
#include "cli/common/policy_loading.hpp"
#include "runtime/eval/params.hpp"

namespace capguard::cli {

std::vector<Value> resolve_params(const ir::Program& program, const Settings& settings,
                                  Diagnostics& diags) {
  ParamOverrides overrides;
  for (const ParamLayer& layer : settings.param_layers) {
    if (!layer.file.empty()) {
      load_params_file(layer.file, overrides, diags);
    } else {
      overrides.values.insert(overrides.values.end(), layer.values.begin(), layer.values.end());
    }
  }
  for (const ParamSetting& p : settings.params) overrides.texts.emplace_back(p.name, p.text);
  std::optional<std::vector<Value>> values = capguard::resolve_params(program, overrides, diags);
  return values ? *values : program.default_params();
}

}  // namespace capguard::cli
