#pragma once
// docker inspect container -> workload. Input: one element of the JSON array that
// `docker inspect` prints. Fields are mapped onto the same model as compose services, with
// Docker's meanings: null CapAdd/CapDrop are empty, Memory 0 and PidsLimit null/0/-1 are
// unlimited, an empty PidMode/IpcMode/UTSMode is private, NetworkMode "default" is bridge.
// The container's name is Name without its leading "/"; the whole object is `raw`.

#include <string>

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"

namespace capguard::normalize {

Value inspect_container(const Value& container, const std::string& file, Diagnostics& diags);

// Every container of a parsed inspect document (an array, or one object). Containers whose
// mapping reported an error are left out.
List inspect_containers(const Value& parsed, const std::string& file, Diagnostics& diags);

}  // namespace capguard::normalize
