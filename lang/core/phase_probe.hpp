#pragma once
// Where one process's time goes, phase by phase, for bench/phases.py. Compiled in only when CMake's
// CAPGUARD_PHASE_PROBES is ON (a build folder of its own for measuring); otherwise the macros are
// empty. CAPGUARD_PHASE("name") notes the monotonic clock at the end of the phase `name` (a string
// literal); CAPGUARD_PHASES_WRITE(), at the end of main, appends one line per phase to the file
// named by CAPGUARD_PHASES_OUT: the name and the nanoseconds since the previous mark (the first:
// since CAPGUARD_PHASES_T0, the clock of the process that started this one, just before it did).
// Nothing is written when either variable is unset. The first 64 marks are kept; marks made by
// several threads at once are kept in no particular order.

#ifdef CAPGUARD_PHASE_PROBES

#include <time.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace capguard::phase_probe {

struct Mark {
  const char* name;
  long long nanoseconds;
};
inline Mark marks[64];
inline std::atomic<int> count{0};

inline long long now() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

inline void mark(const char* name) {
  int i = count.fetch_add(1, std::memory_order_relaxed);
  if (i < 64) marks[i] = Mark{name, now()};
}

inline void write() {
  const char* start = std::getenv("CAPGUARD_PHASES_T0");
  const char* path = std::getenv("CAPGUARD_PHASES_OUT");
  if (start == nullptr || path == nullptr) return;
  std::FILE* out = std::fopen(path, "a");
  if (out == nullptr) return;
  long long previous = std::atoll(start);
  int n = count.load() < 64 ? count.load() : 64;
  for (int i = 0; i < n; ++i) {
    std::fprintf(out, "%s\t%lld\n", marks[i].name, marks[i].nanoseconds - previous);
    previous = marks[i].nanoseconds;
  }
  std::fclose(out);
}

}  // namespace capguard::phase_probe

#define CAPGUARD_PHASE(name) ::capguard::phase_probe::mark(name)
#define CAPGUARD_PHASES_WRITE() ::capguard::phase_probe::write()
// In the executable's main file: a mark before the static constructors run (.preinit_array), so
// that the first phase is the start of the process (fork, exec, the dynamic loader).
#define CAPGUARD_PHASE_AT_PREINIT(name)                                                           \
  static void capguard_phase_preinit(int, char**, char**) {                                       \
    ::capguard::phase_probe::mark(name);                                                          \
  }                                                                                               \
  __attribute__((section(".preinit_array"), used)) static void (*const capguard_phase_preinit_p)( \
      int, char**, char**) = capguard_phase_preinit

#else

#define CAPGUARD_PHASE(name) ((void)0)
#define CAPGUARD_PHASES_WRITE() ((void)0)
#define CAPGUARD_PHASE_AT_PREINIT(name) static_assert(true, "")

#endif
