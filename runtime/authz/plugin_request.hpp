#pragma once
// The Docker authorization-plugin protocol's request (moby pkg/authorization.Request, posted as
// JSON to /AuthZPlugin.AuthZReq and /AuthZPlugin.AuthZRes) and the Engine API call it names.
//
// The daemon passes the request body (JSON `[]byte`, so base64) only when the request's
// Content-Type is exactly `application/json`, its Content-Length is known and under 1 MiB, and the
// path does not end in /auth; otherwise RequestBody is absent. A call whose body the policies need
// (create, update, exec) without one must therefore be refused, not allowed (spec/authz.md).

#include <optional>
#include <string>
#include <string_view>

namespace capguard::authz {

struct PluginRequest {
  std::string user;                 // "" unless the daemon authenticates users (TLS)
  std::string user_authn_method;    // e.g. "TLS"
  std::string method;               // RequestMethod: "POST"
  std::string uri;                  // RequestUri: "/v1.41/containers/create?name=web"
  std::optional<std::string> body;  // RequestBody decoded; nullopt when the daemon passed none
  std::string content_type;         // RequestHeaders["Content-Type"], "" when absent
  std::string content_length;       // RequestHeaders["Content-Length"], "" when absent
};

// Parses the daemon's JSON. False with `error` set when it is not an object, a field has the
// wrong type, or RequestBody is not base64.
bool parse_plugin_request(std::string_view json, PluginRequest& out, std::string& error);

// Standard base64 (RFC 4648, padded, as Go's encoding/json writes []byte); false when invalid.
bool base64_decode(std::string_view in, std::string& out);

enum class ApiCall {
  ContainerCreate,  // POST /containers/create
  ContainerUpdate,  // POST /containers/{id}/update
  ContainerExec,    // POST /containers/{id}/exec
  ContainerStart,   // POST /containers/{id}/start (API < 1.24 takes a HostConfig body)
  PluginDisable,    // POST /plugins/{name}/disable
  PluginRemove,     // DELETE /plugins/{name}
  PluginChange,     // POST /plugins/{name}/{set,upgrade,enable,push}, /plugins/{pull,create}?name=
  Other,
};

// The name used in the decision log: "container_create", ..., "other".
const char* api_call_name(ApiCall call);

struct ApiRoute {
  ApiCall call = ApiCall::Other;
  std::string path;    // percent-decoded, cleaned, without the /vX.Y prefix: "/containers/create"
  std::string target;  // the container id/name (update, exec) or plugin name (plugin calls)
  std::string name;    // create: the ?name= query parameter ("" when absent)
};

// The API call of METHOD and URI as the daemon's router sees it: the path percent-decoded,
// `//`, `.` and `..` cleaned, an optional /v<digits and dots> prefix removed; the method compared
// case-insensitively (stricter than the router, never looser).
ApiRoute route_request(std::string_view method, std::string_view uri);

// Decodes %XX sequences (and '+' as a space when `query`); invalid sequences stay as written.
std::string percent_decode(std::string_view text, bool query);

}  // namespace capguard::authz
