#include "runtime/documents/normalize/security_opt.hpp"

#include <optional>
#include <string>

#include <fmt/format.h>

#include "runtime/documents/normalize/field_reader.hpp"

namespace capguard::normalize {

namespace {

bool valid_label(const std::string& v) {
  if (v == "disable") return true;
  size_t colon = v.find(':');
  if (colon == std::string::npos || colon + 1 == v.size()) return false;
  std::string key = v.substr(0, colon);
  return key == "user" || key == "role" || key == "type" || key == "level" || key == "filetype";
}

}  // namespace

const Value* label_disabling_setting(const Value& privileged, const Value& namespaces) {
  if (privileged.is_bool() && privileged.as_bool()) return &privileged;
  for (const char* key : {"pid", "ipc"}) {
    const Value* mode = namespaces.is_map() ? namespaces.get(key) : nullptr;
    if (mode != nullptr && mode->is_string() && mode->as_string() == "host") return mode;
  }
  return nullptr;
}

Value security_value(const Value* opts, const SecurityContext& ctx, Span fallback,
                     Diagnostics& diags) {
  const Value* apparmor_profile = ctx.apparmor_profile;
  Value nnp = Value::boolean(false, fallback);
  Value seccomp = Value::null(fallback);
  Value apparmor = Value::null(fallback);
  Value systempaths = Value::null(fallback);
  List labels;
  Span label_span = fallback;
  // The daemon looks for `label=` exactly (strings.Split(opt, "=")[0] == "label"): the
  // deprecated `label:...` form does not stop it from adding label=disable.
  bool label_equals = false;
  if (opts != nullptr && !opts->is_null()) {
    auto items = read_string_list(*opts, "security_opt", diags);
    for (const Value& item : items ? *items : List{}) {
      const std::string& opt = item.as_string();
      Span s = item.span();
      if (opt.substr(0, opt.find('=')) == "label") label_equals = true;
      if (opt == "no-new-privileges") {
        nnp = Value::boolean(true, s);
        continue;
      }
      if (opt == "writable-cgroups") continue;  // accepted; not part of the model
      if (opt == "disable") {
        labels.push_back(Value::string("disable", s));
        label_span = s;
        continue;
      }
      size_t sep = opt.find('=');
      if (sep == std::string::npos) sep = opt.find(':');
      if (sep == std::string::npos) {
        diags.error(s, fmt::format("security_opt: invalid option \"{}\": expected KEY=VALUE", opt));
        continue;
      }
      std::string key = opt.substr(0, sep);
      std::string value = opt.substr(sep + 1);
      if (key == "no-new-privileges" || key == "writable-cgroups") {
        auto b = parse_go_bool(value);
        if (!b) {
          diags.error(s, fmt::format("security_opt: invalid boolean \"{}\" for {} (expected "
                                     "true or false)",
                                     value, key));
        } else if (key == "no-new-privileges") {
          nnp = Value::boolean(*b, s);
        }
      } else if (key == "seccomp") {
        // Inspect shows a custom profile inline, as its JSON text.
        bool inline_json = !value.empty() && value.front() == '{';
        seccomp = Value::string(inline_json ? "inline" : value, s);
      } else if (key == "apparmor") {
        apparmor = Value::string(value, s);
      } else if (key == "label") {
        if (!valid_label(value)) {
          diags.error(s, fmt::format("security_opt: invalid label option \"{}\": expected "
                                     "disable, or user:, role:, type:, level:, filetype: "
                                     "followed by a value",
                                     value));
          continue;
        }
        labels.push_back(Value::string(value, s));
        label_span = s;
      } else if (key == "systempaths") {
        if (value != "unconfined") {
          diags.error(s, fmt::format("security_opt: invalid systempaths \"{}\": only "
                                     "\"unconfined\" is accepted",
                                     value));
          continue;
        }
        systempaths = Value::string(value, s);
      } else {
        diags.error(s, fmt::format("security_opt: unknown option \"{}\" (expected "
                                   "no-new-privileges, seccomp, apparmor, label or systempaths)",
                                   key));
      }
    }
  }
  if (ctx.disables_labels != nullptr && !label_equals) {
    if (labels.empty()) label_span = ctx.disables_labels->span();
    labels.push_back(Value::string("disable", ctx.disables_labels->span()));
  }
  if (systempaths.is_null() && ctx.masked_paths != nullptr && ctx.readonly_paths != nullptr &&
      ctx.masked_paths->is_sequence() && ctx.masked_paths->as_list().empty() &&
      ctx.readonly_paths->is_sequence() && ctx.readonly_paths->as_list().empty()) {
    systempaths = Value::string("unconfined", ctx.masked_paths->span());
  }
  if (apparmor.is_null() && apparmor_profile != nullptr && apparmor_profile->is_string()) {
    const std::string& p = apparmor_profile->as_string();
    if (!p.empty() && p != "docker-default") apparmor = *apparmor_profile;
  }
  Value selinux =
      labels.empty() ? Value::null(fallback) : Value::list(std::move(labels), label_span);
  return Value::map({{"no_new_privileges", nnp},
                     {"seccomp", seccomp},
                     {"apparmor", apparmor},
                     {"selinux", selinux},
                     {"systempaths", systempaths}},
                    fallback);
}

}  // namespace capguard::normalize
