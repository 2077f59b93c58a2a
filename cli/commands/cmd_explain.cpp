// `capguard explain ID`: one policy's documentation (title, severity, tags, description,
// rationale, remediation, references) and the params it reads, with their values for this run
// (defaults overridden by .capguard.yaml, --params and --param).
#include <iostream>
#include <set>

#include <fmt/format.h>

#include "cli/common/command.hpp"
#include "cli/common/config.hpp"
#include "cli/common/layout.hpp"
#include "cli/common/options.hpp"
#include "cli/common/policy_loading.hpp"

namespace capguard::cli {

namespace {

constexpr const char* kUsage = "capguard explain [OPTIONS] ID";

void params_of(const ir::Expr& e, std::set<int32_t>& out) {
  if (e.op == ir::Op::Param && e.index >= 0) out.insert(e.index);
  for (const ir::Expr& a : e.args) params_of(a, out);
}

// The params a policy reads, as indices into Program::params (in declaration order).
std::set<int32_t> params_of(const ir::Policy& p) {
  std::set<int32_t> out;
  for (const ir::Step& s : p.steps) {
    params_of(s.expr, out);
    if (s.at) params_of(*s.at, out);
    if (s.message) {
      for (const ir::TemplatePart& part : s.message->parts) {
        if (part.expr) params_of(*part.expr, out);
      }
    }
  }
  return out;
}

std::string indent(const std::string& text, const std::string& pad) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    out += (line.empty() ? "" : pad) + line + "\n";
    start = end + 1;
  }
  return out;
}

// Words of `text` filled into lines of at most `width` columns, each prefixed by `pad`.
std::string wrap(const std::string& text, const std::string& pad, size_t width = 98) {
  std::string out, line;
  auto flush = [&] {
    if (!line.empty()) out += pad + line + "\n";
    line.clear();
  };
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '\n') {
      flush();
      ++i;
      continue;
    }
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    size_t end = text.find_first_of(" \n", i);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(i, end - i);
    if (!line.empty() && pad.size() + line.size() + 1 + word.size() > width) flush();
    line += (line.empty() ? "" : " ") + word;
    i = end;
  }
  flush();
  return out;
}

// A param value as a policy author writes it: sizes, durations and capabilities in their own
// notation, everything else as JSON; a huge one (from a params file) cut for reading.
std::string value_text(const Value& v) {
  if (v.kind() == Kind::Caps || v.kind() == Kind::Size || v.kind() == Kind::Duration) {
    return to_display(v);
  }
  return clip_text(to_json_text(v), kMaxShownTextBytes);
}

int run_explain(const std::vector<std::string>& args) {
  CheckOptions flags;
  ArgParser parser("capguard explain");
  parser.argument("ID", "a policy id, e.g. CG-PRIV-001 (`capguard list` shows them)");
  add_check_flags(parser, flags, kPolicyFlags);
  Diagnostics diags;
  std::vector<std::string> ids = parser.parse(args, diags);
  if (flags.help) {
    std::cout << help_page(parser);
    return kExitOk;
  }
  if (ids.size() != 1) diags.file_error("capguard explain", "expected one policy id");
  if (diags.has_errors()) return usage_error(diags, parser);
  Settings settings = load_settings(flags, diags);
  LoadedPolicies policies;
  if (!diags.has_errors()) policies = load_policies(settings, diags);
  if (!policies.program) {
    std::cerr << render(diags);
    return kExitError;
  }
  const ir::Program& program = *policies.program;
  int index = find_policy(program, ids[0], "capguard explain", diags);
  std::cerr << render(diags);
  if (diags.has_errors()) return kExitError;

  const ir::Policy& policy = program.policies[static_cast<size_t>(index)];
  const PolicyMetadata& m = policy.meta;
  bool in_force = false;
  for (size_t i : policies.selected) in_force |= i == static_cast<size_t>(index);
  std::string out = fmt::format("{}: {}\n\n", m.id, m.title);
  out += fmt::format("severity:  {}\n", severity_name(m.severity));
  if (!m.tags.empty()) {
    std::string tags;
    for (const std::string& t : m.tags) tags += (tags.empty() ? "" : ", ") + t;
    out += "tags:      " + tags + "\n";
  }
  out += "defined:   " + location(m.span) + "\n";
  if (!in_force) out += "in force:  no (excluded by preset, --only or --skip)\n";
  auto section = [&](const char* name, const std::string& text, bool prose) {
    if (text.empty()) return;
    out += fmt::format("\n{}:\n{}", name, prose ? wrap(text, "  ") : indent(text, "  "));
  };
  section("description", m.description, true);
  section("rationale", m.rationale, true);
  section("remediation", m.remediation, false);
  if (!m.references.empty()) {
    out += "\nreferences:\n";
    for (const std::string& r : m.references) out += "  - " + r + "\n";
  }
  std::set<int32_t> used = params_of(policy);
  if (!used.empty()) {
    out += "\nparams:\n";
    for (int32_t i : used) {
      const ir::Param& p = program.params[static_cast<size_t>(i)];
      const Value& current = policies.params[static_cast<size_t>(i)];
      out += fmt::format("  {}: {} = {}", p.name, type_name(*p.type), value_text(current));
      if (current != p.default_value) {
        out += fmt::format(" (default {})", value_text(p.default_value));
      }
      out += "\n";
    }
  }
  std::cout << printable_text(out);
  return kExitOk;
}

const Command kExplain("explain", kUsage, "show a policy's documentation and params", run_explain);

}  // namespace

}  // namespace capguard::cli
