#include "bench/workload.hpp"

#include <cstdio>
#include <cstdlib>
#include <random>

#include "lang/compile/pipeline.hpp"
#include "runtime/documents/document_schema.hpp"
#include "runtime/documents/inputs.hpp"
#include "runtime/eval/evaluator.hpp"

namespace capguard::bench {

const char* const kHardeningPolicy = R"(package bench.hardening

policy "H-PRIV" {
  title "Containers are not privileged"
  severity critical
  for s in services
  deny when s.privileged == true message "{s.name} runs privileged"
}

policy "H-CAPDROP" {
  title "All capabilities are dropped"
  severity high
  for s in services
  deny when not (ALL in s.caps.dropped) at s.caps.dropped
    message "{s.name} does not drop ALL capabilities"
}

policy "H-NNP" {
  title "no-new-privileges is set"
  severity medium
  for s in services
  deny when not s.security.no_new_privileges message "{s.name} lacks no-new-privileges"
}

policy "H-RO" {
  title "The root filesystem is read-only"
  severity low
  for s in services
  warn when s.read_only != true
}
)";

namespace {

// 0 to 2 distinct items of `pool`, as a YAML flow list.
std::string pick_list(std::mt19937& rng, const std::vector<const char*>& pool) {
  std::uniform_int_distribution<int> how_many(0, 2);
  std::uniform_int_distribution<size_t> which(0, pool.size() - 1);
  int n = how_many(rng);
  std::vector<size_t> chosen;
  while (static_cast<int>(chosen.size()) < n) {
    size_t i = which(rng);
    bool dup = false;
    for (size_t c : chosen) dup = dup || c == i;
    if (!dup) chosen.push_back(i);
  }
  std::string out = "[";
  for (size_t k = 0; k < chosen.size(); ++k) {
    if (k) out += ", ";
    out += "\"" + std::string(pool[chosen[k]]) + "\"";
  }
  return out + "]";
}

}  // namespace

std::vector<std::string> generate_compose_texts(size_t count, size_t services, uint32_t seed) {
  static const std::vector<const char*> kImages = {
      "nginx:1.27", "redis:7", "postgres:16", "busybox",
      "ghcr.io/acme/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"};
  static const std::vector<const char*> kDrops = {"ALL", "NET_RAW", "SYS_ADMIN", "CHOWN"};
  static const std::vector<const char*> kOpts = {"no-new-privileges:true", "no-new-privileges",
                                                 "no-new-privileges:false", "seccomp:unconfined",
                                                 "apparmor:docker-default"};
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> percent(0, 99);
  std::uniform_int_distribution<size_t> image(0, kImages.size() - 1);
  std::vector<std::string> texts;
  texts.reserve(count);
  for (size_t d = 0; d < count; ++d) {
    std::string text = "services:\n";
    for (size_t s = 0; s < services; ++s) {
      text += "  svc" + std::to_string(s) + ":\n";
      text += "    image: \"" + std::string(kImages[image(rng)]) + "\"\n";
      int p = percent(rng);
      if (p < 30)
        text += "    privileged: true\n";
      else if (p < 60)
        text += "    privileged: false\n";
      if (percent(rng) < 80) text += "    cap_drop: " + pick_list(rng, kDrops) + "\n";
      if (percent(rng) < 80) text += "    security_opt: " + pick_list(rng, kOpts) + "\n";
      int r = percent(rng);
      if (r < 60)
        text += "    read_only: true\n";
      else if (r < 80)
        text += "    read_only: false\n";
    }
    texts.push_back(std::move(text));
  }
  return texts;
}

std::vector<Value> load_documents(const std::vector<std::string>& texts) {
  std::vector<Value> documents;
  documents.reserve(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    Diagnostics diags;
    LoadedInput in = load_input_text("bench-" + std::to_string(i) + ".yaml", texts[i],
                                     InputFormat::Compose, diags);
    if (!in.ok) {
      std::fprintf(stderr, "bench: document %zu did not load:\n%s", i, render(diags).c_str());
      std::abort();
    }
    documents.push_back(in.document);
  }
  return documents;
}

ir::Program compile_or_die(const std::vector<std::pair<std::string, std::string>>& sources) {
  std::vector<FileId> files;
  for (const auto& [name, text] : sources) files.push_back(add_source(name, text));
  Diagnostics diags;
  std::optional<ir::Program> program =
      compile_policies(files, document_schema(), diags, runtime_compile_options());
  if (!program) {
    std::fprintf(stderr, "bench: policies did not compile:\n%s", render(diags).c_str());
    std::abort();
  }
  return std::move(*program);
}

}  // namespace capguard::bench
