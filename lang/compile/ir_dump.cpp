#include "lang/compile/ir_dump.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace capguard::ir {

std::string constant_text(const Value& v) {
  switch (v.kind()) {
    case Kind::Size:
      return format_size(v.as_int());
    case Kind::Duration:
      return format_duration(v.as_int());
    case Kind::Caps: {
      std::string out = "caps[";
      bool first = true;
      for (const std::string& n : caps::names(v.as_caps())) {
        if (!first) out += ", ";
        first = false;
        out += n;
      }
      return out + "]";
    }
    case Kind::List:
    case Kind::Set: {
      std::string out = v.is_list() ? "[" : "{";
      bool first = true;
      for (const Value& item : v.as_list()) {
        if (!first) out += ", ";
        first = false;
        out += constant_text(item);
      }
      return out + (v.is_list() ? "]" : "}");
    }
    case Kind::Map: {
      std::string out = "{";
      bool first = true;
      for (const auto& e : v.as_map()) {
        if (!first) out += ", ";
        first = false;
        out += to_json_text(Value::string(e.first)) + ": " + constant_text(e.second);
      }
      return out + "}";
    }
    default:
      return to_json_text(v);
  }
}

namespace {

std::string local_text(int32_t slot, const std::string& name) {
  return fmt::format("%{} {}", slot, name);
}

void dump_into(std::string& out, const Expr& e) {
  switch (e.op) {
    case Op::Const:
      out += constant_text(e.value);
      return;
    case Op::Local:
      out += "(local " + local_text(e.slot, e.name) + ")";
      return;
    case Op::Param:
      out += fmt::format("(param #{} {})", e.index, e.name);
      return;
    case Op::Root:
      out += fmt::format("(root #{} {})", e.index, e.name);
      return;
    default:
      break;
  }
  out += '(';
  out += op_name(e.op);
  if (e.optional) out += '?';
  switch (e.op) {
    case Op::Field:
      out += " " + e.name + (e.index >= 0 ? fmt::format(" @{}", e.index) : " @?");
      break;
    case Op::Call:
      out += " " + e.name + (e.regex ? " /compiled/" : "");
      break;
    case Op::Let:
    case Op::Any:
    case Op::All:
    case Op::Count:
    case Op::ListComp:
    case Op::SetComp:
      out += " " + local_text(e.slot, e.name);
      break;
    default:
      break;
  }
  for (const Expr& a : e.args) {
    out += ' ';
    dump_into(out, a);
  }
  out += ')';
}

std::string quoted(const std::string& s) {
  return to_json_text(Value::string(s));
}

std::string template_text(const Template& t) {
  std::string out = "\"";
  for (const TemplatePart& part : t.parts) {
    if (part.expr) {
      out += "{" + dump_expr(*part.expr) + "}";
    } else {
      std::string text = to_json_text(Value::string(part.text));
      out += text.substr(1, text.size() - 2);
    }
  }
  return out + "\"";
}

void dump_policy(std::string& out, const Policy& p) {
  out += fmt::format("policy {} {} {} (frame {}", quoted(p.meta.id), severity_name(p.meta.severity),
                     quoted(p.meta.title), p.frame_size);
  if (p.service_slot >= 0) out += fmt::format(", service %{}", p.service_slot);
  out += ")\n";
  for (const Step& s : p.steps) {
    out += fmt::format("  L{:<4} ", s.span.line);
    switch (s.kind) {
      case StepKind::For:
        out += "for " + local_text(s.slot, s.name) + " in " + dump_expr(s.expr);
        break;
      case StepKind::Let:
        out += "let " + local_text(s.slot, s.name) + " = " + dump_expr(s.expr);
        break;
      case StepKind::Rule:
        out += std::string(rule_kind_name(s.rule_kind)) + " when " + dump_expr(s.expr);
        if (s.at) {
          out += " at " + dump_expr(*s.at);
        } else if (s.default_at_slot >= 0) {
          out += fmt::format(" at %{}", s.default_at_slot);
        }
        if (s.message) out += " message " + template_text(*s.message);
        break;
    }
    out += '\n';
  }
}

void dump_test(std::string& out, const TestCase& t) {
  out += fmt::format("test {}", quoted(t.name));
  if (!t.package.empty()) out += " (package " + t.package + ")";
  out += '\n';
  for (const TestParam& p : t.params) {
    out += fmt::format("  param #{} {} = {}\n", p.index, p.name, constant_text(p.value));
  }
  for (const TestInput& in : t.inputs) {
    out += fmt::format("  input {} ", input_kind_name(in.kind));
    if (in.is_file) {
      out += "file " + quoted(in.path) + "\n";
    } else {
      size_t lines = 0;
      for (char c : in.text) lines += c == '\n';
      out += fmt::format("inline ({} bytes, {} lines)\n", in.text.size(), lines);
    }
  }
  for (const Expectation& x : t.expectations) {
    out += fmt::format("  expect {}{} {}", x.negated ? "no " : "", rule_kind_name(x.kind),
                       quoted(x.policy));
    if (x.service) out += " on " + quoted(*x.service);
    if (x.count) out += fmt::format(" count {}", *x.count);
    if (x.message) out += " message " + quoted(*x.message);
    if (x.line) out += fmt::format(" line {}", *x.line);
    out += '\n';
  }
}

}  // namespace

std::string dump_expr(const Expr& e) {
  std::string out;
  dump_into(out, e);
  return out;
}

std::string dump_program(const Program& p) {
  std::string out;
  if (!p.roots.empty()) {
    out += "roots";
    for (size_t i = 0; i < p.roots.size(); ++i) out += fmt::format(" #{} {}", i, p.roots[i]);
    out += '\n';
  }
  for (size_t i = 0; i < p.element_paths.size(); ++i) {
    if (p.element_paths[i].empty()) continue;
    out += fmt::format("reads #{}", i);
    for (const std::vector<uint32_t>& path : p.element_paths[i]) {
      out += fmt::format(" @{}", fmt::join(path, "."));
    }
    out += '\n';
  }
  for (size_t i = 0; i < p.params.size(); ++i) {
    const Param& param = p.params[i];
    out += fmt::format("param #{} {}: {} = {}\n", i, param.name,
                       param.type ? type_name(*param.type) : "any",
                       constant_text(param.default_value));
  }
  for (const Policy& policy : p.policies) dump_policy(out, policy);
  for (const TestCase& t : p.tests) dump_test(out, t);
  return out;
}

}  // namespace capguard::ir
