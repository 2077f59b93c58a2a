#pragma once
// A small Report used by the reporter tests: two policies, one input with two services, a
// failing finding, a finding below --fail-on and a waived one, each pointing into a registered
// compose source.

#include "cli/reporters/report.hpp"

namespace capguard::cli::testing {

inline Report sample_report() {
  static const FileId file = add_source("compose.yaml",
                                        "services:\n"
                                        "  web:\n"
                                        "    image: nginx:1.27\n"
                                        "    privileged: true\n"
                                        "  db:\n"
                                        "    image: postgres\n"
                                        "    cap_add: [NET_ADMIN]\n");
  Report r;
  PolicyMetadata priv;
  priv.id = "T-PRIV";
  priv.title = "Privileged container";
  priv.severity = Severity::High;
  priv.description = "Privileged containers get every capability.";
  priv.remediation = "Remove `privileged: true`.";
  priv.references = {"CIS Docker Benchmark 5.4", "https://docs.docker.com/engine/security/"};
  priv.tags = {"baseline", "privileges"};
  PolicyMetadata tag;
  tag.id = "T-TAG";
  tag.title = "Image without a tag";
  tag.severity = Severity::Low;
  tag.remediation = "Pin the image:\n  image: postgres:16";
  tag.tags = {"images"};
  r.policies = {priv, tag};
  r.inputs = {InputSummary{"compose.yaml", {"web", "db"}, true}};

  Finding a;
  a.policy = "T-PRIV";
  a.severity = Severity::High;
  a.title = "Privileged container";  // a literal: Finding::title is a view
  a.message = "web runs privileged, with 50% more power";
  a.service = "web";
  a.input = "compose.yaml";
  a.span = Span{file, 4, 17, 4};
  Finding b;
  b.policy = "T-TAG";
  b.severity = Severity::Low;
  b.title = "Image without a tag";
  b.message = "db uses postgres without a tag";
  b.service = "db";
  b.input = "compose.yaml";
  b.span = Span{file, 6, 12, 8};
  Finding c = a;
  c.message = "db runs privileged";
  c.service = "db";
  c.span = Span{file, 7, 5, 7};
  c.waiver =
      std::make_shared<const WaiverNote>(WaiverNote{"needed for VPN", "2026-12-31", "inline"});
  r.findings = {a, b, c};
  r.fail_on = Severity::Medium;
  return r;
}

}  // namespace capguard::cli::testing
