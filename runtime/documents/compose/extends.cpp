#include "runtime/documents/compose/extends.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "runtime/documents/compose/merge.hpp"
#include "runtime/documents/compose/paths.hpp"

namespace capguard {
namespace {

// The services of one file (or of the merged model, key ""), and their resolved forms.
struct Scope {
  std::string key;
  std::string folder;  // where its relative paths resolve (other files only)
  Value services;
  std::unordered_map<std::string, const Value*> by_name;  // into services
  std::unordered_map<std::string, Value> resolved;

  void set_services(Value v) {
    services = std::move(v);
    by_name.clear();
    for (const auto& e : services.as_map()) by_name.emplace(e.first, &e.second);
  }
  const Value* get(const std::string& name) const {
    auto it = by_name.find(name);
    return it == by_name.end() ? nullptr : it->second;
  }
};

struct Target {
  std::string service;
  const Value* file = nullptr;  // the `file:` value, when given
};

class ExtendsResolver {
 public:
  ExtendsResolver(const Environment& env, ComposeFileLoader& loader)
      : env_(env), loader_(loader), diags_(loader.diags()) {}

  bool ok() const { return ok_; }

  Value resolve_all(const Value& services) {
    Scope& top = scopes_[""];
    top.set_services(services);
    Entries out;
    for (const auto& e : services.as_map()) out.emplace_back(e.first, resolve(top, e.first));
    return Value::map_unique(std::move(out), services.span());
  }

 private:
  std::optional<Target> read_extends(const Value& ext) {
    if (ext.is_string()) return Target{ext.as_string(), nullptr};
    const Value* service = ext.is_map() ? ext.get("service") : nullptr;
    if (!service || !service->is_string()) {
      fail(ext.span(), "`extends` is a service name or a mapping with `service` (and `file`)");
      return std::nullopt;
    }
    const Value* file = ext.get("file");
    if (file && !file->is_string()) {
      fail(file->span(), "`extends.file` is a path");
      return std::nullopt;
    }
    return Target{service->as_string(), file};
  }

  Scope* scope_for_file(const Value& file) {
    std::string path = join_path(loader_.folder_of_file(file.span().file), file.as_string());
    std::error_code ec;
    std::string key = std::filesystem::weakly_canonical(path, ec).string();
    if (key.empty()) key = path;
    auto found = scopes_.find(key);
    if (found != scopes_.end()) return &found->second;
    auto root = loader_.load_file(path, env_, file.span());
    if (!root) {
      ok_ = false;
      return nullptr;
    }
    Scope& s = scopes_[key];
    s.key = key;
    s.folder = folder_of(path);
    const Value* services = root->get("services");
    s.set_services(services && services->is_map() ? *services : Value::map({}));
    return &s;
  }

  Value resolve(Scope& scope, const std::string& name) {
    auto done = scope.resolved.find(name);
    if (done != scope.resolved.end()) return done->second;
    const Value& service = *scope.get(name);
    const Value* ext = service.is_map() ? service.get("extends") : nullptr;
    if (!ext) return service;

    Entries own;
    for (const auto& e : service.as_map())
      if (e.first != "extends") own.push_back(e);
    Value result = Value::map_unique(std::move(own), service.span());

    auto target = read_extends(*ext);
    Scope* base_scope = target && target->file ? scope_for_file(*target->file) : &scope;
    if (target && base_scope) {
      const Value* base = base_scope->get(target->service);
      std::string in_file =
          target->file ? fmt::format(" in \"{}\"", target->file->as_string()) : std::string();
      std::pair<std::string, std::string> me{scope.key, name};
      std::pair<std::string, std::string> them{base_scope->key, target->service};
      if (!base) {
        fail(ext->span(), fmt::format("service \"{}\" extends \"{}\", which is not defined{}", name,
                                      target->service, in_file));
      } else if (std::find(stack_.begin(), stack_.end(), them) != stack_.end() || them == me) {
        std::string chain;
        for (const auto& s : stack_) chain += s.second + " -> ";
        fail(ext->span(), fmt::format("extends cycle: {}{} -> {}", chain, name, target->service));
      } else {
        stack_.push_back(me);
        Value resolved_base = resolve(*base_scope, target->service);
        stack_.pop_back();
        if (resolved_base.is_null()) resolved_base = Value::map({}, base->span());
        if (target->file)
          resolved_base = absolutize_service_paths(resolved_base, base_scope->folder);
        if (resolved_base.is_map()) result = merge_service(resolved_base, result, loader_.tags());
      }
    }
    scope.resolved[name] = result;
    return result;
  }

  void fail(const Span& span, std::string message) {
    diags_.error(span, std::move(message));
    ok_ = false;
  }

  const Environment& env_;
  ComposeFileLoader& loader_;
  Diagnostics& diags_;
  std::map<std::string, Scope> scopes_;
  std::vector<std::pair<std::string, std::string>> stack_;  // (scope, service) being resolved
  bool ok_ = true;
};

}  // namespace

bool resolve_extends(Value& root, const Environment& env, ComposeFileLoader& loader) {
  const Value* services = root.get("services");
  if (!services || !services->is_map()) return true;
  ExtendsResolver resolver(env, loader);
  Value resolved = resolver.resolve_all(*services);
  Entries top = root.as_map().to_vector();
  for (Entry& e : top)
    if (e.first == "services") e.second = resolved;
  root = Value::map_unique(std::move(top), root.span());
  return resolver.ok();
}

}  // namespace capguard
