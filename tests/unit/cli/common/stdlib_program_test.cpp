// The standard library compiled at build time (stdlib-policies/program/) and the IR's bytes
// (lang/compile/ir_serialize.hpp): what loads is what the compiler produces.
#include <re2/re2.h>

#include <catch2/catch.hpp>

#include "lang/compile/ir_dump.hpp"
#include "lang/compile/ir_serialize.hpp"
#include "lang/compile/pipeline.hpp"
#include "runtime/documents/document_schema.hpp"
#include "runtime/eval/evaluator.hpp"
#include "stdlib-policies/program/stdlib_program.hpp"

using namespace capguard;

namespace {

struct Compiled {
  std::vector<FileId> ids;
  ir::Program program;
};

Compiled compile_stdlib() {
  Compiled c;
  for (const stdlib::EmbeddedFile& f : stdlib::policy_files()) {
    c.ids.push_back(add_source(std::string(f.path), std::string(f.text)));
  }
  Diagnostics diags;
  std::optional<ir::Program> p =
      compile_policies(c.ids, document_schema(), diags, runtime_compile_options());
  INFO(render(diags));
  REQUIRE(p);
  REQUIRE(diags.all().empty());
  c.program = std::move(*p);
  return c;
}

size_t regexes(const ir::Expr& e) {
  size_t n = e.regex ? 1 : 0;
  for (const ir::Expr& a : e.args) n += regexes(a);
  return n;
}

size_t regexes(const ir::Program& p) {
  size_t n = 0;
  for (const ir::Policy& policy : p.policies) {
    for (const ir::Step& s : policy.steps) n += regexes(s.expr);
  }
  return n;
}

}  // namespace

TEST_CASE("ir bytes: the standard library loads back to the same IR, regexes and keys included") {
  Compiled c = compile_stdlib();
  std::string bytes = serialize_program(c.program, c.ids);
  std::string error;
  std::optional<ir::Program> back =
      deserialize_program(bytes, c.ids, document_schema(), runtime_compile_options(), error);
  INFO(error);
  REQUIRE(back);
  CHECK(ir::dump_program(*back) == ir::dump_program(c.program));
  CHECK(regexes(*back) == regexes(c.program));
  REQUIRE(back->policies.size() == c.program.policies.size());
  for (size_t i = 0; i < back->policies.size(); ++i) {
    CHECK(back->policies[i].meta.id == c.program.policies[i].meta.id);
    CHECK(back->policies[i].meta.span.file == c.program.policies[i].meta.span.file);
    CHECK(back->policies[i].meta.span.line == c.program.policies[i].meta.span.line);
  }
  CHECK(back->element_paths == c.program.element_paths);
  CHECK(back->params.size() == c.program.params.size());
  // The standard library reads only `raw.build` (compose's build): inspect containers keep none
  // of their raw in `check` (spec/document-model.md).
  CHECK_FALSE(c.program.raw_whole);
  CHECK(c.program.raw_keys == std::vector<std::string>{"build"});
  CHECK(back->raw_whole == c.program.raw_whole);
  CHECK(back->raw_keys == c.program.raw_keys);
}

TEST_CASE("ir bytes: deferred steps load, one policy at a time or all, to the same IR") {
  Compiled c = compile_stdlib();
  std::string bytes = serialize_program(c.program, c.ids);
  std::string error;
  std::optional<ir::Program> lazy = deserialize_program(
      bytes, c.ids, document_schema(), runtime_compile_options(), error, /*defer_steps=*/true);
  INFO(error);
  REQUIRE(lazy);
  REQUIRE(lazy->load_steps);
  REQUIRE(lazy->policies.size() == c.program.policies.size());
  for (size_t i = 0; i < lazy->policies.size(); ++i) {
    const ir::Policy& p = lazy->policies[i];
    CHECK(p.steps_deferred);
    CHECK(p.steps.empty());
    CHECK(p.meta.id == c.program.policies[i].meta.id);
    CHECK(p.frame_size == c.program.policies[i].frame_size);
    // Loaded twice: each call gives the policy's steps afresh.
    for (int round = 0; round < 2; ++round) {
      std::vector<ir::Step> scratch;
      const std::vector<ir::Step>& steps = ir::steps_of(*lazy, i, scratch);
      REQUIRE(steps.size() == c.program.policies[i].steps.size());
      ir::Program one;
      one.policies.push_back(c.program.policies[i]);
      std::string expected = ir::dump_program(one);
      one.policies[0].steps = steps;
      CHECK(ir::dump_program(one) == expected);
    }
  }
  lazy->load_all_steps();
  CHECK(ir::dump_program(*lazy) == ir::dump_program(c.program));
  CHECK(regexes(*lazy) == regexes(c.program));
  for (const ir::Policy& p : lazy->policies) CHECK_FALSE(p.steps_deferred);
  // A program that was not deferred has its steps: steps_of gives them without loading.
  std::vector<ir::Step> unused;
  CHECK(&ir::steps_of(c.program, 0, unused) == &c.program.policies[0].steps);
}

TEST_CASE("ir bytes: constant regexes are compiled again on loading, field keys interned") {
  FileId file = add_source("regex.policy", R"P(package t

policy "T-1" {
  title "nginx images"
  severity low
  for s in services
  deny when matches(s.name, "^nginx(:|$)") and s.privileged
}
)P");
  Diagnostics diags;
  std::optional<ir::Program> p =
      compile_policies({file}, document_schema(), diags, runtime_compile_options());
  INFO(render(diags));
  REQUIRE(p);
  REQUIRE(regexes(*p) == 1);
  std::string error;
  std::optional<ir::Program> back = deserialize_program(
      serialize_program(*p, {file}), {file}, document_schema(), runtime_compile_options(), error);
  REQUIRE(back);
  CHECK(regexes(*back) == 1);
  CHECK(ir::dump_program(*back) == ir::dump_program(*p));
  // The rule's condition: and(call matches(field image, const), field privileged).
  const ir::Expr& cond = back->policies[0].steps.back().expr;
  REQUIRE(cond.args.size() == 2);
  const ir::Expr& call = cond.args[0];
  REQUIRE(call.op == ir::Op::Call);
  REQUIRE(call.regex);
  CHECK(call.regex->pattern() == "^nginx(:|$)");
  const ir::Expr& field = cond.args[1];
  REQUIRE(field.op == ir::Op::Field);
  CHECK(field.key == intern_key("privileged"));
}

TEST_CASE("ir bytes: spans are remapped to the files given when loading") {
  Compiled c = compile_stdlib();
  std::string bytes = serialize_program(c.program, c.ids);
  std::vector<FileId> other;
  for (FileId id : c.ids) other.push_back(add_source(source_name(id) + ".copy", "x"));
  std::string error;
  std::optional<ir::Program> back =
      deserialize_program(bytes, other, document_schema(), runtime_compile_options(), error);
  REQUIRE(back);
  for (size_t i = 0; i < back->policies.size(); ++i) {
    FileId was = c.program.policies[i].meta.span.file;
    FileId now = back->policies[i].meta.span.file;
    CHECK(source_name(now) == source_name(was) + ".copy");
  }
}

TEST_CASE("ir bytes: truncated, foreign or mismatched bytes are refused") {
  Compiled c = compile_stdlib();
  std::string bytes = serialize_program(c.program, c.ids);
  std::string error;
  const Schema& schema = document_schema();
  CompileOptions options = runtime_compile_options();
  CHECK_FALSE(
      deserialize_program(bytes.substr(0, bytes.size() / 2), c.ids, schema, options, error));
  CHECK(error == "truncated or inconsistent compiled program");
  CHECK_FALSE(deserialize_program("not a program", c.ids, schema, options, error));
  CHECK_FALSE(deserialize_program(bytes + "x", c.ids, schema, options, error));
  CHECK(error == "trailing bytes after the program");
  std::vector<FileId> fewer(c.ids.begin(), c.ids.end() - 1);
  CHECK_FALSE(deserialize_program(bytes, fewer, schema, options, error));
  std::vector<FileId> none;
  CHECK_THROWS_AS(serialize_program(c.program, none), std::invalid_argument);
}

TEST_CASE("precompiled_stdlib: the built-in bytes are the standard library as compiled now") {
  Compiled c = compile_stdlib();
  Diagnostics diags;
  std::optional<ir::Program> built = stdlib::precompiled_stdlib(diags);
  INFO(render(diags));
  REQUIRE(built);
  CHECK(diags.all().empty());
  CHECK(ir::dump_program(*built) == ir::dump_program(c.program));
  REQUIRE(built->policies.size() == c.program.policies.size());
  for (size_t i = 0; i < built->policies.size(); ++i) {
    const PolicyMetadata& a = built->policies[i].meta;
    const PolicyMetadata& b = c.program.policies[i].meta;
    CHECK(a.id == b.id);
    CHECK(a.title == b.title);
    CHECK(a.remediation == b.remediation);
    CHECK(source_name(a.span.file) == source_name(b.span.file));
    CHECK(a.span.line == b.span.line);
    CHECK(a.span.column == b.span.column);
  }
}

TEST_CASE("precompiled_stdlib without policy texts: no descriptions, rationales, references") {
  Diagnostics diags;
  std::optional<ir::Program> full = stdlib::precompiled_stdlib(diags, true, true);
  std::optional<ir::Program> lean = stdlib::precompiled_stdlib(diags, true, false);
  INFO(render(diags));
  REQUIRE(full);
  REQUIRE(lean);
  REQUIRE(full->policies.size() == lean->policies.size());
  size_t described = 0;
  for (size_t i = 0; i < full->policies.size(); ++i) {
    const PolicyMetadata& a = full->policies[i].meta;
    const PolicyMetadata& b = lean->policies[i].meta;
    if (!a.description.empty()) ++described;
    CHECK(b.description.empty());
    CHECK(b.rationale.empty());
    CHECK(b.references.empty());
    // What a check reads and the text report prints stays.
    CHECK(a.id == b.id);
    CHECK(a.title == b.title);
    CHECK(a.severity == b.severity);
    CHECK(a.remediation == b.remediation);
    CHECK(a.tags == b.tags);
    CHECK(a.span.line == b.span.line);
  }
  CHECK(described == full->policies.size());
  // The steps read the same.
  for (size_t i = 0; i < full->policies.size(); ++i) {
    std::vector<ir::Step> a, b;
    CHECK(ir::steps_of(*full, i, a).size() == ir::steps_of(*lean, i, b).size());
  }
}

namespace {

int schema_asked = 0;
const Schema& counted_schema() {
  ++schema_asked;
  return document_schema();
}

}  // namespace

TEST_CASE("ir bytes: the schema is asked for only when a param's type names an object") {
  // The standard library's params are of scalar and list types: loading it (a check) does not
  // build the document schema.
  Compiled c = compile_stdlib();
  std::string bytes = serialize_program(c.program, c.ids);
  std::string error;
  schema_asked = 0;
  std::optional<ir::Program> back = deserialize_program(
      bytes, c.ids, &counted_schema, runtime_compile_options(), error, /*defer_steps=*/true);
  INFO(error);
  REQUIRE(back);
  for (size_t i = 0; i < back->policies.size(); ++i) {
    std::vector<ir::Step> scratch;
    ir::steps_of(*back, i, scratch);
  }
  CHECK(schema_asked == 0);
  std::optional<ir::Program> whole =
      deserialize_program(bytes, c.ids, &counted_schema, runtime_compile_options(), error);
  REQUIRE(whole);
  CHECK(ir::dump_program(*whole) == ir::dump_program(c.program));
  CHECK(schema_asked == 0);
}
