#include "runtime/documents/compose/environment.hpp"

#include <cstring>

extern char** environ;

namespace capguard {

namespace {

// The value of the last environ entry NAME=VALUE (an entry with no `=` or an empty name is
// never a variable), or nullopt.
std::optional<std::string> process_variable(const std::string& name) {
  if (name.empty() || name.find('=') != std::string::npos) return std::nullopt;
  const char* found = nullptr;
  for (char** e = environ; e && *e; ++e) {
    if (std::strncmp(*e, name.data(), name.size()) == 0 && (*e)[name.size()] == '=')
      found = *e + name.size() + 1;
  }
  if (found == nullptr) return std::nullopt;
  return std::string(found);
}

}  // namespace

std::optional<std::string> Environment::get(const std::string& name) const {
  if (process_) {
    if (std::optional<std::string> v = process_variable(name)) return v;
  }
  auto it = vars_.find(name);
  if (it == vars_.end()) return std::nullopt;
  return it->second;
}

void Environment::set(const std::string& name, std::string value) {
  if (process_) materialize();
  vars_[name] = std::move(value);
}

void Environment::overlay(const Environment& higher) {
  if (process_ && !higher.process_ && !higher.vars_.empty()) materialize();
  for (const auto& [name, value] : higher.vars_) vars_[name] = value;
  process_ = process_ || higher.process_;
}

void Environment::merge_missing(const Environment& lower) {
  if (lower.process_) {
    Environment copy = lower;
    copy.materialize();
    merge_missing(copy);
    return;
  }
  for (const auto& [name, value] : lower.vars_) {
    if (!process_ || !process_variable(name)) vars_.emplace(name, value);
  }
}

void Environment::materialize() {
  if (!process_) return;
  for (char** e = environ; e && *e; ++e) {
    const char* eq = std::strchr(*e, '=');
    if (eq == nullptr || eq == *e) continue;
    vars_[std::string(*e, static_cast<size_t>(eq - *e))] = std::string(eq + 1);
  }
  process_ = false;
}

Environment Environment::from_process() {
  Environment env;
  env.process_ = true;
  return env;
}

}  // namespace capguard
