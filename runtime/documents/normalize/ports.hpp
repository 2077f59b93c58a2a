#pragma once
// Published ports: one `port` object {host_ip, published, target, protocol} per container port.
//
// Compose short syntax "[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]" (an int is a container
// port), IPv6 host addresses in brackets ("[::1]:80:80"), ranges expanded one entry per port
// ("8000-8005:8000-8005"; a host range for one container port keeps its first port, as Docker
// then picks one port of the range); the long syntax {target, published, host_ip, protocol}.
// Inspect HostConfig.PortBindings {"80/tcp": [{HostIp, HostPort}]}.
//
// Defaults: host_ip "0.0.0.0" (Docker binds every interface, IPv4 and IPv6), published null (an
// ephemeral host port), protocol "tcp".

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"

namespace capguard::normalize {

// Compose `ports` (nullptr when absent): a list value.
Value compose_ports(const Value* ports, Span fallback, Diagnostics& diags);

// Inspect HostConfig.PortBindings (nullptr when absent).
Value inspect_ports(const Value* bindings, Span fallback, Diagnostics& diags);

}  // namespace capguard::normalize
