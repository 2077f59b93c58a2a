#pragma once
// Compose `volumes_from`: a service given `volumes_from: [NAME[:ro|rw]]` (or `service:NAME`)
// gets the bind and volume mounts of that service when Docker creates it, as `docker inspect`
// then shows. The model adds them to the service's `mounts`, read-only for `:ro` (else in their
// own mode), every field at the span of the `volumes_from` entry, so that CG-FS-005 and the
// other mount policies see a Docker socket or host path brought in this way.
// `container:NAME` names a container outside the project and is left alone; mounts the named
// service itself got through its own volumes_from are followed one level only.

#include "lang/core/value.hpp"

namespace capguard::normalize {

// `workloads` as compose_services builds them (name, mounts, raw); returns them with the
// mounts of each `volumes_from` service added.
List apply_volumes_from(List workloads);

}  // namespace capguard::normalize
