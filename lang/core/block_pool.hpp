#pragma once
// Memory for compacted documents (compact() in lang/core/value.hpp). A document block is written
// once and then only read, often across many documents in a row (a check of many inputs, the
// benchmark's 1000 documents). Blocks are carved in order from 2 MiB chunks that the kernel is
// asked to back with huge pages (madvise MADV_HUGEPAGE; honoured when transparent huge pages are
// "always" or "madvise"), so that reading ~100 documents needs one TLB entry instead of one per
// 4 KiB page. The process's first chunk is 256 KiB of ordinary pages, so that a run over a few
// small files does not clear a whole huge page at its first touch. A chunk goes back to the system
// when the last block carved from it is freed and a newer chunk has taken its place. Blocks too
// large to share a chunk come from operator new, and so do all blocks under AddressSanitizer (which
// then sees each block as its own allocation).
//
// Thread-safe: documents are loaded, compacted and freed on several threads at once.

#include <cstddef>

namespace capguard::block_pool {

// `bytes` of memory aligned to 16. Throws std::bad_alloc. `pooled` false: from operator new, for a
// short-lived block (freed soon, while the blocks carved around it in a chunk would live on and
// keep the chunk).
void* allocate(size_t bytes, bool pooled = true);
// Frees memory from allocate().
void release(void* block);

}  // namespace capguard::block_pool
