#include "runtime/documents/normalize/ports.hpp"

#include <arpa/inet.h>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "runtime/documents/normalize/field_reader.hpp"

namespace capguard::normalize {

namespace {

constexpr const char* kAllInterfaces = "0.0.0.0";
// Ranges expand to one entry per port; this bounds what a hostile file can make us allocate
// (every port of every protocol twice over is far beyond any real service).
constexpr size_t kMaxPortsPerService = 4 * 65536;

struct Range {
  int64_t first = 0;
  int64_t last = 0;
};

// "80" or "8000-8005"; ports 0..65535 (0 only where `allow_zero`).
std::optional<Range> parse_range(const std::string& text, bool allow_zero) {
  size_t dash = text.find('-');
  auto first = parse_int(text.substr(0, dash));
  auto last = dash == std::string::npos ? first : parse_int(text.substr(dash + 1));
  if (!first || !last || *first > *last || *last > 65535 || *first < (allow_zero ? 0 : 1)) {
    return std::nullopt;
  }
  return Range{*first, *last};
}

bool valid_protocol(const std::string& p) {
  return p == "tcp" || p == "udp" || p == "sctp";
}

Value port(const std::string& host_ip, std::optional<int64_t> published, int64_t target,
           const std::string& protocol, Span s) {
  return Value::map({{"host_ip", Value::string(host_ip.empty() ? kAllInterfaces : host_ip, s)},
                     {"published", published ? Value::integer(*published, s) : Value::null(s)},
                     {"target", Value::integer(target, s)},
                     {"protocol", Value::string(protocol, s)}},
                    s);
}

// Appends the ports of one mapping; false (after a diagnostic) when it is malformed.
bool expand(const std::string& spec, const std::string& host_ip, const std::string& host,
            const std::string& container, const std::string& protocol, Span s, List& out,
            Diagnostics& diags) {
  auto bad = [&](const std::string& why) {
    diags.error(s, fmt::format("ports: invalid port \"{}\": {}", spec, why));
    return false;
  };
  if (!valid_protocol(protocol)) return bad("protocol must be tcp, udp or sctp");
  auto target = parse_range(container, false);
  if (!target) return bad("container port must be a port (1-65535) or a range");
  if (out.size() + static_cast<size_t>(target->last - target->first) >= kMaxPortsPerService) {
    return bad(fmt::format("more than {} ports in one service", kMaxPortsPerService));
  }
  if (host.empty()) {
    for (int64_t p = target->first; p <= target->last; ++p) {
      out.push_back(port(host_ip, std::nullopt, p, protocol, s));
    }
    return true;
  }
  auto published = parse_range(host, true);
  if (!published) return bad("host port must be a port (0-65535) or a range");
  int64_t target_len = target->last - target->first;
  int64_t host_len = published->last - published->first;
  if (target_len == 0) {
    out.push_back(port(host_ip, published->first, target->first, protocol, s));
    return true;
  }
  if (host_len != target_len) return bad("host and container port ranges differ in length");
  for (int64_t i = 0; i <= target_len; ++i) {
    out.push_back(port(host_ip, published->first + i, target->first + i, protocol, s));
  }
  return true;
}

void short_syntax(const std::string& spec, Span s, List& out, Diagnostics& diags) {
  std::string rest = spec;
  std::string protocol = "tcp";
  if (size_t slash = rest.rfind('/'); slash != std::string::npos) {
    protocol = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  std::string host_ip;
  if (!rest.empty() && rest.front() == '[') {
    size_t close = rest.find(']');
    if (close == std::string::npos || close + 1 >= rest.size() || rest[close + 1] != ':') {
      diags.error(s, fmt::format("ports: invalid port \"{}\": unclosed IPv6 address", spec));
      return;
    }
    host_ip = rest.substr(1, close - 1);
    rest = rest.substr(close + 2);
    // After an address there must be HOST_PORT:CONTAINER_PORT (HOST_PORT may be empty).
    size_t colon = rest.find(':');
    if (colon == std::string::npos) {
      diags.error(s, fmt::format("ports: invalid port \"{}\": expected [IP]:HOST:CONTAINER", spec));
      return;
    }
    expand(spec, host_ip, rest.substr(0, colon), rest.substr(colon + 1), protocol, s, out, diags);
    return;
  }
  size_t last = rest.rfind(':');
  if (last == std::string::npos) {
    expand(spec, "", "", rest, protocol, s, out, diags);
    return;
  }
  std::string container = rest.substr(last + 1);
  std::string front = rest.substr(0, last);
  size_t first = front.rfind(':');
  std::string host = first == std::string::npos ? front : front.substr(first + 1);
  if (first != std::string::npos) host_ip = front.substr(0, first);
  // Docker's parser (go-connections nat.ParsePortSpec) takes everything before HOST:CONTAINER as
  // the address, so an unbracketed IPv6 address ("::1:8080:80") is accepted when it parses.
  if (first != std::string::npos && host_ip.find(':') != std::string::npos) {
    in6_addr addr{};
    if (inet_pton(AF_INET6, host_ip.c_str(), &addr) != 1) {
      diags.error(
          s, fmt::format("ports: invalid port \"{}\": invalid IP address \"{}\"", spec, host_ip));
      return;
    }
  }
  expand(spec, host_ip, host, container, protocol, s, out, diags);
}

void long_syntax(const Value& m, List& out, Diagnostics& diags) {
  Span s = m.span();
  const Value* target = m.get("target");
  if (target == nullptr) {
    diags.error(s, "ports: missing `target` in long syntax");
    return;
  }
  auto text = [&](const char* key, const std::string& dflt) -> std::optional<std::string> {
    const Value* v = m.get(key);
    if (v == nullptr || v->is_null()) return dflt;
    return read_string(*v, std::string("ports.") + key, diags);
  };
  auto t = text("target", "");
  auto published = text("published", "");
  auto host_ip = text("host_ip", "");
  auto protocol = text("protocol", "tcp");
  if (!t || !published || !host_ip || !protocol) return;
  expand(*t, *host_ip, *published, *t, *protocol, target->span(), out, diags);
}

}  // namespace

Value compose_ports(const Value* ports, Span fallback, Diagnostics& diags) {
  List out;
  if (ports == nullptr || ports->is_null()) return Value::list({}, fallback);
  if (!ports->is_sequence()) {
    type_error(diags, *ports, "ports", "a list");
    return Value::list({}, ports->span());
  }
  for (const Value& item : ports->as_list()) {
    if (item.is_map()) {
      long_syntax(item, out, diags);
    } else if (item.is_int() || item.is_string()) {
      short_syntax(*scalar_text(item), item.span(), out, diags);
    } else {
      type_error(diags, item, "ports", "a port string, number or mapping");
    }
  }
  return Value::list(std::move(out), ports->span());
}

Value inspect_ports(const Value* bindings, Span fallback, Diagnostics& diags) {
  List out;
  if (bindings == nullptr || bindings->is_null()) return Value::list({}, fallback);
  if (!bindings->is_map()) {
    type_error(diags, *bindings, "PortBindings", "a mapping");
    return Value::list({}, bindings->span());
  }
  for (const auto& [key, list] : bindings->as_map()) {
    size_t slash = key.find('/');
    std::string container = key.substr(0, slash);
    std::string protocol = slash == std::string::npos ? "tcp" : key.substr(slash + 1);
    if (list.is_null()) continue;  // exposed, not published
    if (!list.is_sequence()) {
      type_error(diags, list, "PortBindings." + key, "a list");
      continue;
    }
    for (const Value& b : list.as_list()) {
      std::string ip, host;
      if (const Value* v = b.get("HostIp"); v && v->is_string()) ip = v->as_string();
      if (const Value* v = b.get("HostPort"); v && v->is_string()) host = v->as_string();
      expand(key, ip, host, container, protocol, b.span(), out, diags);
    }
  }
  return Value::list(std::move(out), bindings->span());
}

}  // namespace capguard::normalize
