#pragma once
// The body of a container create, update or exec request into the `services` document the
// policies see (spec/document-model.md), by way of the inspect normalizer: the body is reshaped
// into the inspect object it describes, so that every spelling the daemon accepts reaches the
// policies in its one normalized form (CAP_SYS_ADMIN and sys_admin, seccomp=unconfined and
// seccomp:unconfined, binds in Binds and in Mounts).
//
// Keys are matched as the daemon's JSON decoder (Go encoding/json) matches struct fields: case-
// insensitively, with Unicode simple folding (U+017F is `s`, U+212A is `k`); keys of map-typed
// fields (Labels, Sysctls, Tmpfs, ...) keep their case. A field given twice, in any spelling, and
// a key repeated in any object are refused: Go's decoder would merge them by rules of its own (a
// later null is ignored for some fields and not for others), and the docker CLI never sends them.
//
//   create  POST /containers/create?name=N   Config fields at the top level, HostConfig,
//                                            NetworkingConfig.EndpointsConfig
//   update  POST /containers/{id}/update     HostConfig resources and RestartPolicy, flat
//   exec    POST /containers/{id}/exec       Privileged, User, Env, Cmd
//   start   POST /containers/{id}/start      a HostConfig (API before 1.24 applies it at start)
//
// An update or an exec describes a change to a container whose configuration the request does
// not carry: its document is the change applied to an otherwise empty container, and its
// `baseline` the same empty container, so that the caller can refuse only what the change adds.

#include <string>
#include <string_view>

#include "lang/core/value.hpp"
#include "runtime/authz/plugin_request.hpp"

namespace capguard::authz {

struct RequestModel {
  Value document;         // {"services": [the container's workload]}
  Value baseline;         // update, exec: the document without the change; null for create
  std::string container;  // the workload's name
};

// False with `error` set when the body is not JSON, not an object, or holds a value of a type the
// daemon would refuse (the normalizer's first error). `route.call` must be ContainerCreate,
// ContainerUpdate, ContainerExec or ContainerStart.
bool request_model(const ApiRoute& route, std::string_view body, RequestModel& out,
                   std::string& error);

// The body's keys folded to the field names the normalizer reads (see above); `error` is set when a
// field is given twice. Exposed for tests.
Value fold_request_keys(const Value& body, std::string& error);

// The inspect-shaped object of a create request's (folded) body, named `name`.
Value create_request_container(const Value& body, const std::string& name);

}  // namespace capguard::authz
