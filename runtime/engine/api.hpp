#pragma once
// The Engine API's messages, as data: version negotiation, the container list query (docker ps
// selection), and parsing of the responses capguard reads (/_ping headers, /version,
// /containers/json, error bodies, /events lines). Pure functions, no I/O: the unit tests feed them
// responses recorded from a real dockerd (tests/unit/runtime/engine/fixtures/).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace capguard::engine {

struct ApiVersion {
  int major = 0, minor = 0;
  friend bool operator<(ApiVersion a, ApiVersion b) {
    return a.major != b.major ? a.major < b.major : a.minor < b.minor;
  }
  std::string text() const;  // "1.41"
};

// The versions this client speaks: the oldest it accepts from a daemon (Docker 1.12) and the
// newest it asks for (Docker 24).
inline constexpr ApiVersion kMinApiVersion{1, 24};
inline constexpr ApiVersion kMaxApiVersion{1, 43};

// "1.41" -> {1, 41}; nullopt when not MAJOR.MINOR.
std::optional<ApiVersion> parse_api_version(std::string_view text);

// The value of header `name` (case-insensitive) in a raw header block ("Name: value\r\n" lines;
// the status line and any earlier block of a redirect are skipped); nullopt when absent.
std::optional<std::string> header_value(std::string_view headers, std::string_view name);

struct ServerVersion {
  std::string version;      // "20.10.24+dfsg1"
  std::string api_version;  // "1.41"
  std::string min_api_version;
  std::string os, arch;
};

// GET /version; nullopt with `error` set when the body is not the object the API documents.
std::optional<ServerVersion> parse_version(std::string_view body, std::string& error);

// The version to speak with a daemon whose newest is `server` (from /_ping's API-Version, else
// /version's ApiVersion): the lower of it and kMaxApiVersion, or `pinned` (DOCKER_API_VERSION)
// when set. nullopt with `error` set when that is older than kMinApiVersion.
std::optional<ApiVersion> negotiate(ApiVersion server, std::optional<ApiVersion> pinned,
                                    std::string& error);

// Which containers, as `docker ps` selects them.
struct Selection {
  bool all = false;  // stopped and created containers too (docker ps --all)
  // --filter KEY=VALUE in order (label=..., name=..., status=..., id=..., ancestor=...): passed
  // to the daemon, which matches them as docker ps does.
  std::vector<std::pair<std::string, std::string>> filters;
  std::string project;  // --project NAME: label com.docker.compose.project=NAME
};

// "/containers/json?all=1&filters=..." for `selection` (without the version prefix).
std::string list_path(const Selection& selection);
// Percent-encodes everything but unreserved characters (RFC 3986).
std::string url_encode(std::string_view text);

struct ContainerSummary {
  std::string id;     // full id
  std::string name;   // first name, without the leading '/'
  std::string image;  // as created (reference), as docker ps shows it
  std::string state;  // running, created, exited, ...
  std::map<std::string, std::string> labels;
};

// GET /containers/json, in the daemon's order (newest first).
std::optional<std::vector<ContainerSummary>> parse_container_list(std::string_view body,
                                                                  std::string& error);

// The daemon's message in an error body ({"message": "..."}); the body itself, cut, otherwise.
std::string error_message(std::string_view body);

struct EngineEvent {
  std::string type;    // "container"
  std::string action;  // "create", "start", ...
  std::string id;
  std::string name;         // Actor.Attributes.name
  long long time = 0;       // unix seconds
  long long time_nano = 0;  // unix nanoseconds (0 when the daemon does not send timeNano)
};

// One line of GET /events; nullopt with `error` set when it is not an event object.
std::optional<EngineEvent> parse_event(std::string_view line, std::string& error);

// "/events?filters=..." for container create and start events; from `since_nano` (unix
// nanoseconds, sent as "SECONDS.NANOSECONDS", which the daemon compares with each event's
// timeNano, inclusive) when it is > 0.
std::string events_path(long long since_nano = 0);

}  // namespace capguard::engine
