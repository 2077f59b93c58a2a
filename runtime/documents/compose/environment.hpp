#pragma once
// The variables a Compose project is interpolated with: the project's .env (or --env-file)
// files, overridden by the process environment, as docker compose does it.

#include <map>
#include <optional>
#include <string>

namespace capguard {

class Environment {
 public:
  // nullopt when unset (which differs from set to "" for ${VAR-d} and ${VAR?e}).
  std::optional<std::string> get(const std::string& name) const;
  void set(const std::string& name, std::string value);
  // Every variable of `higher` replaces this one's.
  void overlay(const Environment& higher);
  // The variables of `lower` that this one does not set (compose-go's Mapping.Merge).
  void merge_missing(const Environment& lower);
  const std::map<std::string, std::string>& vars() const { return vars_; }

  // The variables of the running process (environ).
  static Environment from_process();

 private:
  std::map<std::string, std::string> vars_;
};

}  // namespace capguard
