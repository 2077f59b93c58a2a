#pragma once
// The engine twin (spec/architecture.md, "Linking"). The release capguard is one static
// position-independent executable: no dynamic loader, no shared library, ~10% of a one-file check.
// A static executable cannot load libcurl (dlopen needs the dynamic loader, and a second libc in
// the process is not safe), so the build also links the same commands as `capguard-engine`, with
// libc as its only shared library, able to dlopen libcurl (runtime/engine/curl_library.hpp). A
// command that is about to read a Docker engine calls run_engine_twin() before it writes
// anything: a static capguard replaces itself with capguard-engine, same arguments, same
// environment, same open files; anywhere else (capguard-engine itself, a build that is not
// static) nothing happens.

#include <string>

namespace capguard::cli {

// main() records its arguments for run_engine_twin().
void remember_arguments(char** argv);

// In a static executable: executes capguard-engine in place of this process (it is looked up
// beside the executable, then in ../libexec/capguard/) and returns only when that fails, with
// the reason in the result. Elsewhere: returns "" at once.
std::string run_engine_twin();

}  // namespace capguard::cli
