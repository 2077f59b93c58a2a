// co_runner: the worst neighbour a shared machine can have, for measuring the benchmarks under
// memory pressure. Reads and writes a buffer larger than the L3 cache in a loop until killed.
//
//   build-bench/bench/co_runner 48 &   # MiB; then run bench/ab.sh; then kill %1

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
  size_t mib = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 48;
  if (mib == 0) {
    std::fprintf(stderr, "usage: co_runner [MiB]\n");
    return 2;
  }
  std::vector<uint64_t> buffer(mib << 17);  // MiB of 8-byte words
  for (size_t i = 0; i < buffer.size(); ++i) buffer[i] = i;
  volatile uint64_t* p = buffer.data();
  uint64_t sum = 0;
  for (;;) {
    for (size_t i = 0; i < buffer.size(); i += 8) {  // one word per cache line
      sum += p[i];
      p[i] = sum;
    }
  }
}
