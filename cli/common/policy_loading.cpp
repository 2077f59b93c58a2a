#include "cli/common/policy_loading.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "lang/compile/pipeline.hpp"
#include "lang/core/file_read.hpp"
#include "runtime/documents/document_schema.hpp"
#include "runtime/eval/evaluator.hpp"
#include "stdlib-policies/embedded.hpp"
#include "stdlib-policies/program/stdlib_program.hpp"

namespace capguard::cli {

namespace fs = std::filesystem;

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_policy_file(const std::string& name) {
  return ends_with(name, ".policy") && !ends_with(name, "_test.policy");
}

}  // namespace

std::vector<PolicyFile> collect_policy_files(const std::vector<std::string>& paths, bool no_stdlib,
                                             Diagnostics& diags) {
  std::vector<PolicyFile> out;
  if (!no_stdlib) {
    for (const stdlib::EmbeddedFile& f : stdlib::embedded_files()) {
      std::string path(f.path);
      if (is_policy_file(path)) out.push_back(PolicyFile{path, std::string(f.text)});
    }
  }
  for (const std::string& path : paths) {
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      diags.file_error(path, "no such policy file or folder");
      continue;
    }
    std::vector<std::string> files;
    if (fs::is_directory(status)) {
      for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec) && is_policy_file(it->path().filename().string())) {
          files.push_back(it->path().lexically_normal().string());
        }
      }
      if (ec) {
        diags.file_error(path, "cannot read folder: " + ec.message());
        continue;
      }
      std::sort(files.begin(), files.end());
      if (files.empty()) {
        diags.file_error(path, "folder holds no *.policy files");
        continue;
      }
    } else {
      files.push_back(path);
    }
    for (const std::string& file : files) {
      PolicyFile pf{file, ""};
      std::string error;
      if (!read_bounded(file, pf.text, error)) {
        diags.file_error(file, error);
        continue;
      }
      out.push_back(std::move(pf));
    }
  }
  return out;
}

std::vector<size_t> select_policies(const std::vector<PolicyMetadata>& policies,
                                    const std::optional<std::string>& preset,
                                    const std::vector<std::string>& only,
                                    const std::vector<std::string>& skip, Diagnostics& diags) {
  auto has_tag = [](const PolicyMetadata& p, const std::string& tag) {
    return std::find(p.tags.begin(), p.tags.end(), tag) != p.tags.end();
  };
  auto named = [&](const PolicyMetadata& p, const std::string& name) {
    return p.id == name || has_tag(p, name);
  };
  // Every name in only/skip must be a policy id or a tag (the names are gathered only then).
  std::vector<std::string> candidates;
  if (!only.empty() || !skip.empty()) {
    for (const PolicyMetadata& p : policies) {
      candidates.push_back(p.id);
      for (const std::string& t : p.tags) candidates.push_back(t);
    }
  }
  std::set<std::string> known(candidates.begin(), candidates.end());
  candidates.assign(known.begin(), known.end());
  for (const auto* list : {&only, &skip}) {
    const char* flag = list == &only ? "--only" : "--skip";
    for (const std::string& name : *list) {
      if (known.count(name)) continue;
      diags.file_error(flag, fmt::format("no policy id or tag `{}`{}", name,
                                         did_you_mean_hint(name, candidates)));
    }
  }
  std::vector<size_t> out;
  for (size_t i = 0; i < policies.size(); ++i) {
    const PolicyMetadata& p = policies[i];
    if (preset) {
      bool in = has_tag(p, "baseline") || (*preset == "restricted" && has_tag(p, "restricted"));
      if (!in) continue;
    }
    if (!only.empty() &&
        std::none_of(only.begin(), only.end(), [&](const std::string& n) { return named(p, n); })) {
      continue;
    }
    if (std::any_of(skip.begin(), skip.end(), [&](const std::string& n) { return named(p, n); })) {
      continue;
    }
    out.push_back(i);
  }
  return out;
}

LoadedPolicies load_policies(const Settings& settings, Diagnostics& diags, bool defer_steps,
                             bool policy_texts) {
  LoadedPolicies out;
  if (settings.policy_paths.empty() && !settings.no_stdlib) {
    // The standard library alone: compiled when capguard was built (stdlib-policies/program/).
    out.program = stdlib::precompiled_stdlib(diags, defer_steps, policy_texts);
  } else {
    std::vector<PolicyFile> files =
        collect_policy_files(settings.policy_paths, settings.no_stdlib, diags);
    std::vector<FileId> ids;
    for (PolicyFile& f : files) ids.push_back(add_source(f.path, std::move(f.text)));
    // A policy file that does not compile is reported and left out; the others still run.
    out.program =
        compile_policies_isolated(ids, document_schema(), diags, runtime_compile_options());
  }
  if (!out.program) return out;
  out.params = resolve_params(*out.program, settings, diags);
  std::vector<PolicyMetadata> all;
  all.reserve(out.program->policies.size());
  for (ir::Policy& p : out.program->policies) {
    if (!defer_steps) {
      all.push_back(p.meta);
      continue;
    }
    // A check: the evaluation reads a policy's id, title and severity; its other texts move.
    PolicyMetadata& m = all.emplace_back();
    m.id = p.meta.id;
    m.title = p.meta.title;
    m.severity = p.meta.severity;
    m.span = p.meta.span;
    m.description = std::move(p.meta.description);
    m.rationale = std::move(p.meta.rationale);
    m.remediation = std::move(p.meta.remediation);
    m.references = std::move(p.meta.references);
    m.tags = std::move(p.meta.tags);
  }
  out.selected = select_policies(all, settings.preset, settings.only, settings.skip, diags);
  out.in_force.reserve(out.selected.size());
  // `selected` holds each index once: the metadata moves.
  for (size_t i : out.selected) out.in_force.push_back(std::move(all[i]));
  std::sort(out.in_force.begin(), out.in_force.end(),
            [](const PolicyMetadata& a, const PolicyMetadata& b) { return a.id < b.id; });
  return out;
}

int find_policy(const ir::Program& program, const std::string& id, const std::string& command,
                Diagnostics& diags) {
  int index = program.policy_index(id);
  if (index >= 0) return index;
  std::vector<std::string> known;
  for (const ir::Policy& p : program.policies) known.push_back(p.meta.id);
  diags.file_error(command, fmt::format("no policy `{}`{}", id, did_you_mean_hint(id, known)));
  return -1;
}

}  // namespace capguard::cli
