#include "runtime/authz/plugin_request.hpp"

#include <cctype>
#include <vector>

#include <nlohmann/json.hpp>

#include "lang/core/paths.hpp"

namespace capguard::authz {

namespace {

int base64_digit(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_version(const std::string& seg) {
  if (seg.size() < 2 || seg[0] != 'v') return false;
  for (size_t i = 1; i < seg.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(seg[i])) && seg[i] != '.') return false;
  }
  return true;
}

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 1;
  while (i < path.size()) {
    size_t slash = path.find('/', i);
    if (slash == std::string::npos) slash = path.size();
    out.push_back(path.substr(i, slash - i));
    i = slash + 1;
  }
  return out;
}

// The value of query parameter `key` (the first one, as Go's url.Values.Get), decoded.
std::string query_value(std::string_view query, std::string_view key) {
  size_t i = 0;
  while (i <= query.size()) {
    size_t amp = query.find('&', i);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view pair = query.substr(i, amp - i);
    size_t eq = pair.find('=');
    std::string k = percent_decode(pair.substr(0, eq), true);
    if (k == key) {
      return eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1), true);
    }
    i = amp + 1;
  }
  return "";
}

}  // namespace

bool base64_decode(std::string_view in, std::string& out) {
  out.clear();
  if (in.size() % 4 != 0) return false;
  out.reserve(in.size() / 4 * 3);
  for (size_t i = 0; i < in.size(); i += 4) {
    int d[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      unsigned char c = static_cast<unsigned char>(in[i + k]);
      if (c == '=' && i + 4 == in.size() && k >= 2) {
        d[k] = 0;
        ++pad;
        continue;
      }
      if (pad > 0) return false;  // data after padding
      d[k] = base64_digit(c);
      if (d[k] < 0) return false;
    }
    uint32_t n =
        (uint32_t(d[0]) << 18) | (uint32_t(d[1]) << 12) | (uint32_t(d[2]) << 6) | uint32_t(d[3]);
    out.push_back(static_cast<char>((n >> 16) & 0xff));
    if (pad < 2) out.push_back(static_cast<char>((n >> 8) & 0xff));
    if (pad < 1) out.push_back(static_cast<char>(n & 0xff));
  }
  return true;
}

std::string percent_decode(std::string_view text, bool query) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      int hi = hex_digit(text[i + 1]), lo = hex_digit(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(query && c == '+' ? ' ' : c);
  }
  return out;
}

bool parse_plugin_request(std::string_view json, PluginRequest& out, std::string& error) {
  nlohmann::json j = nlohmann::json::parse(json.begin(), json.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    error = "the authorization request is not a JSON object";
    return false;
  }
  auto text = [&](const char* key, std::string& field) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return true;
    if (!it->is_string()) {
      error = std::string("the authorization request's ") + key + " is not a string";
      return false;
    }
    field = it->get<std::string>();
    return true;
  };
  if (!text("User", out.user) || !text("UserAuthNMethod", out.user_authn_method) ||
      !text("RequestMethod", out.method) || !text("RequestUri", out.uri)) {
    return false;
  }
  if (out.method.empty() || out.uri.empty()) {
    error = "the authorization request has no RequestMethod or RequestUri";
    return false;
  }
  auto body = j.find("RequestBody");
  if (body != j.end() && !body->is_null()) {
    if (!body->is_string()) {
      error = "the authorization request's RequestBody is not a base64 string";
      return false;
    }
    std::string decoded;
    if (!base64_decode(body->get_ref<const std::string&>(), decoded)) {
      error = "the authorization request's RequestBody is not valid base64";
      return false;
    }
    out.body = std::move(decoded);
  }
  auto headers = j.find("RequestHeaders");
  if (headers != j.end() && headers->is_object()) {
    for (auto it = headers->begin(); it != headers->end(); ++it) {
      std::string key = it.key();
      for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (key == "content-type" && it->is_string()) out.content_type = it->get<std::string>();
      if (key == "content-length" && it->is_string()) {
        out.content_length = it->get<std::string>();
      }
    }
  }
  return true;
}

const char* api_call_name(ApiCall call) {
  switch (call) {
    case ApiCall::ContainerCreate:
      return "container_create";
    case ApiCall::ContainerUpdate:
      return "container_update";
    case ApiCall::ContainerExec:
      return "container_exec";
    case ApiCall::ContainerStart:
      return "container_start";
    case ApiCall::PluginDisable:
      return "plugin_disable";
    case ApiCall::PluginRemove:
      return "plugin_remove";
    case ApiCall::PluginChange:
      return "plugin_change";
    case ApiCall::Other:
      return "other";
  }
  return "other";
}

ApiRoute route_request(std::string_view method_text, std::string_view uri) {
  ApiRoute r;
  std::string method(method_text);
  for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  size_t q = uri.find('?');
  std::string_view raw_path = uri.substr(0, q);
  std::string_view query = q == std::string_view::npos ? std::string_view() : uri.substr(q + 1);
  // An absolute-form request target ("http://host/v1.41/...") names the same path.
  if (size_t scheme = raw_path.find("://"); scheme != std::string_view::npos) {
    size_t slash = raw_path.find('/', scheme + 3);
    raw_path = slash == std::string_view::npos ? std::string_view("/") : raw_path.substr(slash);
  }
  std::vector<std::string> seg = segments(clean_path("/" + percent_decode(raw_path, false)));
  if (!seg.empty() && is_version(seg[0])) seg.erase(seg.begin());
  for (const std::string& s : seg) r.path += "/" + s;
  if (r.path.empty()) r.path = "/";
  if (seg.size() >= 2 && seg[0] == "containers") {
    if (method == "POST" && seg.size() == 2 && seg[1] == "create") {
      r.call = ApiCall::ContainerCreate;
      r.name = query_value(query, "name");
    } else if (method == "POST" && seg.size() == 3 && seg[2] == "update") {
      r.call = ApiCall::ContainerUpdate;
      r.target = seg[1];
    } else if (method == "POST" && seg.size() == 3 && seg[2] == "exec") {
      r.call = ApiCall::ContainerExec;
      r.target = seg[1];
    } else if (method == "POST" && seg.size() == 3 && seg[2] == "start") {
      r.call = ApiCall::ContainerStart;
      r.target = seg[1];
    }
  } else if (seg.size() >= 2 && seg[0] == "plugins") {
    // Plugin names may hold slashes ("vieux/sshfs:latest"): the router's {name:.*}.
    auto join = [&](size_t from, size_t to) {
      std::string name;
      for (size_t i = from; i < to; ++i) name += (i > from ? "/" : "") + seg[i];
      return name;
    };
    const std::string& last = seg.back();
    if (method == "DELETE") {
      r.call = ApiCall::PluginRemove;
      r.target = join(1, seg.size());
    } else if (method == "POST" && seg.size() == 2 && (last == "pull" || last == "create")) {
      r.call = ApiCall::PluginChange;
      r.target = query_value(query, "name");
    } else if (method == "POST" && seg.size() >= 3 && last == "disable") {
      r.call = ApiCall::PluginDisable;
      r.target = join(1, seg.size() - 1);
    } else if (method == "POST" && seg.size() >= 3 &&
               (last == "enable" || last == "set" || last == "upgrade" || last == "push")) {
      r.call = ApiCall::PluginChange;
      r.target = join(1, seg.size() - 1);
    }
  }
  return r;
}

}  // namespace capguard::authz
