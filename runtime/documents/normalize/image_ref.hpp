#pragma once
// Docker image references, parsed as Docker normalizes them (distribution/reference
// ParseNormalizedNamed): `[REGISTRY[:PORT]/]PATH[:TAG][@DIGEST]`. The first component is a
// registry when it contains '.' or ':' or is "localhost"; otherwise the registry is docker.io
// and a one-component path gets the "library/" prefix ("nginx" -> docker.io/library/nginx).
// No tag and no digest leaves the tag empty: Docker then pulls "latest".

#include <optional>
#include <string>
#include <string_view>

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"

namespace capguard::normalize {

struct ImageRef {
  std::string registry;    // "docker.io", "ghcr.io", "localhost:5000"
  std::string repository;  // full normalized name: "docker.io/library/nginx"
  std::optional<std::string> tag;
  std::optional<std::string> digest;  // "sha256:..."
};

// nullopt with a one-line reason in `error` when `text` is not a valid reference.
std::optional<ImageRef> parse_image_ref(std::string_view text, std::string& error);

// The `image` object of a workload: {ref, registry, repository, tag, digest}. `ref` null (or
// absent) gives an object of nulls at `fallback`. Parts keep the span of the reference. An
// image ID ("sha256:<64 hex>") has only `ref` and `digest`.
Value image_value(const Value* ref, Span fallback, Diagnostics& diags);

}  // namespace capguard::normalize
