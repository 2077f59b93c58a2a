#pragma once
// docker inspect container -> workload. Input: one element of the JSON array that
// `docker inspect` prints. Fields are mapped onto the same model as compose services, with
// Docker's meanings: null CapAdd/CapDrop are empty, Memory 0 and PidsLimit null/0/-1 are
// unlimited, an empty PidMode/IpcMode/UTSMode is private, NetworkMode "default" is bridge.
// The container's name is Name without its leading "/"; the whole object is `raw`, or only its
// keys in `raw_keys` (sorted) when that is given (what the policies read: ir::Program::raw_keys).

#include <string>
#include <vector>

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"

namespace capguard::normalize {

Value inspect_container(const Value& container, const std::string& file, Diagnostics& diags,
                        const std::vector<std::string>* raw_keys = nullptr);

// One element of an inspect array, checked (an object; a container, not an image), normalized and
// appended to `out` compacted: with `raw_keys`, into a block of its own that shares nothing with
// `container`'s (compact_copy), so the loaded tree can be freed. Otherwise an error, and nothing
// appended.
void add_inspect_container(const Value& container, const std::string& file, Diagnostics& diags,
                           const std::vector<std::string>* raw_keys, List& out);

// Every container of a parsed inspect document (an array, or one object). Containers whose
// mapping reported an error are left out.
List inspect_containers(const Value& parsed, const std::string& file, Diagnostics& diags,
                        const std::vector<std::string>* raw_keys = nullptr);

}  // namespace capguard::normalize
