#pragma once
// A unified diff of two texts, line by line, for `capguard fmt --diff`: what formatting would
// change, in the form `diff -u` and `git diff` print (`---`/`+++` headers, `@@` hunks with three
// lines of context). Empty when the texts are equal.

#include <string>

namespace capguard {

std::string unified_diff(const std::string& before, const std::string& after,
                         const std::string& before_name, const std::string& after_name);

}  // namespace capguard
