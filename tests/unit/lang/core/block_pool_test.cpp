// The memory of compacted documents (lang/block_pool): blocks are aligned, never overlap, keep
// what was written to them, and may be freed in any order and on any thread.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "lang/core/block_pool.hpp"
#include "lang/core/value.hpp"

using namespace capguard;

namespace {

struct Block {
  unsigned char* data;
  size_t size;
  unsigned char fill;
};

// Allocates blocks of sizes from a few bytes to well over the pooled limit, fills each with its
// own byte, frees a random half, allocates again, and checks every live block still holds its
// byte (an overlap or a reuse of live memory would change one).
void churn(uint32_t seed, std::vector<Block>& live) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<size_t> size_class(0, 9);
  auto make = [&] {
    size_t size = size_t{1} << (size_class(rng) * 2);  // 1 B to 256 KiB
    size += rng() % 97;
    auto* p = static_cast<unsigned char*>(block_pool::allocate(size));
    REQUIRE(reinterpret_cast<uintptr_t>(p) % 16 == 0);
    auto fill = static_cast<unsigned char>(rng());
    std::memset(p, fill, size);
    live.push_back({p, size, fill});
  };
  for (int i = 0; i < 300; ++i) make();
  std::shuffle(live.begin(), live.end(), rng);
  for (size_t i = live.size() / 2; i < live.size(); ++i) block_pool::release(live[i].data);
  live.resize(live.size() / 2);
  for (int i = 0; i < 300; ++i) make();
  for (const Block& b : live) {
    bool intact =
        std::all_of(b.data, b.data + b.size, [&](unsigned char c) { return c == b.fill; });
    CHECK(intact);
  }
}

}  // namespace

TEST_CASE("block pool: aligned, disjoint blocks that keep their contents, freed in any order") {
  std::vector<Block> live;
  churn(1, live);
  std::vector<std::pair<uintptr_t, uintptr_t>> ranges;
  for (const Block& b : live) {
    ranges.emplace_back(reinterpret_cast<uintptr_t>(b.data),
                        reinterpret_cast<uintptr_t>(b.data) + b.size);
  }
  std::sort(ranges.begin(), ranges.end());
  for (size_t i = 1; i < ranges.size(); ++i) CHECK(ranges[i - 1].second <= ranges[i].first);
  for (const Block& b : live) block_pool::release(b.data);
  block_pool::release(nullptr);  // like delete of nullptr
}

TEST_CASE("block pool: blocks allocated on one thread may be freed on another") {
  std::vector<std::vector<Block>> per_thread(4);
  std::vector<std::thread> threads;
  for (uint32_t t = 0; t < per_thread.size(); ++t) {
    threads.emplace_back([t, &per_thread] { churn(100 + t, per_thread[t]); });
  }
  for (std::thread& t : threads) t.join();
  threads.clear();
  // Each thread frees another thread's blocks, while the others still allocate.
  for (size_t t = 0; t < per_thread.size(); ++t) {
    threads.emplace_back([t, &per_thread] {
      for (const Block& b : per_thread[(t + 1) % per_thread.size()]) block_pool::release(b.data);
      std::vector<Block> more;
      churn(200 + static_cast<uint32_t>(t), more);
      for (const Block& b : more) block_pool::release(b.data);
    });
  }
  for (std::thread& t : threads) t.join();
}

TEST_CASE("compacted documents live in the pool and outlive the tree they were copied from") {
  std::vector<Value> docs;
  for (int i = 0; i < 2000; ++i) {
    Value tree =
        Value::map({{"services",
                     Value::list({Value::map({{"name", Value::string("svc-" + std::to_string(i))},
                                              {"image", Value::string(std::string(40, 'x'))}})})}});
    docs.push_back(compact(tree));
  }
  for (int i = 0; i < 2000; i += 2) docs[static_cast<size_t>(i)] = Value();  // free every other
  for (int i = 1; i < 2000; i += 2) {
    const Value* services = docs[static_cast<size_t>(i)].get("services");
    REQUIRE(services != nullptr);
    CHECK(services->as_list()[0].get("name")->as_string() == "svc-" + std::to_string(i));
    CHECK(services->as_list()[0].get("image")->as_string() == std::string(40, 'x'));
  }
}
