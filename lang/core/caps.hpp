#pragma once
// Linux capabilities as a first-class set: a 64-bit mask indexed by capability number.
// Names are matched case-insensitively with an optional CAP_ prefix; "ALL" means every one.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capguard::caps {

using Mask = uint64_t;

constexpr int kLastCap = 40;  // CAP_CHECKPOINT_RESTORE
constexpr Mask kAll = (Mask{1} << (kLastCap + 1)) - 1;

// Canonical upper-case name without the CAP_ prefix ("NET_ADMIN") of capability `number`.
std::string_view name(int number);
// Every capability name, in number order.
const std::vector<std::string>& all_names();

// Parses one name. Returns its number, or -1 for "ALL", or nullopt if unknown.
std::optional<int> parse(std::string_view text);
// The upper-case, prefix-less spelling of `text` ("cap_net_admin" -> "NET_ADMIN"), whether or
// not it is a known capability.
std::string canonical_spelling(std::string_view text);

// Docker's 14 default capabilities.
Mask docker_defaults();
// Capabilities that grant a path to host root or kernel control (SYS_ADMIN, NET_ADMIN, ...).
Mask dangerous();

constexpr Mask bit(int number) {
  return Mask{1} << number;
}
// Names of the capabilities in `mask`, in number order.
std::vector<std::string> names(Mask mask);

// Docker's effective set for a container, the daemon's rule (moby oci/caps TweakCapabilities):
// every capability when privileged; else, when `added` contains ALL, every capability minus the
// ones `dropped` names (ALL in `dropped` then removes nothing more); else, when `dropped`
// contains ALL, only the named adds; else Docker's defaults minus dropped, plus the named adds.
Mask effective(bool privileged, Mask added, bool added_all, Mask dropped, bool dropped_all);

}  // namespace capguard::caps
