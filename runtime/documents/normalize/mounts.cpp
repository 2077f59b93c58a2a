#include "runtime/documents/normalize/mounts.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "lang/core/paths.hpp"
#include "lang/core/units.hpp"
#include "runtime/documents/normalize/field_reader.hpp"

namespace capguard::normalize {

namespace {

struct Mount {
  std::string type;
  std::optional<std::string> source;
  bool relative = false;    // the bind source was written relative to the project folder
  bool in_project = false;  // ... and stays inside it once cleaned
  std::string target;
  bool read_only = false;
  std::optional<std::string> propagation;
  std::optional<std::string> selinux;
  std::optional<int64_t> size;
};

Value to_value(const Mount& m, Span s) {
  auto opt = [&](const std::optional<std::string>& o) {
    return o ? Value::string(*o, s) : Value::null(s);
  };
  return Value::map_unique({{"type", Value::string(m.type, s)},
                            {"source", opt(m.source)},
                            {"relative", Value::boolean(m.relative, s)},
                            {"in_project", Value::boolean(m.in_project, s)},
                            {"target", Value::string(m.target, s)},
                            {"read_only", Value::boolean(m.read_only, s)},
                            {"propagation", opt(m.propagation)},
                            {"selinux", opt(m.selinux)},
                            {"size", m.size ? Value::size(*m.size, s) : Value::null(s)}},
                           s);
}

// Every field between separators; none for the empty text.
std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  for (size_t start = 0;;) {
    size_t at = s.find(sep, start);
    if (at == std::string::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, at - start));
    start = at + 1;
  }
}

bool is_propagation(const std::string& o) {
  return o == "shared" || o == "rshared" || o == "slave" || o == "rslave" || o == "private" ||
         o == "rprivate";
}

// A Windows path ("C:/data", "C:\\data") or named pipe ("\\\\.\\pipe\\x"), as Docker Desktop
// files written on Windows have. compose-go treats it as a host path; it stays as written.
bool is_windows_path(const std::string& s) {
  bool drive = s.size() >= 3 && std::isalpha(static_cast<unsigned char>(s[0])) && s[1] == ':' &&
               (s[2] == '/' || s[2] == '\\');
  return drive || s.rfind("\\\\", 0) == 0;
}

// Whether a bind source is written relative to the project folder: compose resolves every
// source that is neither absolute nor `~`-based against it (`~` is the user's home, which
// compose expands; the model keeps it as written).
bool is_relative(const std::string& source) {
  return !source.empty() && source[0] != '/' && source[0] != '~' && !is_windows_path(source);
}

// Splits a short volume spec at ':' as compose-go's ParseVolume does, except that a one-letter
// field followed by ":/" or ":\\" is a Windows drive letter, not a separator.
std::vector<std::string> split_volume_spec(const std::string& spec) {
  std::vector<std::string> out;
  std::string field;
  for (size_t i = 0; i < spec.size(); ++i) {
    char c = spec[i];
    bool drive = c == ':' && field.size() == 1 &&
                 std::isalpha(static_cast<unsigned char>(field[0])) && i + 1 < spec.size() &&
                 (spec[i + 1] == '/' || spec[i + 1] == '\\');
    if (c == ':' && !drive) {
      out.push_back(field);
      field.clear();
    } else {
      field += c;
    }
  }
  out.push_back(field);
  return out;
}

// Absolute, clean path of a bind source as Docker sees it: relative sources ("./data") joined
// to the project folder, then cleaned like Go's filepath.Clean ("/var/lib/docker/" and
// "/a/./b" become "/var/lib/docker" and "/a/b"), so that policies compare paths reliably.
std::string resolve(const std::string& source, const std::string& project_dir) {
  if (source.empty() || source[0] == '~' || is_windows_path(source)) return source;
  return clean_path(is_relative(source) ? project_dir + "/" + source : source);
}

// Sets a bind mount's source from `written`: resolved, and flagged relative / in the project.
// A relative source stays in the project unless, cleaned, it climbs out with "..": the check is
// lexical (a symlink inside the project folder may still point elsewhere). `written` is a copy:
// callers pass m.source itself.
// An empty `project_dir` means there is no project (docker inspect, whose Binds Docker only
// accepts absolute): the source resolves against / and is never flagged relative, so that
// CG-FS-003 still checks it.
void set_bind_source(Mount& m, std::string written, const std::string& project_dir) {
  m.source = resolve(written, project_dir.empty() ? "/" : project_dir);
  m.relative = !project_dir.empty() && is_relative(written);
  if (m.relative) {
    std::string clean = clean_path(written);
    m.in_project = clean != ".." && clean.compare(0, 3, "../") != 0;
  }
}

void short_volume(const Value& item, const std::string& project_dir, List& out,
                  Diagnostics& diags) {
  const std::string& spec = item.as_string();
  Span s = item.span();
  std::vector<std::string> parts = split_volume_spec(spec);
  Mount m;
  std::string options;
  if (parts.size() == 1) {
    m.type = "volume";
    m.target = parts[0];
  } else if (parts.size() == 2 && !parts[1].empty() && parts[1][0] != '/') {
    // "/data:ro": an anonymous volume with options is not valid; "a:b" needs an absolute b.
    diags.error(s, fmt::format("volumes: invalid volume \"{}\": the target must be an absolute "
                               "path",
                               spec));
    return;
  } else if (parts.size() == 2 || parts.size() == 3) {
    m.source = parts[0];
    m.target = parts[1];
    if (parts.size() == 3) options = parts[2];
    const std::string& src = *m.source;
    if (src.empty()) {
      diags.error(s, fmt::format("volumes: invalid volume \"{}\": empty source", spec));
      return;
    }
    bool path = src[0] == '/' || src[0] == '.' || src[0] == '~' || is_windows_path(src);
    m.type = path ? "bind" : "volume";
    if (path) set_bind_source(m, src, project_dir);
  } else {
    diags.error(
        s, fmt::format("volumes: invalid volume \"{}\": expected [SOURCE:]TARGET[:MODE]", spec));
    return;
  }
  if (m.target.empty() || m.target[0] != '/') {
    diags.error(s, fmt::format("volumes: invalid volume \"{}\": the target must be an absolute "
                               "path",
                               spec));
    return;
  }
  m.target = resolve(m.target, "");
  for (const std::string& o : split(options, ',')) {
    if (o == "ro") {
      m.read_only = true;
    } else if (o == "rw") {
      m.read_only = false;
    } else if (o == "z" || o == "Z") {
      m.selinux = o;
    } else if (is_propagation(o)) {
      m.propagation = o;
    } else if (o == "nocopy" || o == "cached" || o == "delegated" || o == "consistent" ||
               o.empty()) {
      // accepted; not part of the model
    } else {
      diags.error(s, fmt::format("volumes: invalid mode \"{}\" in \"{}\"", o, spec));
      return;
    }
  }
  out.push_back(to_value(m, s));
}

void long_volume(const Value& item, const std::string& project_dir, List& out, Diagnostics& diags) {
  Span s = item.span();
  Mount m;
  auto text = [&](const Value* v, const char* field) -> std::optional<std::string> {
    if (v == nullptr || v->is_null()) return std::nullopt;
    return read_string(*v, field, diags);
  };
  auto type = text(item.get("type"), "volumes.type");
  auto target = text(item.get("target"), "volumes.target");
  if (!type || !target) {
    diags.error(s, fmt::format("volumes: long syntax needs `type` and `target`"));
    return;
  }
  static const char* const kTypes[] = {"bind", "volume", "tmpfs", "npipe", "image", "cluster"};
  if (std::find(std::begin(kTypes), std::end(kTypes), *type) == std::end(kTypes)) {
    diags.error(item.get("type")->span(),
                fmt::format("volumes.type: unknown mount type \"{}\" (expected bind, volume, "
                            "tmpfs, npipe, image or cluster)",
                            *type));
    return;
  }
  m.type = *type;
  m.target = resolve(*target, "");
  m.source = text(item.get("source"), "volumes.source");
  if (m.source && m.type == "bind") set_bind_source(m, *m.source, project_dir);
  if (const Value* ro = item.get("read_only"); ro && !ro->is_null()) {
    m.read_only = read_bool(*ro, "volumes.read_only", diags).value_or(false);
  }
  if (const Value* bind = item.get("bind"); bind && bind->is_map()) {
    m.propagation = text(bind->get("propagation"), "volumes.bind.propagation");
    m.selinux = text(bind->get("selinux"), "volumes.bind.selinux");
  }
  if (const Value* tmpfs = item.get("tmpfs"); tmpfs && tmpfs->is_map()) {
    if (const Value* size = tmpfs->get("size"); size && !size->is_null()) {
      m.size = read_size(*size, "volumes.tmpfs.size", diags);
    }
  }
  out.push_back(to_value(m, s));
}

}  // namespace

Value tmpfs_mount(const std::string& target, const std::string& options, Span s,
                  Diagnostics& diags) {
  Mount m;
  m.type = "tmpfs";
  m.target = target;
  for (const std::string& o : split(options, ',')) {
    if (o == "ro") m.read_only = true;
    if (o == "rw") m.read_only = false;
    if (o.rfind("size=", 0) == 0) {
      std::string error;
      m.size = units::parse_size(o.substr(5), error);
      if (!m.size) diags.error(s, fmt::format("tmpfs: invalid size in \"{}\": {}", o, error));
    }
  }
  return to_value(m, s);
}

Value compose_mounts(const Value& service, const std::string& project_dir, Span fallback,
                     Diagnostics& diags) {
  List out;
  if (const Value* vols = service.get("volumes"); vols && !vols->is_null()) {
    if (!vols->is_sequence()) {
      type_error(diags, *vols, "volumes", "a list");
    } else {
      for (const Value& item : vols->as_list()) {
        if (item.is_string()) {
          short_volume(item, project_dir, out, diags);
        } else if (item.is_map()) {
          long_volume(item, project_dir, out, diags);
        } else {
          type_error(diags, item, "volumes", "a volume string or mapping");
        }
      }
    }
  }
  if (const Value* tmpfs = service.get("tmpfs"); tmpfs && !tmpfs->is_null()) {
    if (auto items = read_string_list(*tmpfs, "tmpfs", diags, true)) {
      for (const Value& item : *items) {
        const std::string& spec = item.as_string();
        size_t colon = spec.find(':');
        std::string target = spec.substr(0, colon);
        if (target.empty() || target[0] != '/') {
          diags.error(item.span(), fmt::format("tmpfs: \"{}\": the target must be an absolute "
                                               "path",
                                               spec));
          continue;
        }
        out.push_back(tmpfs_mount(target, colon == std::string::npos ? "" : spec.substr(colon + 1),
                                  item.span(), diags));
      }
    }
  }
  if (const Value* sock = service.get("use_api_socket"); sock && !sock->is_null()) {
    if (read_bool(*sock, "use_api_socket", diags).value_or(false)) {
      Mount m;
      m.type = "bind";
      m.source = "/var/run/docker.sock";
      m.target = "/var/run/docker.sock";
      out.push_back(to_value(m, sock->span()));
    }
  }
  const Value* vols = service.get("volumes");
  return Value::list(std::move(out), vols && !vols->is_null() ? vols->span() : fallback);
}

namespace {

// One entry of HostConfig.Mounts (the API's mount.Mount): Type, Source, Target, ReadOnly,
// BindOptions.Propagation, TmpfsOptions.SizeBytes; a volume's Source is its name ("" for an
// anonymous volume).
Value api_mount(const Value& item, Diagnostics& diags) {
  auto str = [](const Value* m, const char* key) -> std::optional<std::string> {
    const Value* v = m && m->is_map() ? m->get(key) : nullptr;
    if (v && v->is_string() && !v->as_string().empty()) return v->as_string();
    return std::nullopt;
  };
  Mount m;
  m.type = str(&item, "Type").value_or("volume");
  m.source = str(&item, "Source");
  m.target = str(&item, "Target").value_or("");
  const Value* ro = item.get("ReadOnly");
  if (ro && !ro->is_null() && !ro->is_bool()) type_error(diags, *ro, "ReadOnly", "a boolean");
  m.read_only = ro && ro->is_bool() && ro->as_bool();
  m.propagation = str(item.get("BindOptions"), "Propagation");
  if (const Value* tmpfs = item.get("TmpfsOptions"); tmpfs && tmpfs->is_map()) {
    const Value* size = tmpfs->get("SizeBytes");
    if (size && size->is_int() && size->as_int() > 0) m.size = size->as_int();
  }
  return to_value(m, item.span());
}

}  // namespace

// The size of the tmpfs mount at `target` requested through the Mounts API (a long-syntax
// `type: tmpfs` volume): HostConfig.Mounts[].TmpfsOptions.SizeBytes. The top-level `Mounts` of
// docker inspect lists the mount but not its options. 0 or absent: no size (the tmpfs default).
static std::optional<int64_t> tmpfs_size_bytes(const Value* host, const std::string& target) {
  const Value* requested = host ? host->get("Mounts") : nullptr;
  if (requested == nullptr || !requested->is_sequence()) return std::nullopt;
  for (const Value& r : requested->as_list()) {
    const Value* type = r.get("Type");
    const Value* to = r.get("Target");
    if (!type || !type->is_string() || type->as_string() != "tmpfs" || !to || !to->is_string() ||
        resolve(to->as_string(), "") != target) {
      continue;
    }
    const Value* options = r.get("TmpfsOptions");
    const Value* size = options && options->is_map() ? options->get("SizeBytes") : nullptr;
    if (size && size->is_int() && size->as_int() > 0) return size->as_int();
    return std::nullopt;
  }
  return std::nullopt;
}

Value inspect_mounts(const Value& container, Span fallback, Diagnostics& diags) {
  List out;
  const Value* host = container.get("HostConfig");
  const Value* mounts = container.get("Mounts");
  auto str = [](const Value& m, const char* key) -> std::optional<std::string> {
    const Value* v = m.get(key);
    if (v && v->is_string() && !v->as_string().empty()) return v->as_string();
    return std::nullopt;
  };
  // An empty `Mounts` next to `Binds` (hand-trimmed or tool-made inspect output) must not hide
  // the binds: they are read whenever `Mounts` lists nothing.
  if (mounts && mounts->is_sequence() && !mounts->as_list().empty()) {
    for (const Value& item : mounts->as_list()) {
      if (!item.is_map()) {
        type_error(diags, item, "Mounts", "a mapping");
        continue;
      }
      Mount m;
      m.type = str(item, "Type").value_or("volume");
      m.source = str(item, "Source");
      if (m.type == "volume" && str(item, "Name")) m.source = str(item, "Name");
      m.target = str(item, "Destination").value_or("");
      const Value* rw = item.get("RW");
      m.read_only = rw && rw->is_bool() && !rw->as_bool();
      m.propagation = str(item, "Propagation");
      std::string mode = str(item, "Mode").value_or("");
      for (const std::string& o : split(mode, ',')) {
        if (o == "z" || o == "Z") m.selinux = o;
      }
      if (m.type == "tmpfs") m.size = tmpfs_size_bytes(host, m.target);
      out.push_back(to_value(m, item.span()));
    }
  } else if (host) {
    if (const Value* binds = host->get("Binds"); binds && binds->is_sequence()) {
      for (const Value& item : binds->as_list()) {
        if (item.is_string()) short_volume(item, "", out, diags);
      }
    }
    // HostConfig.Mounts as the API takes it (`--mount`): a create request's body, or inspect
    // output without its top-level Mounts.
    if (const Value* api = host->get("Mounts"); api && api->is_sequence()) {
      for (const Value& item : api->as_list()) {
        if (!item.is_map()) {
          type_error(diags, item, "HostConfig.Mounts", "a mapping");
          continue;
        }
        out.push_back(api_mount(item, diags));
      }
    }
  }
  if (host) {
    if (const Value* tmpfs = host->get("Tmpfs"); tmpfs && tmpfs->is_map()) {
      for (const auto& [target, options] : tmpfs->as_map()) {
        out.push_back(
            tmpfs_mount(target, scalar_text(options).value_or(""), options.span(), diags));
      }
    }
  }
  return Value::list(std::move(out), mounts ? mounts->span() : fallback);
}

}  // namespace capguard::normalize
