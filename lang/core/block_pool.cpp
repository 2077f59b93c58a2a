#include "lang/core/block_pool.hpp"

#include <sys/mman.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <new>

namespace capguard::block_pool {

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kPooled = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kPooled = false;
#else
constexpr bool kPooled = true;
#endif
#else
constexpr bool kPooled = true;
#endif

constexpr size_t kChunkBytes = size_t{2} << 20;  // one huge page
constexpr size_t kMaxPooled = kChunkBytes / 8;   // larger blocks get their own allocation

// At the start of every chunk. `live` counts the blocks carved from it and not yet freed, plus
// one while the chunk is the pool's current one: whoever takes it to zero frees the chunk.
struct Chunk {
  std::atomic<uint64_t> live{1};
  size_t used = 0;  // bytes carved so far, this header included (under the pool's mutex)
};

// Before every block: where it came from.
struct alignas(16) Prefix {
  Chunk* chunk;  // nullptr: operator new
};
static_assert(sizeof(Prefix) == 16);

constexpr size_t kHeaderBytes = (sizeof(Chunk) + 15) & ~size_t{15};

void drop(Chunk* chunk) {
  if (chunk->live.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    chunk->~Chunk();
    std::free(chunk);
  }
}

std::mutex pool_mutex;
size_t chunks_made = 0;  // under pool_mutex

Chunk* new_chunk() {
  void* memory = std::aligned_alloc(kChunkBytes, kChunkBytes);
  if (!memory) return nullptr;
  // A hint: without transparent huge pages the chunk is ordinary memory. Not for the first
  // chunk: a process that checks a few files (the common run) touches a few 4 KiB pages of it,
  // where a huge page would cost it a 2 MiB page to clear at the first touch (issue 15).
  if (chunks_made++ > 0) madvise(memory, kChunkBytes, MADV_HUGEPAGE);
  auto* chunk = new (memory) Chunk;
  chunk->used = kHeaderBytes;
  return chunk;
}

Chunk* current = nullptr;  // under pool_mutex

}  // namespace

void* allocate(size_t bytes) {
  size_t total = sizeof(Prefix) + ((bytes + 15) & ~size_t{15});
  Chunk* chunk = nullptr;
  char* at = nullptr;
  if (kPooled && total <= kMaxPooled) {
    std::lock_guard<std::mutex> lock(pool_mutex);
    if (!current || current->used + total > kChunkBytes) {
      Chunk* fresh = new_chunk();
      if (fresh) {
        if (current) drop(current);  // the pool's own count: the chunk now ends with its blocks
        current = fresh;
      }
    }
    if (current && current->used + total <= kChunkBytes) {
      chunk = current;
      at = reinterpret_cast<char*>(chunk) + chunk->used;
      chunk->used += total;
      chunk->live.fetch_add(1, std::memory_order_relaxed);
    }
  }
  if (!chunk) at = static_cast<char*>(::operator new(total));
  new (at) Prefix{chunk};
  return at + sizeof(Prefix);
}

void release(void* block) {
  if (!block) return;
  auto* prefix = reinterpret_cast<Prefix*>(static_cast<char*>(block) - sizeof(Prefix));
  Chunk* chunk = prefix->chunk;
  if (!chunk) {
    ::operator delete(prefix);
    return;
  }
  drop(chunk);
}

}  // namespace capguard::block_pool
