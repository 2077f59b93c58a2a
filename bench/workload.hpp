#pragma once
// The benchmark workload: compose documents generated deterministically (fixed seed), loaded and
// normalized through the real loader before any timing, and the policies they are checked with.

#include <cstdint>
#include <string>
#include <vector>

#include "lang/compile/ir.hpp"
#include "lang/core/value.hpp"

namespace capguard::bench {

// The four hardening rules of bench_eval, written in the policy language over the normalized
// model: privileged is true; cap_drop lacks ALL; security_opt lacks no-new-privileges;
// read_only is not true.
extern const char* const kHardeningPolicy;

// Compose YAML text of `count` documents of `services` services each, with the mix per service:
// an image; privileged true 30%, false 30%, absent 40%; cap_drop present 80% with 0 to 2 of ALL,
// NET_RAW, SYS_ADMIN, CHOWN; security_opt present 80% with 0 to 2 of no-new-privileges:true,
// no-new-privileges, no-new-privileges:false, seccomp:unconfined, apparmor:docker-default;
// read_only true 60%, false 20%, absent 20%.
std::vector<std::string> generate_compose_texts(size_t count, size_t services, uint32_t seed);

// Loads and normalizes each text (aborts with the diagnostics if one fails to load).
std::vector<Value> load_documents(const std::vector<std::string>& texts);

// Compiles policy sources (name, text) with the runtime's compile options; aborts on errors.
ir::Program compile_or_die(const std::vector<std::pair<std::string, std::string>>& sources);

}  // namespace capguard::bench
