// The checker's context and function instances.
//
// A function body is checked once with its declared parameter types (Any where unannotated), which
// reports every name error, and then once per distinct tuple of argument types at call sites, which
// reports the type errors that only those arguments cause (with a note pointing at the call).
// Types recorded for a body's expressions come from the argument-specific instances when they all
// agree, else Any; the compiler therefore sees a type only when it holds for every call.

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "lang/check/checker_context.hpp"
#include "lang/check/checker_expr.hpp"
#include "lang/check/checker_types.hpp"

namespace capguard::checker {

Diagnostic make_note(Span span, std::string message) {
  Diagnostic d;
  d.level = DiagLevel::Note;
  d.span = span;
  d.message = std::move(message);
  return d;
}

Context::Context(const std::vector<ast::Module>& m, const Schema& s, Diagnostics& diags,
                 CheckResult& r)
    : modules(m), schema(s), result(r), diags_(diags) {
  imports.resize(m.size());
  specialized.resize(m.size());
}

void Context::emit(Diagnostic d) {
  std::string key = fmt::format("{}:{}:{}:{}", d.span.file, d.span.line, d.span.column, d.message);
  if (!seen_.insert(key).second) return;
  pending_.push_back(std::move(d));
}

void Context::flush() {
  std::stable_sort(pending_.begin(), pending_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.span.file, a.span.line, a.span.column) <
           std::tie(b.span.file, b.span.line, b.span.column);
  });
  for (Diagnostic& d : pending_) diags_.add(std::move(d));
  pending_.clear();
}

void Context::error(Span span, std::string message, std::vector<Diagnostic> notes) {
  Diagnostic d;
  d.span = span;
  d.message = std::move(message);
  d.notes = std::move(notes);
  emit(std::move(d));
}

std::string Context::qualify(const std::string& package, const std::string& name) {
  return package.empty() ? name : package + "." + name;
}

const FnInfo* Context::find_function(const std::string& qualified) const {
  size_t dot = qualified.rfind('.');
  std::string package = dot == std::string::npos ? "" : qualified.substr(0, dot);
  std::string name = dot == std::string::npos ? qualified : qualified.substr(dot + 1);
  auto p = packages.find(package);
  if (p == packages.end()) return nullptr;
  auto f = p->second.functions.find(name);
  return f == p->second.functions.end() ? nullptr : &f->second;
}

namespace {

std::string type_list(const std::vector<TypePtr>& types) {
  std::string out;
  for (const TypePtr& t : types) {
    if (!out.empty()) out += ", ";
    out += t ? type_name(*t) : "any";
  }
  return out;
}

bool same_exactly(const TypePtr& a, const TypePtr& b) {
  return type_name(*a) == type_name(*b) && same_type(*a, *b);
}

}  // namespace

TypePtr Context::instantiate(const FnInfo& fn, const std::vector<TypePtr>& args, Span call) {
  std::string key = fmt::format("{}({})", fn.qualified, type_list(args));
  auto memo = instances.find(key);
  if (memo != instances.end()) return memo->second;
  // A call back into a function being checked is recursion, reported by check_recursion.
  if (active.count(fn.qualified)) return any_type();
  bool generic = !call.known();
  if (!generic) {
    // The declaration-time instance first, so that errors every instance has (unknown names)
    // are reported once, without a note about one call.
    std::vector<TypePtr> declared;
    for (const TypePtr& t : fn.declared) declared.push_back(t ? t : any_type());
    TypePtr r = instantiate(fn, declared, Span{});
    if (declared.size() == args.size() && type_list(declared) == type_list(args)) return r;
  }
  active.insert(fn.qualified);
  std::vector<Diagnostic> out;
  std::unordered_map<ast::NodeId, TypePtr> scratch;
  TypePtr result;
  {
    ExprChecker ec(*this, fn.module, out, scratch, fn.qualified);
    for (size_t i = 0; i < fn.decl->params.size(); ++i) {
      const ast::FnParam& p = fn.decl->params[i];
      ec.bind(p.name, p.span, i < args.size() ? args[i] : any_type(), nullptr);
    }
    result = ec.check(*fn.decl->body);
  }
  active.erase(fn.qualified);
  instances[key] = result;

  auto& types = this->result.modules[fn.module].types;
  auto& seen = specialized[fn.module];
  for (auto& [id, t] : scratch) {
    if (generic) {
      if (!seen.count(id)) types[id] = t;
    } else if (seen.insert(id).second) {
      types[id] = t;
    } else if (!same_exactly(types[id], t)) {
      types[id] = any_type();
    }
  }
  for (Diagnostic& d : out) {
    if (!generic) {
      d.notes.push_back(make_note(
          call, fmt::format("in `{}` called here with ({})", fn.decl->name, type_list(args))));
    }
    emit(std::move(d));
  }
  return result;
}

void check_functions(Context& ctx) {
  for (const std::string& qualified : ctx.function_order) {
    const FnInfo* fn = ctx.find_function(qualified);
    if (!fn) continue;
    std::vector<TypePtr> args;
    for (const TypePtr& t : fn->declared) args.push_back(t ? t : any_type());
    ctx.instantiate(*fn, args, Span{});
  }
}

}  // namespace capguard::checker
