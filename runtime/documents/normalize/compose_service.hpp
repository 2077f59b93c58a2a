#pragma once
// Compose service -> workload. Input: one service mapping of a loaded compose project (merged,
// interpolated, extends resolved: runtime/documents/compose/project.hpp). Output: the `service`
// object of the document model (spec/document-model.md), every value carrying the span of the text
// it came from, or the service key's span when the file says nothing.
//
// Booleans given as strings are read as compose reads them (y/yes/true/on, n/no/false/off); a
// known field with a wrong type is an error at its FILE:LINE:COL.

#include <string>

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"
#include "runtime/documents/compose/interpolate.hpp"
#include "runtime/documents/normalize/networks.hpp"

namespace capguard::normalize {

struct ComposeContext {
  std::string file;         // the (first) compose file, as named by the user
  std::string project_dir;  // absolute; relative bind sources resolve against it
  // The project's top-level networks; compose_services fills it from the root.
  NetworkTable networks = {};
  // The loader's values that failed interpolation or used an unset variable (may be nullptr).
  const UnreadValues* unread = nullptr;
};

// One service. `key_span`: the span of the service's key in the file.
Value compose_service(const std::string& name, const Value& service, Span key_span,
                      const ComposeContext& ctx, Diagnostics& diags);

// Every service of a compose root mapping (root.services), in file order. A value that cannot
// be read makes its field unknown (listed in the service's `unknown`), never drops the service.
// Services whose key span is unknown fall back to the service mapping's span.
List compose_services(const Value& root, const ComposeContext& ctx, Diagnostics& diags);

}  // namespace capguard::normalize
