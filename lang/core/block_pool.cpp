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
  size_t used = 0;      // bytes carved so far, this header included (under the pool's mutex)
  size_t capacity = 0;  // bytes of the chunk, this header included
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

// The first chunk is small and of ordinary pages: a process that checks a few files (the common
// run) would otherwise clear a whole 2 MiB huge page at its first touch for a few KiB of
// documents (issue 15). The next ones are huge pages, for runs over many documents.
constexpr size_t kFirstChunkBytes = size_t{256} << 10;

Chunk* new_chunk() {
  bool first = chunks_made == 0;
  size_t bytes = first ? kFirstChunkBytes : kChunkBytes;
  void* memory = std::aligned_alloc(bytes, bytes);
  if (!memory) return nullptr;
  ++chunks_made;
  // A hint: without transparent huge pages the chunk is ordinary memory.
  if (!first) madvise(memory, kChunkBytes, MADV_HUGEPAGE);
  auto* chunk = new (memory) Chunk;
  chunk->used = kHeaderBytes;
  chunk->capacity = bytes;
  return chunk;
}

Chunk* current = nullptr;  // under pool_mutex

}  // namespace

void* allocate(size_t bytes, bool pooled) {
  size_t total = sizeof(Prefix) + ((bytes + 15) & ~size_t{15});
  Chunk* chunk = nullptr;
  char* at = nullptr;
  if (kPooled && pooled && total <= kMaxPooled) {
    std::lock_guard<std::mutex> lock(pool_mutex);
    if (!current || current->used + total > current->capacity) {
      Chunk* fresh = new_chunk();
      if (fresh) {
        if (current) drop(current);  // the pool's own count: the chunk now ends with its blocks
        current = fresh;
      }
    }
    if (current && current->used + total <= current->capacity) {
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
