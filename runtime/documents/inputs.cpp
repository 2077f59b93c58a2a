#include "runtime/documents/inputs.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "lang/core/file_read.hpp"
#include "lang/core/json_text.hpp"
#include "lang/core/phase_probe.hpp"
#include "runtime/documents/compose/project.hpp"
#include "runtime/documents/json_loader.hpp"
#include "runtime/documents/normalize/compose_service.hpp"
#include "runtime/documents/normalize/inspect_container.hpp"
#include "runtime/documents/yaml_loader.hpp"

namespace capguard {

namespace fs = std::filesystem;

std::optional<InputFormat> parse_input_format(std::string_view text) {
  if (text == "auto") return InputFormat::Auto;
  if (text == "compose") return InputFormat::Compose;
  if (text == "inspect") return InputFormat::Inspect;
  return std::nullopt;
}

const char* input_format_name(InputFormat f) {
  switch (f) {
    case InputFormat::Auto:
      return "auto";
    case InputFormat::Compose:
      return "compose";
    case InputFormat::Inspect:
      return "inspect";
  }
  return "auto";
}

namespace {

bool looks_like_container(const Value& v) {
  return v.is_map() && (v.get("HostConfig") || v.get("Config") || v.get("Id"));
}

std::string absolute_dir(const std::string& dir) {
  std::error_code ec;
  fs::path p = fs::absolute(dir.empty() ? fs::path(".") : fs::path(dir), ec);
  if (ec) return dir;
  std::string out = p.lexically_normal().string();
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

// The document of an input's services.
Value services_document(List services, Span s = {}) {
  return Value::map({{"services", Value::list(std::move(services), s)}});
}

// The same, compacted (lang/core/value.hpp compact()): an inspect array's containers, already
// compacted one by one, are shared; a whole-tree inspect input is laid out together once.
Value document(List services, Span s = {}) {
  return compact(services_document(std::move(services), s));
}

// Normalizes a loaded compose model into a document.
Value compose_document(const ComposeModel& model, const std::string& name,
                       const std::string& project_dir, Diagnostics& diags, bool compacted) {
  normalize::ComposeContext ctx{name, absolute_dir(project_dir)};
  ctx.unread = &model.unread;
  // InputOptions::compact. The evaluator finds a field by its slot either way (interned keys
  // compare by address, others by text).
  List services = normalize::compose_services(model.root, ctx, diags);
  return compacted ? document(std::move(services)) : services_document(std::move(services));
}

// A parsed tree whose format is known to be inspect (or detected so).
LoadedInput inspect_input(const std::string& name, const Value& parsed, const InputOptions& options,
                          Diagnostics& diags) {
  LoadedInput in;
  in.name = name;
  size_t errors = diags.error_count();
  if (!parsed.is_sequence() && !parsed.is_map()) {
    diags.error(parsed.span(), "docker inspect: expected a JSON array of containers");
  } else {
    in.document = document(normalize::inspect_containers(
        parsed, name, diags, options.raw_whole ? nullptr : &options.raw_keys));
  }
  in.ok = diags.error_count() == errors;
  if (in.document.is_null()) in.document = document({});
  return in;
}

// How a compose input is found: named files (-f, or a file PATH), a folder PATH (as docker
// compose run in that folder), or the current folder with no PATH (its parents searched too).
enum class ComposeSource { Files, Folder, Here };

LoadedInput compose_files(const std::string& name, const std::vector<std::string>& files,
                          const std::string& folder, ComposeSource source,
                          const InputOptions& options, Diagnostics& diags) {
  LoadedInput in;
  in.name = name;
  size_t errors = diags.error_count();
  ComposeOptions co;
  co.files = files;
  // A folder input is where compose looks for its files (and .env); --project-directory then
  // only moves the base of relative paths.
  if (source == ComposeSource::Folder) {
    co.working_dir = folder;
  } else {
    co.project_dir = options.project_dir;
    co.search_parent_folders = source == ComposeSource::Here;
  }
  co.env_files = options.env_files;
  co.profiles = options.profiles;
  if (auto model = load_compose(co, diags)) {
    CAPGUARD_PHASE("compose model");
    std::string base = options.project_dir.empty() ? model->project_dir : options.project_dir;
    in.document = compose_document(*model, name, base, diags, options.compact);
    CAPGUARD_PHASE("normalized");
  } else {
    in.document = document({});
  }
  in.ok = diags.error_count() == errors;
  return in;
}

LoadedInput unknown_format(const std::string& name, const Value& parsed, Diagnostics& diags) {
  diags.error(parsed.span(),
              "cannot tell the input format: expected a compose file (a mapping with "
              "`services`) or docker inspect output (a JSON array of containers)");
  return LoadedInput{name, document({}), false};
}

// An inspect array read container by container (parse_json_elements), when the policies read only
// some keys of raw (InputOptions::raw_whole false): each container's tree is freed once it is
// normalized, so the whole array's tree never exists. nullopt when the text is not an array of
// objects the JSON reader takes, when it has more containers than the limit, or when (format
// Auto) an element is not a container: the caller then reads it as a whole, which reports those
// cases exactly as before (nothing was reported here).
std::optional<LoadedInput> streamed_inspect_input(const std::string& name, FileId id,
                                                  const InputOptions& options, Diagnostics& diags) {
  if (options.raw_whole) return std::nullopt;
  Diagnostics local;
  List containers;
  bool taken = parse_json_elements(
      id, YamlLimits{},
      [&](Span, size_t count) {
        if (count > max_containers()) return false;
        containers.reserve(count);
        return true;
      },
      [&](Value c) {
        if (options.format != InputFormat::Inspect && !looks_like_container(c)) return false;
        normalize::add_inspect_container(c, name, local, &options.raw_keys, containers);
        return true;
      });
  if (!taken) return std::nullopt;
  LoadedInput in;
  in.name = name;
  in.ok = !local.has_errors();
  diags.append(local);
  in.document = document(std::move(containers));
  return in;
}

// Registered text that starts like JSON (the first non-blank byte after an optional BOM is `[` or
// `{`: lang/core/json_text.hpp), or any text read as inspect output (`format` Inspect): inspect
// output, checked here; nullopt when it is compose written as JSON, for the compose loader.
std::optional<LoadedInput> json_input(const std::string& name, FileId id,
                                      const InputOptions& options, Diagnostics& diags) {
  if (auto in = streamed_inspect_input(name, id, options, diags)) return in;
  size_t errors = diags.error_count();
  Value parsed = parse_yaml(id, diags);
  if (diags.error_count() != errors) return LoadedInput{name, document({}), false};
  InputFormat format = options.format;
  if (format != InputFormat::Inspect) format = detect_format(parsed);
  if (format == InputFormat::Inspect) return inspect_input(name, parsed, options, diags);
  if (format == InputFormat::Auto) return unknown_format(name, parsed, diags);
  return std::nullopt;
}

}  // namespace

InputFormat detect_format(const Value& parsed) {
  if (parsed.is_sequence()) {
    for (const Value& item : parsed.as_list()) {
      if (!looks_like_container(item)) return InputFormat::Auto;
    }
    return InputFormat::Inspect;
  }
  if (looks_like_container(parsed)) return InputFormat::Inspect;
  if (parsed.is_map()) return InputFormat::Compose;
  return InputFormat::Auto;
}

LoadedInput load_input_text(const std::string& name, const std::string& text, InputFormat format,
                            Diagnostics& diags) {
  if (format == InputFormat::Inspect || (format == InputFormat::Auto && looks_like_json(text))) {
    InputOptions options;
    options.format = format;
    if (auto in = json_input(name, add_source(name, text), options, diags)) return std::move(*in);
  }
  LoadedInput in;
  in.name = name;
  size_t errors = diags.error_count();
  if (auto model = load_compose_text(name, text, diags)) {
    in.document = compose_document(*model, name, "", diags, /*compacted=*/true);
  } else {
    in.document = document({});
  }
  in.ok = diags.error_count() == errors;
  return in;
}

LoadedInput load_input_files(const std::vector<std::string>& files, const InputOptions& options,
                             Diagnostics& diags) {
  if (files.size() == 1 && options.format != InputFormat::Compose) {
    return load_input(files.front(), options, diags);
  }
  return compose_files(files.empty() ? "" : files.front(), files, "", ComposeSource::Files, options,
                       diags);
}

LoadedInput load_input(const std::string& path, const InputOptions& options, Diagnostics& diags) {
  if (path.empty()) return compose_files(".", {}, ".", ComposeSource::Here, options, diags);
  if (path == "-") {
    // Registered once: a large inspect array is not copied.
    std::optional<FileId> id = read_source(path, diags, "-", ReadAs::Document);
    if (!id) return LoadedInput{path, document({}), false};
    std::string_view text = source(*id).text();
    if (options.format != InputFormat::Compose && looks_like_json(text)) {
      // Inspect output; compose written as JSON goes on to the compose loader below.
      if (auto in = json_input(path, *id, options, diags)) return std::move(*in);
    }
    // Compose, YAML or JSON: with the project's options (--env-file, --profile, the project
    // folder), as a compose file named on the command line.
    LoadedInput in;
    in.name = path;
    size_t errors = diags.error_count();
    ComposeOptions co;
    co.project_dir = options.project_dir;
    co.env_files = options.env_files;
    co.profiles = options.profiles;
    if (auto model = load_compose_text(path, text, co, diags)) {
      in.document = compose_document(*model, path, options.project_dir, diags, options.compact);
    } else {
      in.document = document({});
    }
    in.ok = diags.error_count() == errors;
    return in;
  }
  std::error_code ec;
  if (fs::is_directory(path, ec))
    return compose_files(path, {}, path, ComposeSource::Folder, options, diags);
  // A regular file that does not start like JSON goes to the compose loader unread (its first
  // bytes tell); anything else is read here once (a pipe can be read only once: the compose loader
  // then gets its text from read_bounded's stream cache).
  if (options.format == InputFormat::Inspect ||
      (options.format == InputFormat::Auto && file_may_be_json(path))) {
    auto id = read_source(path, diags, "", ReadAs::Document);
    if (!id) return LoadedInput{path, document({}), false};
    if (options.format == InputFormat::Inspect || looks_like_json(source(*id).text())) {
      if (auto in = json_input(path, *id, options, diags)) return std::move(*in);
    }
  }
  return compose_files(path, {path}, "", ComposeSource::Files, options, diags);
}

std::vector<LoadedInput> load_inputs(const std::vector<std::string>& files,
                                     const std::vector<std::string>& paths,
                                     const InputOptions& options, Diagnostics& diags) {
  std::vector<LoadedInput> out;
  if (!files.empty()) out.push_back(load_input_files(files, options, diags));
  for (const std::string& path : paths) out.push_back(load_input(path, options, diags));
  if (files.empty() && paths.empty()) out.push_back(load_input("", options, diags));
  return out;
}

}  // namespace capguard
