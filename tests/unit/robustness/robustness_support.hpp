#pragma once
// Shared by the robustness tests: a deterministic byte mutator (seeded, so a failure reproduces),
// the corpus of real inputs it starts from, and a check that a diagnostic names FILE:LINE:COL.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "lang/core/diagnostics.hpp"

namespace capguard::robustness {

// Applies `rounds` random edits to `text`: flip a byte, insert a token from `tokens` or a random
// byte, delete a range, duplicate a range. Deterministic for a given generator state.
std::string mutate(std::string text, std::mt19937& rng, const std::vector<std::string>& tokens,
                   int rounds);

// The text of every file below CAPGUARD_SOURCE_DIR/`folder` whose name ends in `suffix`, sorted
// by path.
std::vector<std::string> corpus(const std::string& folder, const std::string& suffix);

// True when every error in `diags` names its file, and its line and column unless it is about
// the whole file (empty, too large, unreadable).
bool all_errors_located(const Diagnostics& diags);

// The rendered diagnostics start with "NAME:" (the FILE part of FILE:LINE:COL).
bool first_error_names(const Diagnostics& diags, const std::string& name);

}  // namespace capguard::robustness
