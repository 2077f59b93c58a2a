#pragma once
// The top-level `include` of a compose file (compose-spec 14-include.md): each entry, a path or
// `{path: PATH | [PATH...], env_file: F | [F...], project_directory: DIR}`, is loaded as a
// project of its own (its variables: the including project's, plus those of its own .env or
// env_file that the including project does not define, as compose-go does; several paths merged
// in order), and its
// services, networks, volumes, configs and secrets are added to the including file. Relative paths
// resolve against the including file's folder; relative paths in the included services resolve
// against the included project's folder (made absolute, runtime/documents/compose/paths.hpp). A
// missing file or an include cycle is an error at the FILE:LINE:COL of the include entry; a
// resource (service, network...) that two sides define differently is an error at the including
// file's definition (the same definition twice, as when two included files include a third, is
// fine).

#include "lang/core/value.hpp"
#include "runtime/documents/compose/file_loader.hpp"

namespace capguard {

// Resolves and removes `include` from `root` (a file's top-level mapping). `dir` is the
// including file's folder. False when an error was reported.
bool apply_includes(Value& root, const std::string& dir, const Environment& env,
                    ComposeFileLoader& loader);

}  // namespace capguard
