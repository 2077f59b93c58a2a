#pragma once
// Merging Compose files (compose-spec 13-merge.md, with the details compose-go implements):
//   - mappings merge key by key, the later file winning;
//   - sequences append, except:
//       command, entrypoint, healthcheck.test          replaced;
//       ports                                          unique by host_ip, published, target,
//                                                      protocol (the short form by its text);
//       volumes, devices                               unique by target (container path);
//       secrets, configs                               unique by target (default: the source's
//                                                      /run/secrets/NAME, /NAME);
//       cap_add, cap_drop, dns, dns_opt, dns_search,
//       expose, links, profiles, tmpfs, env_file       unique by value;
//   - environment, labels, annotations, sysctls, extra_hosts, build.args, build.labels,
//     deploy.labels and the labels of networks and volumes merge as mappings, whichever of the
//     list (`KEY=VALUE`) or map form each side uses; the result is a map;
//   - service `networks` and `depends_on` merge as mappings when either side is one;
//   - `build` as a string is `{context: STRING}` when the other side is a mapping;
//   - `logging` merges when both sides name the same driver (or one names none), else the later
//     one replaces it;
//   - values tagged `!reset` remove the key; `!override` replaces without merging.
// A key whose kinds differ on the two sides takes the later value; a later null keeps the
// earlier value.
//
// Spans are kept: each value in the result is one of the input values (or built from one).

#include <string>
#include <vector>

#include "lang/core/value.hpp"
#include "runtime/documents/yaml_loader.hpp"

namespace capguard {

// `over` merged onto `base`; both are whole compose files (top-level mappings).
Value merge_compose(const Value& base, const Value& over, const YamlTags& tags);

// One service mapping merged onto another (extends: the extended service is `base`).
Value merge_service(const Value& base, const Value& over, const YamlTags& tags);

// A tree with its `!reset` entries removed (a file merged onto nothing).
Value apply_reset_tags(const Value& tree, const YamlTags& tags);

}  // namespace capguard
