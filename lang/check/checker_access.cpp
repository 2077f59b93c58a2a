// Field access and indexing: `a.f`, `a?.f`, `alias.param`, `a[i]`, `a?[i]`.

#include <fmt/format.h>

#include "lang/check/checker_expr.hpp"
#include "lang/check/checker_types.hpp"

namespace capguard::checker {

TypePtr ExprChecker::check_field(const ast::Expr& e, const ast::Field& f) {
  // `alias.param`: a param of an imported package, unless a local, param or root has that name.
  if (const auto* n = std::get_if<ast::Name>(&f.object->node)) {
    auto alias = ctx_.imports[module_].find(n->name);
    const PackageInfo* own = package();
    bool bound = find_local(n->name) || (own && own->params.count(n->name)) ||
                 ctx_.schema.roots.count(n->name);
    if (alias != ctx_.imports[module_].end() && !bound) {
      const PackageInfo& target = ctx_.packages.at(alias->second);
      auto it = target.params.find(f.field);
      if (it == target.params.end()) {
        std::vector<std::string> names;
        for (const auto& [name, info] : target.params) names.push_back(name);
        error(f.field_span, fmt::format("package `{}` has no param `{}`{}", alias->second, f.field,
                                        did_you_mean_hint(f.field, names)));
        return any_type();
      }
      return use_param(e, it->second, n->name + "." + f.field);
    }
  }
  TypePtr object = check(*f.object);
  if (is_any(object)) return any_type();
  TypePtr result;
  if (object->kind == TypeKind::Map) {
    result = nullable(object->elem ? object->elem : any_type());
  } else if (object->kind == TypeKind::Object) {
    const FieldDef* def = object->field(f.field);
    if (!def) {
      std::vector<std::string> names;
      for (const FieldDef& fd : object->fields) names.push_back(fd.name);
      error(f.field_span, fmt::format("unknown field `{}` on {}{}", f.field, object->object_name,
                                      did_you_mean_hint(f.field, names)));
      return any_type();
    }
    result = def->type ? def->type : any_type();
  } else {
    std::string hint;
    TypePtr elem = element_type(object);
    if ((object->kind == TypeKind::List || object->kind == TypeKind::Set) && elem &&
        elem->kind == TypeKind::Object && elem->field(f.field)) {
      hint = fmt::format("; to take it from every item, write [x.{} for x in ...]", f.field);
    }
    error(f.field_span,
          fmt::format("cannot access field `{}` on {}{}", f.field, name_of(object), hint));
    return any_type();
  }
  return f.optional && object->nullable ? nullable(result) : result;
}

TypePtr ExprChecker::check_index(const ast::Expr& e, const ast::Index& ix) {
  TypePtr object = check(*ix.object);
  TypePtr index = check(*ix.index);
  if (is_any(object)) return any_type();
  auto want = [&](TypeKind k, const char* what) {
    if (is_any(index) || index->kind == k) return true;
    error(ix.index->span, fmt::format("an index into {} must be {}, got {}", name_of(object), what,
                                      name_of(index)));
    return false;
  };
  switch (object->kind) {
    case TypeKind::List:
    case TypeKind::Set:
      want(TypeKind::Int, "an int");
      return nullable(object->elem ? object->elem : any_type());
    case TypeKind::Map:
      want(TypeKind::String, "a string");
      return nullable(object->elem ? object->elem : any_type());
    case TypeKind::String:
      want(TypeKind::Int, "an int");
      return nullable(scalar_type(TypeKind::String));
    default:
      error(e.span, fmt::format("cannot index {}", name_of(object)));
      return any_type();
  }
}

}  // namespace capguard::checker
