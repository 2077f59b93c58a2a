#include "tests/fuzz/fuzz_support.hpp"

#include <cstdio>
#include <cstdlib>
#include <optional>

#include "lang/check/checker.hpp"
#include "lang/compile/compiler.hpp"
#include "lang/compile/pipeline.hpp"
#include "lang/syntax/ast_build.hpp"
#include "lang/syntax/parser.hpp"
#include "runtime/documents/document_schema.hpp"
#include "runtime/documents/inputs.hpp"
#include "runtime/eval/evaluator.hpp"
#include "stdlib-policies/embedded.hpp"

namespace capguard::fuzz {

namespace {

const char* const kSampleCompose =
    "services:\n"
    "  web:\n"
    "    image: nginx:1.27\n"
    "    privileged: true\n"
    "    cap_add: [NET_ADMIN, SYS_PTRACE]\n"
    "    ports: [\"8080:80\"]\n"
    "    volumes: [\"/var/run/docker.sock:/var/run/docker.sock\"]\n"
    "    environment: {A: \"1\", B: x}\n"
    "  db:\n"
    "    image: postgres@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
    "    user: \"999:999\"\n"
    "    read_only: true\n"
    "    cap_drop: [ALL]\n"
    "    mem_limit: 512m\n";

// One policy whose body is `let __result = EXPR; deny when false`.
ast::Module wrap(FileId file, ast::ExprPtr expr, ast::NodeId next_id) {
  ast::Module m;
  m.file = file;
  m.next_id = next_id;
  m.policies.push_back(ast::expression_policy(m, "<fuzz>", "fuzz", "__result", std::move(expr)));
  return m;
}

}  // namespace

const ir::Program& stdlib_program() {
  static const ir::Program program = [] {
    Diagnostics diags;
    std::vector<FileId> files;
    for (const stdlib::EmbeddedFile& f : stdlib::embedded_files()) {
      files.push_back(add_source(std::string(f.path), std::string(f.text)));
    }
    std::optional<ir::Program> p =
        compile_policies(files, document_schema(), diags, runtime_compile_options());
    if (!p) {
      std::fputs(render(diags).c_str(), stderr);
      std::abort();
    }
    return std::move(*p);
  }();
  return program;
}

std::vector<Value> default_params(const ir::Program& program) {
  std::vector<Value> params;
  for (const ir::Param& p : program.params) params.push_back(p.default_value);
  return params;
}

const Value& sample_document() {
  static const Value document = [] {
    Diagnostics diags;
    LoadedInput in = load_input_text("sample.yaml", kSampleCompose, InputFormat::Compose, diags);
    if (!in.ok) {
      std::fputs(render(diags).c_str(), stderr);
      std::abort();
    }
    const Value* services = in.document.get("services");
    return Value::map({{"input", Value::string("raw")}, {"services", *services}});
  }();
  return document;
}

bool run_expression(const std::string& text, Diagnostics& diags) {
  FileId file = add_source("<expr>", text);
  ast::NodeId next_id = 1;
  ast::ExprPtr expr = parse_expression(file, diags, next_id);
  if (!expr || diags.has_errors()) return false;
  std::vector<ast::Module> modules;
  modules.push_back(wrap(file, std::move(expr), next_id));
  Schema schema = document_schema();
  schema.roots["input"] = any_type();
  CheckResult checked = check(modules, schema, diags);
  if (diags.has_errors()) return false;
  std::optional<ir::Program> program =
      compile(modules, checked, schema, diags, runtime_compile_options());
  if (!program) return false;
  const ir::Policy& policy = program->policies.back();
  Value result;
  ExpressionError error;
  return evaluate_expression(*program, policy.steps.front().expr, policy.frame_size,
                             sample_document(), default_params(*program), result, error, 1'000'000);
}

}  // namespace capguard::fuzz
