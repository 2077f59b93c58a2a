// capguard eval EXPR [--input FILE] [--policy PATH]... [--param NAME=VALUE]...
//
// Evaluates one expression, for policy authors, and prints the result as JSON. The expression is
// checked like a policy body: names, fields and functions resolve against the document schema
// and the params and functions of the --policy files (each package is imported under the last
// component of its name). Bound names:
//   input     the --input document as parsed (JSON or YAML; `-` reads stdin), null without
//             --input
//   services  the normalized services of the input when it is a compose file or `docker
//             inspect` output; an empty list otherwise
// Exit status: 0 with a result, 2 for a usage, policy, input or runtime error.

#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/common/command.hpp"
#include "cli/common/layout.hpp"
#include "cli/common/options.hpp"
#include "lang/check/checker.hpp"
#include "lang/compile/compiler.hpp"
#include "lang/compile/pipeline.hpp"
#include "lang/core/file_read.hpp"
#include "lang/syntax/ast_build.hpp"
#include "lang/syntax/parser.hpp"
#include "runtime/documents/document_schema.hpp"
#include "runtime/documents/inputs.hpp"
#include "runtime/documents/yaml_loader.hpp"
#include "runtime/eval/evaluator.hpp"
#include "runtime/eval/params.hpp"

namespace capguard::cli {

namespace {

constexpr const char* kUsage = "capguard eval [OPTIONS] EXPR";
constexpr const char* kResult = "__result";

// A module holding one policy whose body is `let __result = EXPR; deny when false`, importing
// every package of `others` under its last name component, so the checker and compiler treat
// the expression exactly as they would inside a policy.
ast::Module wrap_expression(FileId file, ast::ExprPtr expr, ast::NodeId next_id,
                            const std::vector<ast::Module>& others) {
  ast::Module m;
  m.file = file;
  m.next_id = next_id;
  Span span = expr->span;
  std::set<std::vector<std::string>> packages;
  for (const ast::Module& o : others) {
    if (!o.package.empty()) packages.insert(o.package);
  }
  std::set<std::string> aliases;
  for (const std::vector<std::string>& p : packages) {
    if (!aliases.insert(p.back()).second) continue;  // two packages, one alias: the first wins
    ast::Import imp;
    imp.path = p;
    imp.alias = p.back();
    imp.span = span;
    m.imports.push_back(std::move(imp));
  }
  m.policies.push_back(ast::expression_policy(m, "<eval>", "eval", kResult, std::move(expr)));
  return m;
}

// The document for --input: {"input": raw, "services": [...]}.
bool load_document(const std::string& path, Value& document, Diagnostics& diags) {
  if (path.empty()) {
    document = Value::map({{"input", Value()}, {"services", Value::list({})}});
    return true;
  }
  std::optional<FileId> file;
  std::string stdin_text;
  if (path == "-") {
    std::string error;
    if (!read_bounded(path, stdin_text, error)) {
      diags.file_error("-", error);
      return false;
    }
    file = add_source("-", stdin_text);
  } else {
    file = read_file(path, diags);
  }
  if (!file) return false;
  YamlDocument raw = parse_yaml_document(*file, diags);
  if (!raw.ok) return false;
  Value services = Value::list({});
  if (detect_format(raw.root) != InputFormat::Auto) {
    LoadedInput loaded = path == "-" ? load_input_text("-", stdin_text, InputFormat::Auto, diags)
                                     : load_input(path, InputOptions{}, diags);
    if (!loaded.ok) return false;
    if (const Value* s = loaded.document.get("services")) services = *s;
  }
  document = Value::map({{"input", raw.root}, {"services", services}});
  return true;
}

int run_eval(const std::vector<std::string>& args) {
  std::string input_path;
  std::vector<std::string> policy_paths;
  ParamOverrides overrides;
  ArgParser parser("capguard eval");
  parser.argument("EXPR", "an expression of the policy language; its value is printed as JSON");
  parser.option("input", 'i', "FILE", "the document bound to `input` (JSON or YAML; - for stdin)",
                [&](const std::string& v) {
                  input_path = v;
                  return std::string();
                });
  parser.option("policy", 'p', "PATH", "a policy file or folder whose params and functions to use",
                [&](const std::string& v) {
                  policy_paths.push_back(v);
                  return std::string();
                });
  parser.option("param", 0, "NAME=VALUE", "set a param of the --policy files",
                [&](const std::string& v) {
                  std::string name, value, error;
                  if (!split_param_flag(v, name, value, error)) return error;
                  overrides.texts.emplace_back(name, value);
                  return std::string();
                });
  Diagnostics usage;
  std::vector<std::string> positional;
  if (parse_or_print_help(parser, args, usage, positional)) return kExitOk;
  if (positional.size() != 1) {
    usage.file_error("capguard eval", "expected exactly one expression");
  }
  if (usage.has_errors()) return usage_error(usage, parser);

  Diagnostics diags;
  std::vector<FileId> files = load_policy_sources(policy_paths, diags);
  std::vector<ast::Module> modules;
  for (FileId f : files) modules.push_back(parse_module(f, diags));
  FileId expr_file = add_source("<expr>", positional[0]);
  ast::NodeId next_id = 1;
  ast::ExprPtr expr = parse_expression(expr_file, diags, next_id);
  if (diags.has_errors() || !expr) {
    std::cerr << render(diags);
    return kExitError;
  }
  modules.push_back(wrap_expression(expr_file, std::move(expr), next_id, modules));

  Schema schema = document_schema();
  schema.roots["input"] = any_type();
  CheckResult checked = check(modules, schema, diags);
  std::optional<ir::Program> program;
  if (!diags.has_errors())
    program = compile(modules, checked, schema, diags, runtime_compile_options());
  std::optional<std::vector<Value>> params;
  if (program) params = resolve_params(*program, overrides, diags);
  Value document;
  bool loaded = program && params && load_document(input_path, document, diags);
  if (!loaded || diags.has_errors()) {
    std::cerr << render(diags);
    return kExitError;
  }

  const ir::Policy& policy = program->policies.back();
  Value result;
  ExpressionError error;
  if (!evaluate_expression(*program, policy.steps.front().expr, policy.frame_size, document,
                           *params, result, error)) {
    Diagnostics runtime;
    runtime.error(error.span, error.message);
    std::cerr << render(runtime);
    return kExitError;
  }
  // The whole value, however large (unlike messages, which are cut): this is what was asked for.
  // It is JSON, so invalid UTF-8 in strings becomes U+FFFD.
  std::cout << valid_utf8(to_json_text(result)) << "\n";
  return kExitOk;
}

const Command kEval("eval", kUsage, "evaluate one expression, for policy authors", run_eval);

}  // namespace

}  // namespace capguard::cli
