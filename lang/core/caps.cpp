#include "lang/core/caps.hpp"

#include <array>
#include <cctype>

namespace capguard::caps {

namespace {
constexpr std::array<std::string_view, kLastCap + 1> kNames = {"CHOWN",
                                                               "DAC_OVERRIDE",
                                                               "DAC_READ_SEARCH",
                                                               "FOWNER",
                                                               "FSETID",
                                                               "KILL",
                                                               "SETGID",
                                                               "SETUID",
                                                               "SETPCAP",
                                                               "LINUX_IMMUTABLE",
                                                               "NET_BIND_SERVICE",
                                                               "NET_BROADCAST",
                                                               "NET_ADMIN",
                                                               "NET_RAW",
                                                               "IPC_LOCK",
                                                               "IPC_OWNER",
                                                               "SYS_MODULE",
                                                               "SYS_RAWIO",
                                                               "SYS_CHROOT",
                                                               "SYS_PTRACE",
                                                               "SYS_PACCT",
                                                               "SYS_ADMIN",
                                                               "SYS_BOOT",
                                                               "SYS_NICE",
                                                               "SYS_RESOURCE",
                                                               "SYS_TIME",
                                                               "SYS_TTY_CONFIG",
                                                               "MKNOD",
                                                               "LEASE",
                                                               "AUDIT_WRITE",
                                                               "AUDIT_CONTROL",
                                                               "SETFCAP",
                                                               "MAC_OVERRIDE",
                                                               "MAC_ADMIN",
                                                               "SYSLOG",
                                                               "WAKE_ALARM",
                                                               "BLOCK_SUSPEND",
                                                               "AUDIT_READ",
                                                               "PERFMON",
                                                               "BPF",
                                                               "CHECKPOINT_RESTORE"};

Mask mask_of(std::initializer_list<std::string_view> list) {
  Mask m = 0;
  for (std::string_view n : list) m |= bit(*parse(n));
  return m;
}
}  // namespace

std::string_view name(int number) {
  return number >= 0 && number <= kLastCap ? kNames[static_cast<size_t>(number)] : "";
}

const std::vector<std::string>& all_names() {
  static const std::vector<std::string> names(kNames.begin(), kNames.end());
  return names;
}

std::string canonical_spelling(std::string_view text) {
  std::string upper;
  upper.reserve(text.size());
  for (char c : text) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper.rfind("CAP_", 0) == 0) upper.erase(0, 4);
  return upper;
}

std::optional<int> parse(std::string_view text) {
  std::string upper = canonical_spelling(text);
  if (upper == "ALL") return -1;
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == upper) return static_cast<int>(i);
  }
  return std::nullopt;
}

Mask docker_defaults() {
  static const Mask m =
      mask_of({"CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID",
               "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE"});
  return m;
}

Mask dangerous() {
  static const Mask m =
      mask_of({"SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "SYS_RAWIO", "DAC_READ_SEARCH",
               "BPF", "PERFMON", "SYS_BOOT", "MAC_ADMIN", "MAC_OVERRIDE", "SYS_TIME",
               "LINUX_IMMUTABLE", "SYSLOG", "CHECKPOINT_RESTORE"});
  return m;
}

std::vector<std::string> names(Mask mask) {
  std::vector<std::string> out;
  for (int i = 0; i <= kLastCap; ++i) {
    if (mask & bit(i)) out.emplace_back(kNames[static_cast<size_t>(i)]);
  }
  return out;
}

Mask effective(bool privileged, Mask added, bool added_all, Mask dropped, bool dropped_all) {
  // moby oci/caps.TweakCapabilities, in its order: privileged means all; cap_add ALL is every
  // capability but the ones cap_drop names (cap_drop ALL included: `cap_add: [ALL]` with
  // `cap_drop: [ALL]` keeps them all); cap_drop ALL keeps only the named adds; otherwise the
  // defaults minus the drops, plus the adds (so an add wins over a drop of the same name).
  if (privileged) return kAll;
  if (added_all) return kAll & ~dropped;
  if (dropped_all) return added;
  return (docker_defaults() & ~dropped) | added;
}

}  // namespace capguard::caps
