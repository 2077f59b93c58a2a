// bench_eval: the evaluator alone. A 4-rule policy, compiled once, over 1000 documents of 5
// services each (generated with a fixed seed, loaded and normalized before timing). Reports
// nanoseconds per document (target: <= 2000). For scale, BM_LoadDocument measures what reading
// one such document costs (YAML parse + compose semantics + normalization), and
// BM_EvalStdlib the whole standard library over the same documents.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "bench/workload.hpp"
#include "runtime/documents/inputs.hpp"
#include "runtime/eval/evaluator.hpp"
#include "stdlib-policies/embedded.hpp"

namespace capguard::bench {
namespace {

constexpr size_t kDocuments = 1000;
constexpr size_t kServices = 5;
constexpr uint32_t kSeed = 20261129;

const std::vector<std::string>& texts() {
  static const std::vector<std::string> t = generate_compose_texts(kDocuments, kServices, kSeed);
  return t;
}
const std::vector<Value>& documents() {
  static const std::vector<Value> d = load_documents(texts());
  return d;
}

// Evaluates `program` over every document per iteration; counters: ns per document, findings
// per pass (a check that the work is real and the mix fires rules).
void run_program(benchmark::State& state, const ir::Program& program,
                 const std::vector<Value>& docs = documents(), bool errors_allowed = false) {
  std::vector<Value> params = program.default_params();
  size_t findings = 0, errors = 0;
  for (auto _ : state) {
    findings = 0;
    errors = 0;
    for (const Value& doc : docs) {
      EvalResult r = evaluate(program, doc, params, "bench");
      findings += r.findings.size();
      errors += r.errors.size();
      benchmark::DoNotOptimize(r);
    }
  }
  if (findings == 0 || (errors != 0 && !errors_allowed)) {
    std::fprintf(stderr, "bench: unexpected result: %zu findings, %zu errors\n", findings, errors);
    std::abort();
  }
  state.counters["ns_per_doc"] =
      benchmark::Counter(static_cast<double>(state.iterations() * docs.size()) / 1e9,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["findings_per_pass"] = static_cast<double>(findings);
  if (errors_allowed) state.counters["errors_per_pass"] = static_cast<double>(errors);
}

void BM_EvalHardening(benchmark::State& state) {
  static const ir::Program program = compile_or_die({{"hardening.policy", kHardeningPolicy}});
  run_program(state, program);
}
BENCHMARK(BM_EvalHardening)->Unit(benchmark::kMillisecond);

// The same over the first 10 documents only: they stay in cache, so this is the evaluator's own
// cost without the memory traffic of reading 1000 documents' worth of values.
void BM_EvalHardeningHot(benchmark::State& state) {
  static const ir::Program program = compile_or_die({{"hardening.policy", kHardeningPolicy}});
  static const std::vector<Value> hot(documents().begin(), documents().begin() + 10);
  run_program(state, program, hot);
}
BENCHMARK(BM_EvalHardeningHot)->Unit(benchmark::kMicrosecond);

void BM_EvalStdlib(benchmark::State& state) {
  static const ir::Program program = [] {
    std::vector<std::pair<std::string, std::string>> sources;
    for (const stdlib::EmbeddedFile& f : stdlib::embedded_files()) {
      std::string path(f.path);
      if (path.size() > 12 && path.compare(path.size() - 12, 12, "_test.policy") == 0) continue;
      sources.emplace_back(path, std::string(f.text));
    }
    return compile_or_die(sources);
  }();
  state.counters["policies"] = static_cast<double>(program.policies.size());
  // The standard library changes with its authors; runtime errors are counted, not fatal here.
  run_program(state, program, documents(), true);
}
BENCHMARK(BM_EvalStdlib)->Unit(benchmark::kMillisecond);

void BM_LoadDocument(benchmark::State& state) {
  const std::vector<std::string>& t = texts();
  size_t i = 0;
  for (auto _ : state) {
    Diagnostics diags;
    LoadedInput in = load_input_text("bench.yaml", t[i++ % t.size()], InputFormat::Compose, diags);
    benchmark::DoNotOptimize(in);
  }
  state.counters["ns_per_doc"] =
      benchmark::Counter(static_cast<double>(state.iterations()) / 1e9,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_LoadDocument);

}  // namespace
}  // namespace capguard::bench

BENCHMARK_MAIN();
