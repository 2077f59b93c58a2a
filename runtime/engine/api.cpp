#include "runtime/engine/api.hpp"

#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lang/core/diagnostics.hpp"

namespace capguard::engine {

namespace {

using json = nlohmann::json;

std::string string_field(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// Cut text from a daemon to one short line for a message.
std::string short_text(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 200)) out += (c == '\n' || c == '\r') ? ' ' : c;
  if (text.size() > 200) out += "...";
  return out;
}

}  // namespace

std::string ApiVersion::text() const {
  return fmt::format("{}.{}", major, minor);
}

std::optional<ApiVersion> parse_api_version(std::string_view text) {
  ApiVersion v;
  size_t dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size() || dot > 4 ||
      text.size() - dot > 5) {
    return std::nullopt;
  }
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == dot) continue;
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  v.major = std::stoi(std::string(text.substr(0, dot)));
  v.minor = std::stoi(std::string(text.substr(dot + 1)));
  return v;
}

std::optional<std::string> header_value(std::string_view headers, std::string_view name) {
  std::optional<std::string> found;
  while (!headers.empty()) {
    size_t end = headers.find('\n');
    std::string_view line = headers.substr(0, end);
    headers = end == std::string_view::npos ? std::string_view() : headers.substr(end + 1);
    if (line.substr(0, 5) == "HTTP/") {
      found.reset();  // a new response's block starts (after a 100 Continue or a redirect)
      continue;
    }
    size_t colon = line.find(':');
    if (colon != std::string_view::npos && ascii_iequal(trim(line.substr(0, colon)), name)) {
      found = std::string(trim(line.substr(colon + 1)));
    }
  }
  return found;
}

std::optional<ServerVersion> parse_version(std::string_view body, std::string& error) {
  json doc = json::parse(body, nullptr, false);
  if (!doc.is_object()) {
    error = "GET /version: the answer is not a JSON object: " + short_text(body);
    return std::nullopt;
  }
  ServerVersion v;
  v.version = string_field(doc, "Version");
  v.api_version = string_field(doc, "ApiVersion");
  v.min_api_version = string_field(doc, "MinAPIVersion");
  v.os = string_field(doc, "Os");
  v.arch = string_field(doc, "Arch");
  if (v.api_version.empty()) {
    error = "GET /version: the answer has no ApiVersion";
    return std::nullopt;
  }
  return v;
}

std::optional<ApiVersion> negotiate(ApiVersion server, std::optional<ApiVersion> pinned,
                                    std::string& error) {
  ApiVersion use = pinned ? *pinned : (server < kMaxApiVersion ? server : kMaxApiVersion);
  if (use < kMinApiVersion) {
    error = pinned ? fmt::format(
                         "DOCKER_API_VERSION={} is older than API {}, the oldest "
                         "capguard reads (Docker 1.12)",
                         use.text(), kMinApiVersion.text())
                   : fmt::format(
                         "the engine speaks API {}, older than {}, the oldest capguard "
                         "reads (Docker 1.12); upgrade the engine",
                         use.text(), kMinApiVersion.text());
    return std::nullopt;
  }
  return use;
}

std::string url_encode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string list_path(const Selection& selection) {
  json filters = json::object();
  for (const auto& [key, value] : selection.filters) filters[key].push_back(value);
  if (!selection.project.empty()) {
    filters["label"].push_back("com.docker.compose.project=" + selection.project);
  }
  std::string path = "/containers/json";
  std::string sep = "?";
  if (selection.all) {
    path += "?all=1";
    sep = "&";
  }
  if (!filters.empty()) path += sep + "filters=" + url_encode(filters.dump());
  return path;
}

std::optional<std::vector<ContainerSummary>> parse_container_list(std::string_view body,
                                                                  std::string& error) {
  json doc = json::parse(body, nullptr, false);
  if (!doc.is_array()) {
    error = "GET /containers/json: the answer is not a JSON array: " + short_text(body);
    return std::nullopt;
  }
  std::vector<ContainerSummary> out;
  for (const json& item : doc) {
    if (!item.is_object()) {
      error = "GET /containers/json: an item is not an object";
      return std::nullopt;
    }
    ContainerSummary c;
    c.id = string_field(item, "Id");
    if (c.id.empty()) {
      error = "GET /containers/json: an item has no Id";
      return std::nullopt;
    }
    if (auto names = item.find("Names"); names != item.end() && names->is_array()) {
      for (const json& n : *names) {
        if (!n.is_string()) continue;
        std::string name = n.get<std::string>();
        if (!name.empty() && name[0] == '/') name.erase(0, 1);
        // Legacy links add names such as "other/alias"; the container's own has no '/'.
        if (name.find('/') == std::string::npos) {
          c.name = name;
          break;
        }
      }
    }
    c.image = string_field(item, "Image");
    c.state = string_field(item, "State");
    if (auto labels = item.find("Labels"); labels != item.end() && labels->is_object()) {
      for (auto it = labels->begin(); it != labels->end(); ++it) {
        if (it.value().is_string()) c.labels[it.key()] = it.value().get<std::string>();
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::string error_message(std::string_view body) {
  json doc = json::parse(body, nullptr, false);
  if (doc.is_object()) {
    std::string m = string_field(doc, "message");
    if (!m.empty()) return m;
  }
  return short_text(trim(body));
}

std::optional<EngineEvent> parse_event(std::string_view line, std::string& error) {
  json doc = json::parse(line, nullptr, false);
  if (!doc.is_object()) {
    error = "GET /events: a line is not a JSON object: " + short_text(line);
    return std::nullopt;
  }
  EngineEvent e;
  e.type = string_field(doc, "Type");
  e.action = string_field(doc, "Action");
  if (auto actor = doc.find("Actor"); actor != doc.end() && actor->is_object()) {
    e.id = string_field(*actor, "ID");
    if (auto attrs = actor->find("Attributes"); attrs != actor->end() && attrs->is_object()) {
      e.name = string_field(*attrs, "name");
    }
  }
  if (e.id.empty()) e.id = string_field(doc, "id");
  if (auto t = doc.find("time"); t != doc.end() && t->is_number_integer()) {
    e.time = t->get<long long>();
  }
  if (auto t = doc.find("timeNano"); t != doc.end() && t->is_number_integer()) {
    e.time_nano = t->get<long long>();
  }
  if (e.type.empty() || e.action.empty()) {
    error = "GET /events: an event has no Type or Action: " + short_text(line);
    return std::nullopt;
  }
  return e;
}

std::string events_path(long long since_nano) {
  json filters = {{"type", {"container"}}, {"event", {"create", "start"}}};
  std::string path = "/events?";
  if (since_nano > 0) {
    path += fmt::format("since={}.{:09}&", since_nano / 1000000000, since_nano % 1000000000);
  }
  return path + "filters=" + url_encode(filters.dump());
}

}  // namespace capguard::engine
