#include "runtime/documents/compose/environment.hpp"

extern char** environ;

namespace capguard {

std::optional<std::string> Environment::get(const std::string& name) const {
  auto it = vars_.find(name);
  if (it == vars_.end()) return std::nullopt;
  return it->second;
}

void Environment::set(const std::string& name, std::string value) {
  vars_[name] = std::move(value);
}

void Environment::overlay(const Environment& higher) {
  for (const auto& [name, value] : higher.vars_) vars_[name] = value;
}

void Environment::merge_missing(const Environment& lower) {
  for (const auto& [name, value] : lower.vars_) vars_.emplace(name, value);
}

Environment Environment::from_process() {
  Environment env;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    size_t eq = entry.find('=');
    if (eq == std::string::npos || eq == 0) continue;
    env.vars_[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return env;
}

}  // namespace capguard
