#include "cli/common/trace_render.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "lang/core/diagnostics.hpp"

namespace capguard::cli {

namespace {

enum class Truth { True, False, Stop };  // Stop: an error or a non-bool value ends evaluation

Truth truth_of(const std::string& value) {
  if (value == "true") return Truth::True;
  if (value == "false") return Truth::False;
  return Truth::Stop;
}

// Consumes the terms of `e` (in collect order, as the tracer collected them) from `next`,
// marking them skipped when `skip`; returns the value of `e` as the evaluator computes it.
Truth walk(const ir::Expr& e, const std::vector<TraceTerm>& terms, size_t& next, bool skip,
           std::vector<bool>& skipped) {
  if (e.op == ir::Op::Not) {
    Truth t = Truth::Stop;
    for (const ir::Expr& a : e.args) t = walk(a, terms, next, skip, skipped);
    if (t == Truth::Stop) return t;
    return t == Truth::True ? Truth::False : Truth::True;
  }
  if (e.op == ir::Op::And || e.op == ir::Op::Or) {
    // `and` stops at the first false, `or` at the first true; both at an error.
    Truth decisive = e.op == ir::Op::And ? Truth::False : Truth::True;
    Truth result = e.op == ir::Op::And ? Truth::True : Truth::False;
    bool stopped = skip;
    for (const ir::Expr& a : e.args) {
      Truth t = walk(a, terms, next, stopped, skipped);
      if (stopped) continue;
      if (t == decisive || t == Truth::Stop) {
        result = t;
        stopped = true;
      }
    }
    return result;
  }
  if (next >= terms.size()) return Truth::Stop;
  skipped[next] = skip;
  return truth_of(terms[next++].value);
}

void count_negations(const ir::Expr& e, int depth, std::vector<int>& out) {
  if (e.op == ir::Op::Not || e.op == ir::Op::And || e.op == ir::Op::Or) {
    for (const ir::Expr& a : e.args) {
      count_negations(a, depth + (e.op == ir::Op::Not ? 1 : 0), out);
    }
    return;
  }
  out.push_back(depth);
}

// The evaluator shortens long values to a byte count ("[\"a\", ...]..."), which can cut a UTF-8
// character in two: the cut character is dropped, so that the text stays valid where the value was.
std::string whole_characters(const std::string& value) {
  if (value.size() < 3 || value.compare(value.size() - 3, 3, "...") != 0) return value;
  size_t end = value.size() - 3;
  size_t start = end;
  for (int k = 0;
       k < 3 && start > 0 && (static_cast<unsigned char>(value[start - 1]) & 0xC0) == 0x80; ++k) {
    --start;
  }
  if (start > 0 && static_cast<unsigned char>(value[start - 1]) >= 0xC0) --start;
  if (start < end && utf8_sequence_length(value, start) != end - start) {
    return value.substr(0, start) + "...";
  }
  return value;
}

std::string error_message(const std::string& value) {
  return value.rfind("error: ", 0) == 0 ? value.substr(7) : "";
}

// The first line of the policy text at `span`, without its indentation.
std::string source_line(const Span& span) {
  if (!span.known()) return "";
  std::string_view line = source(span.file).line_text(span.line);
  size_t begin = line.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return "";
  size_t end = line.find_last_not_of(" \t\r");
  return std::string(line.substr(begin, end - begin + 1));
}

std::string service_label(const std::string& name) {
  return name.empty() ? "(no service)" : "service " + name;
}

// "deny fired", "runtime error", "did not fire" or "not reached", comma-separated.
std::string service_outcome(const ServiceView& s) {
  std::vector<std::string> parts;
  for (const RuleView& r : s.rules) {
    if (r.finding) parts.push_back(std::string(rule_kind_name(r.finding->kind)) + " fired");
  }
  if (!s.errors.empty()) parts.push_back("runtime error");
  if (parts.empty()) return s.rules.empty() ? "not reached (no rule ran for it)" : "did not fire";
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

// The kind ("for" or "let") of each variable of a traced rule: the binding steps before it.
std::vector<const char*> variable_kinds(const ir::Policy& policy, const TraceRule& rule) {
  std::vector<const char*> kinds;
  for (size_t i = 0; i < rule.step && i < policy.steps.size(); ++i) {
    const ir::Step& s = policy.steps[i];
    if (s.kind == ir::StepKind::For) kinds.push_back("for");
    if (s.kind == ir::StepKind::Let) kinds.push_back("let");
  }
  return kinds;
}

// A traced value as JSON: parsed when it is complete JSON; a shortened one stays text.
void put_value(nlohmann::ordered_json& out, const std::string& traced) {
  std::string value = whole_characters(traced);
  std::string error = error_message(value);
  if (!error.empty()) {
    out["error"] = error;
    return;
  }
  nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(value, nullptr, false);
  if (parsed.is_discarded()) {
    out["value"] = value;
    out["truncated"] = true;
  } else {
    out["value"] = std::move(parsed);
  }
}

}  // namespace

std::vector<bool> skipped_terms(const ir::Expr& condition, const std::vector<TraceTerm>& terms) {
  std::vector<bool> skipped(terms.size(), false);
  size_t next = 0;
  walk(condition, terms, next, false, skipped);
  return skipped;
}

std::vector<int> term_negations(const ir::Expr& condition, size_t count) {
  std::vector<int> out;
  count_negations(condition, 0, out);
  out.resize(count, 0);
  return out;
}

std::vector<ServiceView> group_by_service(const ir::Policy& policy, const InputTrace& input) {
  std::vector<ServiceView> out;
  auto view = [&out](const std::string& name) -> ServiceView& {
    for (ServiceView& s : out) {
      if (s.name == name) return s;
    }
    out.push_back(ServiceView{name, {}, {}});
    return out.back();
  };
  // A policy without `for s in services` reports no service: listing them would only say "not
  // reached" for each.
  if (policy.service_slot >= 0) {
    for (const std::string& name : input.services) view(name);
  }
  const std::vector<Finding>& findings = input.trace.result.findings;
  size_t next_finding = 0;
  for (const TraceRule& rule : input.trace.rules) {
    RuleView r;
    r.rule = &rule;
    if (rule.step < policy.steps.size()) {
      r.skipped = skipped_terms(policy.steps[rule.step].expr, rule.terms);
      r.negations = term_negations(policy.steps[rule.step].expr, rule.terms.size());
    }
    r.skipped.resize(rule.terms.size(), false);
    r.negations.resize(rule.terms.size(), 0);
    // A fired rule appends its finding before the next rule runs, unless its `at` or message
    // failed: then the error ended the service, and the next finding is another service's.
    if (rule.condition == "true" && next_finding < findings.size() &&
        findings[next_finding].service == rule.service &&
        findings[next_finding].kind == rule.kind) {
      r.finding = &findings[next_finding++];
    }
    view(rule.service).rules.push_back(std::move(r));
  }
  for (const EvalError& e : input.trace.result.errors) view(e.service).errors.push_back(&e);
  return out;
}

std::string render_trace_text(const ir::Policy& policy, const std::vector<InputTrace>& inputs) {
  const PolicyMetadata& m = policy.meta;
  std::string out = fmt::format("policy {}: {} ({}, defined at {})\n", m.id, m.title,
                                severity_name(m.severity), location(m.span));
  for (const InputTrace& input : inputs) {
    out += fmt::format("\n{}{}\n", input.input, input.ok ? "" : " (has errors, see stderr)");
    std::vector<ServiceView> services = group_by_service(policy, input);
    if (services.empty()) out += "  no services\n";
    for (const ServiceView& s : services) {
      out += fmt::format("  {}: {}\n", service_label(s.name), service_outcome(s));
      for (const RuleView& r : s.rules) {
        const TraceRule& rule = *r.rule;
        out += fmt::format("    rule at {}: {}\n", location(rule.span), source_line(rule.span));
        std::vector<const char*> kinds = variable_kinds(policy, rule);
        for (size_t i = 0; i < rule.variables.size(); ++i) {
          const char* kind = i < kinds.size() ? kinds[i] : "let";
          out += fmt::format("      {} {} = {}\n", kind, rule.variables[i].name,
                             whole_characters(rule.variables[i].value));
        }
        out += fmt::format("      condition = {}\n", whole_characters(rule.condition));
        for (size_t i = 0; i < rule.terms.size(); ++i) {
          const TraceTerm& t = rule.terms[i];
          std::string text = t.text, value = whole_characters(t.value);
          for (int n = 0; n < r.negations[i]; ++n) {
            text = "not " + text;
            if (value == "true" || value == "false") value = value == "true" ? "false" : "true";
          }
          out += fmt::format("        {} = {}{}\n", text, value,
                             r.skipped[i] ? "  (skipped by short-circuit)" : "");
        }
        if (r.finding) {
          std::string at = location(r.finding->span);
          out += fmt::format("      fired: {}{}: {}\n", rule_kind_name(r.finding->kind),
                             at.empty() ? "" : " at " + at,
                             clip_text(r.finding->message, kMaxShownTextBytes));
        } else if (rule.condition == "true") {
          out += "      fired, but no finding (see the error below)\n";
        } else if (!error_message(rule.condition).empty()) {
          out += "      not fired: the condition failed (runtime error)\n";
        } else {
          out += "      not fired\n";
        }
      }
      if (s.rules.empty() && !s.errors.empty()) {
        out += "    no rule reached: the error below stopped this service first\n";
      }
      for (const EvalError* e : s.errors) {
        out += fmt::format("    error at {}: {}\n", location(e->policy_span),
                           clip_text(e->message, kMaxShownTextBytes));
      }
    }
  }
  return out;
}

nlohmann::ordered_json render_trace_json(const ir::Policy& policy,
                                         const std::vector<InputTrace>& inputs) {
  const PolicyMetadata& m = policy.meta;
  nlohmann::ordered_json out;
  out["policy"] = {{"id", m.id},
                   {"title", m.title},
                   {"severity", std::string(severity_name(m.severity))},
                   {"location", location(m.span)}};
  out["inputs"] = nlohmann::ordered_json::array();
  for (const InputTrace& input : inputs) {
    nlohmann::ordered_json in;
    in["input"] = input.input;
    in["ok"] = input.ok;
    in["services"] = nlohmann::ordered_json::array();
    for (const ServiceView& s : group_by_service(policy, input)) {
      nlohmann::ordered_json service;
      service["name"] = s.name;
      service["fired"] = std::any_of(s.rules.begin(), s.rules.end(),
                                     [](const RuleView& r) { return r.finding != nullptr; });
      service["rules"] = nlohmann::ordered_json::array();
      for (const RuleView& r : s.rules) {
        const TraceRule& rule = *r.rule;
        nlohmann::ordered_json j;
        j["kind"] = std::string(rule_kind_name(rule.kind));
        j["location"] = location(rule.span);
        j["text"] = source_line(rule.span);
        j["variables"] = nlohmann::ordered_json::array();
        std::vector<const char*> kinds = variable_kinds(policy, rule);
        for (size_t i = 0; i < rule.variables.size(); ++i) {
          nlohmann::ordered_json v;
          v["name"] = rule.variables[i].name;
          v["binding"] = i < kinds.size() ? kinds[i] : "let";
          put_value(v, rule.variables[i].value);
          j["variables"].push_back(std::move(v));
        }
        nlohmann::ordered_json condition;
        put_value(condition, rule.condition);
        j["condition"] = std::move(condition);
        j["terms"] = nlohmann::ordered_json::array();
        for (size_t i = 0; i < rule.terms.size(); ++i) {
          nlohmann::ordered_json t;
          t["text"] = rule.terms[i].text;
          t["location"] = location(rule.terms[i].span);
          put_value(t, rule.terms[i].value);
          t["skipped"] = static_cast<bool>(r.skipped[i]);
          t["negations"] = r.negations[i];
          j["terms"].push_back(std::move(t));
        }
        j["fired"] = r.finding != nullptr;
        if (r.finding) {
          j["finding"] = {{"at", location(r.finding->span)}, {"message", r.finding->message}};
        }
        service["rules"].push_back(std::move(j));
      }
      service["errors"] = nlohmann::ordered_json::array();
      for (const EvalError* e : s.errors) {
        service["errors"].push_back(
            {{"location", location(e->policy_span)}, {"message", e->message}});
      }
      in["services"].push_back(std::move(service));
    }
    out["inputs"].push_back(std::move(in));
  }
  return out;
}

}  // namespace capguard::cli
