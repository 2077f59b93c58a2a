#pragma once
// `extends` of services (compose-spec 05-services.md#extends): `extends: NAME`,
// `extends: {service: NAME}` or `extends: {service: NAME, file: PATH}`. The extended service
// (itself resolved first, so chains work) is the base and the extending service is merged onto
// it by the merge rules (runtime/documents/compose/merge.hpp). A relative `file` resolves against
// the folder of the file that wrote it, and so do the relative paths of a service extended from
// another file (made absolute, runtime/documents/compose/paths.hpp). A missing service or file and
// a cycle are errors at the FILE:LINE:COL of the `extends` value.

#include "lang/core/value.hpp"
#include "runtime/documents/compose/environment.hpp"
#include "runtime/documents/compose/file_loader.hpp"

namespace capguard {

// Resolves every service's `extends` in a (merged) model and removes the `extends` keys.
// Other files are read with `env`. False when an error was reported.
bool resolve_extends(Value& root, const Environment& env, ComposeFileLoader& loader);

}  // namespace capguard
