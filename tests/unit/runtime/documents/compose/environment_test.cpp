// Environment (runtime/documents/compose/environment.hpp): the process environment is read from
// environ when asked for, above the variables set, with the last entry of a name winning, as
// the copy into a map it replaces gave.

#include <catch2/catch.hpp>

#include "runtime/documents/compose/environment.hpp"

extern char** environ;

using namespace capguard;

namespace {

// Runs `f` with `entries` as the process environment.
template <typename F>
void with_environ(std::vector<const char*> entries, F f) {
  char** saved = environ;
  std::vector<char*> list;
  for (const char* e : entries) list.push_back(const_cast<char*>(e));
  list.push_back(nullptr);
  environ = list.data();
  try {
    f();
  } catch (...) {
    environ = saved;
    throw;
  }
  environ = saved;
}

std::string shown(const std::optional<std::string>& v) {
  return v ? "[" + *v + "]" : "unset";
}

}  // namespace

TEST_CASE("the process environment: the last entry of a name, never copied until needed") {
  with_environ({"A=1", "B=", "A=2", "=x", "NOEQ", "C=a=b"}, [] {
    Environment p = Environment::from_process();
    CHECK(p.has_process());
    CHECK(shown(p.get("A")) == "[2]");
    CHECK(shown(p.get("B")) == "[]");
    CHECK(shown(p.get("C")) == "[a=b]");
    CHECK(shown(p.get("NOEQ")) == "unset");
    CHECK(shown(p.get("")) == "unset");
    CHECK(shown(p.get("A=")) == "unset");
    CHECK(p.vars().empty());
  });
}

TEST_CASE("the process environment overrides .env files; set and plain overlays override it") {
  with_environ({"HOME=/root", "TAG=prod"}, [] {
    // Discovery: the process, then the .env's variables it does not set.
    Environment env = Environment::from_process();
    Environment dot_env;
    dot_env.set("TAG", "dev");
    dot_env.set("PORT", "80");
    env.merge_missing(dot_env);
    CHECK(shown(env.get("TAG")) == "[prod]");
    CHECK(shown(env.get("PORT")) == "[80]");
    CHECK(env.vars().count("TAG") == 0);  // shadowed by the process: not kept
    // A project's environment: its env files, overridden by the process.
    Environment out;
    out.set("TAG", "file");
    out.set("ONLY", "file");
    out.overlay(Environment::from_process());
    CHECK(shown(out.get("TAG")) == "[prod]");
    CHECK(shown(out.get("ONLY")) == "[file]");
    // An included project: its own variables, overridden by the including one's.
    Environment included;
    included.set("PORT", "90");
    included.set("X", "inc");
    included.overlay(env);
    CHECK(shown(included.get("PORT")) == "[80]");
    CHECK(shown(included.get("X")) == "[inc]");
    CHECK(shown(included.get("HOME")) == "[/root]");
    // set() on an environment holding the process's, and an overlay of plain variables, win
    // over the process (the layers then become one map).
    Environment p = Environment::from_process();
    p.set("HOME", "/home/x");
    CHECK(shown(p.get("HOME")) == "[/home/x]");
    CHECK(shown(p.get("TAG")) == "[prod]");
    CHECK_FALSE(p.has_process());
    Environment q = Environment::from_process();
    Environment plain;
    plain.set("TAG", "plain");
    q.overlay(plain);
    CHECK(shown(q.get("TAG")) == "[plain]");
    CHECK(shown(q.get("HOME")) == "[/root]");
    // merge_missing of an environment holding the process's: its variables below this one's.
    Environment mine;
    mine.set("TAG", "mine");
    mine.merge_missing(Environment::from_process());
    CHECK(shown(mine.get("TAG")) == "[mine]");
    CHECK(shown(mine.get("HOME")) == "[/root]");
  });
}
