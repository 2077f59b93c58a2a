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
  // The variables set here, the process environment's excepted (vars() of an environment that
  // holds it: has_process() says so).
  const std::map<std::string, std::string>& vars() const { return vars_; }
  bool has_process() const { return process_; }

  // The variables of the running process (environ), above every variable set here: read from
  // environ when asked for (the last entry of a name, as a copy into a map would keep), not
  // copied (a CI job's environment holds a hundred variables; a compose file reads a few).
  static Environment from_process();

 private:
  // Copies the process environment into vars_ (the order of layers that a set(), or an overlay
  // of plain variables, asks for: they then override the process's).
  void materialize();

  std::map<std::string, std::string> vars_;
  bool process_ = false;  // the process environment overrides vars_
};

}  // namespace capguard
