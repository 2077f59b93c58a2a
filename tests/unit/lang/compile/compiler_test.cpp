// The compiler on policy text: parse -> check -> compile (lang/compile/pipeline.hpp), then the IR's
// shape (through its dump) and its behaviour (through the evaluator).

#include <thread>

#include <catch2/catch.hpp>

#include "lang/compile/ir_dump.hpp"
#include "lang/compile/pipeline.hpp"
#include "runtime/documents/document_schema.hpp"
#include "runtime/eval/evaluator.hpp"

using namespace capguard;

namespace {

struct Compiled {
  std::optional<ir::Program> program;
  std::string diagnostics;
  std::string dump;
};

Compiled compile_text(const std::string& text, bool fold = true,
                      const std::string& name = "test.policy") {
  Diagnostics diags;
  FileId file = add_source(name, text);
  CompileOptions options = runtime_compile_options();
  options.fold_constants = fold;
  Compiled c;
  c.program = compile_policies({file}, document_schema(), diags, options);
  c.diagnostics = render(diags);
  if (c.program) c.dump = ir::dump_program(*c.program);
  return c;
}

const char* kHeader = R"(
policy "T-1" {
  title "t"
  severity low
)";

// A policy whose only rule is `deny when COND` inside `for s in services`, after `extra` lines.
std::string policy_with(const std::string& cond, const std::string& extra = "") {
  return std::string(kHeader) + "  for s in services\n" + extra + "  deny when " + cond + "\n}\n";
}

Value svc(const std::string& name, Entries more = {}) {
  Entries e = {{"name", Value::string(name)}};
  for (Entry& m : more) e.push_back(std::move(m));
  return Value::map(std::move(e));
}

Value doc(List services) {
  return Value::map({{"services", Value::list(std::move(services))}});
}

}  // namespace

TEST_CASE("names become slots, params, roots and constants; fields carry schema slots") {
  Compiled c = compile_text(R"(
param allowed: caps = [CHOWN]
policy "T-1" {
  title "t"
  severity low
  for s in services
  let extra = s.caps.effective - allowed
  deny when NET_ADMIN in extra
}
)");
  INFO(c.diagnostics);
  REQUIRE(c.program);
  CHECK(c.dump.find("for %0 s in (root #0 services)") != std::string::npos);
  int caps_slot = service_type()->slot_of("caps");
  CHECK(c.dump.find("(field caps @" + std::to_string(caps_slot) + " (local %0 s))") !=
        std::string::npos);
  CHECK(c.dump.find("(param #0 allowed)") != std::string::npos);
  CHECK(c.dump.find("(in caps[NET_ADMIN] (local %1 extra))") != std::string::npos);
  REQUIRE(c.program->policies.size() == 1);
  CHECK(c.program->policies[0].frame_size == 2);
  CHECK(c.program->policies[0].service_slot == 0);
  CHECK(c.program->params[0].default_value == Value::caps(caps::bit(*caps::parse("CHOWN"))));
}

TEST_CASE("constants are folded; failing constants are kept for run time") {
  Compiled c = compile_text(policy_with("s.privileged and 1 + 2 * 3 == 7 and size(\"1G\") > 512M"));
  INFO(c.diagnostics);
  REQUIRE(c.program);
  CHECK(c.dump.find("(and (and (field privileged") != std::string::npos);
  CHECK(c.dump.find("true) true)") != std::string::npos);  // both constant comparisons folded
  CHECK(c.dump.find("add") == std::string::npos);

  Compiled lists =
      compile_text(policy_with("s.name in [\"a\", \"b\"] or [CHOWN, KILL] == s.caps.added"));
  REQUIRE(lists.program);
  CHECK(lists.dump.find("[\"a\", \"b\"]") != std::string::npos);
  CHECK(lists.dump.find("caps[CHOWN, KILL]") != std::string::npos);

  Compiled boom = compile_text(policy_with("s.privileged and 1 / 0 == 1"));
  REQUIRE(boom.program);
  CHECK(boom.dump.find("(div 1 0)") != std::string::npos);
  EvalResult r = evaluate(*boom.program, doc({svc("web", {{"privileged", Value::boolean(true)}})}),
                          boom.program->default_params(), "in");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message == "division by zero");
  CHECK(r.errors[0].policy_span.line == 6);

  Compiled unfolded = compile_text(policy_with("1 + 2 == 3"), false);
  REQUIRE(unfolded.program);
  CHECK(unfolded.dump.find("(add 1 2)") != std::string::npos);
}

TEST_CASE("user functions are inlined with their parameters in slots") {
  Compiled c = compile_text(R"(
fn double(x) = x * 2
fn root_ish(s) = s.user.is_root != false
policy "T-1" {
  title "t"
  severity low
  for s in services
  deny when root_ish(s) and double(len(s.name)) > 6
}
)");
  INFO(c.diagnostics);
  REQUIRE(c.program);
  CHECK(c.dump.find("(let %1 x (call len") != std::string::npos);
  CHECK(c.dump.find("(mul (local %1 x) 2)") != std::string::npos);
  // `root_ish(s)` aliases the caller's slot: no copy.
  CHECK(c.dump.find("(field user @" + std::to_string(service_type()->slot_of("user")) +
                    " (local %0 s))") != std::string::npos);
  Value user_root = Value::map({{"is_root", Value::boolean(true)}});
  Value user_not = Value::map({{"is_root", Value::boolean(false)}});
  EvalResult r =
      evaluate(*c.program,
               doc({svc("frontend", {{"user", user_root}}), svc("db", {{"user", user_root}}),
                    svc("backend", {{"user", user_not}})}),
               {}, "in");
  REQUIRE(r.errors.empty());
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].service == "frontend");
}

TEST_CASE("constant regexes are compiled once; a bad constant pattern is a compile error") {
  Compiled c = compile_text(policy_with("matches(s.name, \"^web-[0-9]+$\")"));
  INFO(c.diagnostics);
  REQUIRE(c.program);
  CHECK(c.dump.find("(call matches /compiled/") != std::string::npos);
  EvalResult r = evaluate(*c.program, doc({svc("web-1"), svc("web-x")}), {}, "in");
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].service == "web-1");

  Compiled bad = compile_text(policy_with("matches(s.name, \"web-(\")"));
  CHECK_FALSE(bad.program);
  CHECK(bad.diagnostics.find("test.policy:6:29: error: invalid regular expression") == 0);
}

TEST_CASE("findings: message templates, `at`, and the default `at`") {
  Compiled c = compile_text(std::string(kHeader) + R"P(  for s in services
  let n = count(m in s.mounts where m.read_only == false)
  deny when n > 1 at s.name message "{s.name} has {n} writable mounts ({{ok}})"
  warn when n == 1
}
)P");
  INFO(c.diagnostics);
  REQUIRE(c.program);
  Value rw = Value::map({{"read_only", Value::boolean(false)}});
  Value web = Value::map(
      {{"name", Value::string("web", Span{9, 3, 3, 3})}, {"mounts", Value::list({rw, rw})}},
      Span{9, 2, 3, 0});
  Value db =
      Value::map({{"name", Value::string("db")}, {"mounts", Value::list({rw})}}, Span{9, 8, 3, 0});
  EvalResult r = evaluate(*c.program, doc({web, db}), {}, "compose.yaml");
  REQUIRE(r.findings.size() == 2);
  CHECK(r.findings[0].message == "web has 2 writable mounts ({ok})");
  CHECK(r.findings[0].span.line == 3);  // at s.name
  CHECK(r.findings[1].kind == RuleKind::Warn);
  CHECK(r.findings[1].message == "t");  // the title
  CHECK(r.findings[1].span.line == 8);  // the service value
}

TEST_CASE("tests are lowered to plain data with typed param values") {
  Compiled c = compile_text(R"(package acme
param allowed: caps = [CHOWN]
param limit: size = 1G
policy "T-1" {
  title "t"
  severity low
  for s in services
  deny when s.privileged
}
test "privileged" {
  param allowed = [KILL, CAP_NET_RAW]
  param limit = 256M
  input compose """
    services:
      web: {image: nginx, privileged: true}
    """
  input inspect file "data/inspect.json"
  expect deny "T-1" on web count 1 message "t" line 2
  expect no deny "T-1" on "db"
}
)",
                            true, "/tmp/lib/t.policy");
  INFO(c.diagnostics);
  REQUIRE(c.program);
  REQUIRE(c.program->tests.size() == 1);
  const ir::TestCase& t = c.program->tests[0];
  CHECK(t.name == "privileged");
  CHECK(t.package == "acme");
  REQUIRE(t.params.size() == 2);
  CHECK(t.params[0].name == "acme.allowed");
  CHECK(t.params[0].value ==
        Value::caps(caps::bit(*caps::parse("KILL")) | caps::bit(*caps::parse("NET_RAW"))));
  CHECK(t.params[1].index == 1);
  CHECK(t.params[1].value == Value::size(256 << 20));
  REQUIRE(t.inputs.size() == 2);
  CHECK(t.inputs[0].kind == ir::InputKind::Compose);
  CHECK(t.inputs[0].text.find("privileged: true") != std::string::npos);
  CHECK(t.inputs[1].is_file);
  CHECK(t.inputs[1].path == "/tmp/lib/data/inspect.json");
  REQUIRE(t.expectations.size() == 2);
  CHECK(*t.expectations[0].service == "web");
  CHECK(*t.expectations[0].count == 1);
  CHECK(*t.expectations[0].line == 2);
  CHECK(t.expectations[1].negated);
}

TEST_CASE("check errors stop the pipeline with diagnostics") {
  Compiled c = compile_text(policy_with("s.privilegd"));
  CHECK_FALSE(c.program);
  CHECK(c.diagnostics.find("did you mean `privileged`?") != std::string::npos);
}

TEST_CASE("constant folding never changes a result") {
  // Many constructs, with constants mixed into data-dependent expressions.
  std::string body = R"P(  for s in services
  let k = 2 * 3 - 1
  let names = [x + "!" for x in ["a", "b"] where x != "c"]
  let dangerous = s.caps.added & [SYS_ADMIN, NET_ADMIN, CAP_SYS_PTRACE]
  deny when not empty(dangerous) message "{s.name}: {dangerous} ({k})"
  deny when len(s.name) > k - 1 and lower("WEB") in [lower(s.name), "x"]
  warn when any(n in names where n == s.name + "!") or 10 / k > 1
  deny when (if 1 < 2 then s.privileged else false) message "{names}"
  deny when count(e in s.environment where starts_with(e.key, upper("db_"))) >= 1 + 0
  warn when s.resources.memory_bytes == null or s.resources.memory_bytes > 256M + 256M
  deny when s.user?.uid == 0 / 1
}
)P";
  Compiled folded = compile_text(std::string(kHeader) + body, true, "fold.policy");
  Compiled plain = compile_text(std::string(kHeader) + body, false, "fold.policy");
  INFO(folded.diagnostics);
  REQUIRE(folded.program);
  REQUIRE(plain.program);
  CHECK(folded.dump != plain.dump);

  auto caps_of = [](std::initializer_list<const char*> names) {
    caps::Mask m = 0;
    for (const char* n : names) m |= caps::bit(*caps::parse(n));
    return Value::caps(m);
  };
  auto service = [&](const char* name, bool priv, Value added, Value memory, Value env,
                     Value user) {
    return svc(name, {{"privileged", Value::boolean(priv)},
                      {"caps", Value::map({{"added", added}})},
                      {"environment", env},
                      {"resources", Value::map({{"memory_bytes", memory}})},
                      {"user", user}});
  };
  Value env = Value::map({{"DB_HOST", Value::string("x")}, {"PATH", Value::string("/bin")}});
  Value no_env = Value::map({});
  Value root = Value::map({{"uid", Value::integer(0)}});
  std::vector<Value> documents = {
      doc({service("web", true, caps_of({"SYS_ADMIN"}), Value(), env, root)}),
      doc({service("a", false, caps_of({}), Value::size(1 << 30), no_env, Value()),
           service("b", false, caps_of({"NET_ADMIN", "CHOWN"}), Value::size(1 << 20), env, root)}),
      doc({service("database", false, Value(), Value::string("oops"), Value::integer(3), root)}),
      doc({}),
  };
  size_t findings = 0, errors = 0;
  for (const Value& d : documents) {
    EvalResult a = evaluate(*folded.program, d, {}, "in");
    EvalResult b = evaluate(*plain.program, d, {}, "in");
    REQUIRE(a.findings.size() == b.findings.size());
    for (size_t i = 0; i < a.findings.size(); ++i) {
      CHECK(a.findings[i].message == b.findings[i].message);
      CHECK(a.findings[i].service == b.findings[i].service);
      CHECK(a.findings[i].kind == b.findings[i].kind);
      CHECK(a.findings[i].span.line == b.findings[i].span.line);
    }
    REQUIRE(a.errors.size() == b.errors.size());
    for (size_t i = 0; i < a.errors.size(); ++i) {
      CHECK(a.errors[i].message == b.errors[i].message);
      CHECK(a.errors[i].policy_span.line == b.errors[i].policy_span.line);
    }
    findings += a.findings.size();
    errors += a.errors.size();
  }
  // The inputs exercise both outcomes.
  CHECK(findings >= 5);
  CHECK(errors >= 1);
}

TEST_CASE("params are read at run time: overriding one changes the findings") {
  Compiled c = compile_text(R"(
param allowed: caps = [CHOWN]
policy "T-1" {
  title "t"
  severity low
  for s in services
  deny when not empty(s.caps.added - allowed) message "{s.caps.added - allowed}"
}
)");
  INFO(c.diagnostics);
  REQUIRE(c.program);
  Value added = Value::caps(caps::bit(*caps::parse("CHOWN")) | caps::bit(*caps::parse("KILL")));
  Value d = doc({svc("web", {{"caps", Value::map({{"added", added}})}})});
  EvalResult defaults = evaluate(*c.program, d, c.program->default_params(), "in");
  REQUIRE(defaults.findings.size() == 1);
  CHECK(defaults.findings[0].message == "KILL");
  std::vector<Value> wide = {added};
  CHECK(evaluate(*c.program, d, wide, "in").findings.empty());
}

TEST_CASE("one compiled program with a compiled regex runs on several threads") {
  Compiled c = compile_text(policy_with("matches(s.name, \"^api-[0-9]+$\") and len(s.name) > 4"));
  REQUIRE(c.program);
  std::vector<std::thread> threads;
  std::vector<size_t> found(4);
  for (size_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      List services;
      for (size_t i = 0; i < 10; ++i) {
        services.push_back(svc((i % 2 ? "api-" : "web-") + std::to_string(i + t)));
      }
      Value d = doc(services);
      for (int k = 0; k < 200; ++k) found[t] += evaluate(*c.program, d, {}, "in").findings.size();
    });
  }
  for (std::thread& th : threads) th.join();
  for (size_t t = 0; t < 4; ++t) CHECK(found[t] == 200 * 5);
}

TEST_CASE("findings keep their text when an evaluation writes more than one block of it") {
  // 300 services with long names: the messages, service names and input fill several of the
  // result's text blocks; every finding must still read its own text.
  Compiled c = compile_text(std::string(kHeader) + R"P(  for s in services
  deny when true message "{s.name} fired, {s.name} again"
}
)P");
  INFO(c.diagnostics);
  REQUIRE(c.program);
  List services;
  for (int i = 0; i < 300; ++i) services.push_back(svc(std::string(30, 'n') + std::to_string(i)));
  const std::string input = std::string(100, 'i') + ".yaml";
  EvalResult r = evaluate(*c.program, doc(std::move(services)), {}, input);
  REQUIRE(r.findings.size() == 300);
  EvalResult moved = std::move(r);  // views survive a move of the result
  for (size_t i = 0; i < moved.findings.size(); ++i) {
    std::string name = std::string(30, 'n') + std::to_string(i);
    CHECK(moved.findings[i].service == name);
    CHECK(moved.findings[i].message == name + " fired, " + name + " again");
    CHECK(moved.findings[i].input == input);
    CHECK(moved.findings[i].policy == "T-1");
  }
}

TEST_CASE("raw keys: what the policies can observe of a service's raw") {
  struct Case {
    std::string body;  // the lines after `for s in services`
    bool whole;
    std::vector<std::string> keys;
  };
  const std::vector<Case> cases = {
      // Read by constant keys: only those keys.
      {"  deny when s.raw.Config.Tty == true\n", false, {"Config"}},
      {"  deny when s.raw[\"State\"]?.Running == true and s.raw.build != null\n",
       false,
       {"State", "build"}},
      {"  deny when s.raw.Path != null message \"{s.raw.Args}\"\n", false, {"Args", "Path"}},
      {"  deny when s.raw.Path != null at s.raw\n", false, {"Path"}},
      // Another field named raw (the user's) is not the service's.
      {"  deny when s.user.raw == \"0\"\n", false, {}},
      // Through a let-bound service, a comprehension over services, a branch.
      {"  let t = s\n  deny when t.raw.Id != null\n", false, {"Id"}},
      {"  deny when any(t in [x for x in services where x.name != \"\"] where t.raw.Name == "
       "null)\n",
       false,
       {"Name"}},
      {"  deny when (if s.privileged then s else s).raw.Image != null\n", false, {"Image"}},
      // Used whole: bound, iterated, passed to a built-in, interpolated, indexed by a computed
      // key, compared.
      {"  let r = s.raw\n  deny when r.Path != null\n", true, {}},
      {"  deny when count(e in s.raw where e.key == \"Id\") > 0\n", true, {}},
      {"  deny when len(s.raw) > 0\n", true, {}},
      {"  deny when true message \"{s.raw}\"\n", true, {}},
      {"  let k = s.name\n  deny when s.raw[k] != null\n", true, {}},
      {"  deny when s.raw == s.raw\n", true, {}},
      // A service observed whole can show its raw: compared, in a set, interpolated.
      {"  deny when count(t in services where t == s) > 1\n", true, {}},
      {"  deny when len({t for t in services}) > 1\n", true, {}},
      {"  deny when true message \"{s}\"\n", true, {}},
  };
  for (const Case& k : cases) {
    INFO(k.body);
    Compiled c = compile_text(std::string(kHeader) + "  for s in services\n" + k.body + "}\n");
    INFO(c.diagnostics);
    REQUIRE(c.program);
    CHECK(c.program->raw_whole == k.whole);
    CHECK(c.program->raw_keys == k.keys);
  }
}

TEST_CASE("raw keys: through functions, and from every policy of a program") {
  Compiled c = compile_text(R"P(
fn built(x) = x.raw.build != null
fn host(x) = x.raw["HostConfig"]

policy "T-1" {
  title "t"
  severity low
  for s in services
  deny when built(s) or host(s).Privileged == true
}

policy "T-2" {
  title "t"
  severity low
  for c in services
  let ms = [m for m in c.mounts where m.source != null]
  deny when count(m in ms where m.type == "bind") > 0 and c.raw.Mounts != null
}
)P");
  INFO(c.diagnostics);
  REQUIRE(c.program);
  CHECK_FALSE(c.program->raw_whole);
  CHECK(c.program->raw_keys == std::vector<std::string>{"HostConfig", "Mounts", "build"});

  // A function that compares two services sees all of them.
  Compiled same = compile_text(R"P(
fn same(a, b) = a == b

policy "T-1" {
  title "t"
  severity low
  for s in services
  deny when any(t in services where same(s, t) and t.name != s.name)
}
)P");
  INFO(same.diagnostics);
  REQUIRE(same.program);
  CHECK(same.program->raw_whole);

  // A service typed `any` (a branch between it and a raw value) iterated: its entries hold raw.
  Compiled entries = compile_text(R"P(
fn vals(x) = [e.value for e in x where e.key == "raw"]
fn pick(a, b) = if a != null then a else b

policy "T-1" {
  title "t"
  severity low
  for s in services
  deny when count(v in vals(pick(s.raw.Nope, s)) where v.Path != null) > 0
}
)P");
  INFO(entries.diagnostics);
  REQUIRE(entries.program);
  CHECK(entries.program->raw_whole);

  // Iterating a list of services, or a list of lists of them, is not iterating a service.
  Compiled lists = compile_text(R"P(
policy "T-1" {
  title "t"
  severity low
  for s in services
  deny when any(l in [services, [s]] where any(t in l where t.raw.Id == s.raw.Id and t.name != s.name))
}
)P");
  INFO(lists.diagnostics);
  REQUIRE(lists.program);
  CHECK_FALSE(lists.program->raw_whole);
  CHECK(lists.program->raw_keys == std::vector<std::string>{"Id"});
}

TEST_CASE("IR argument lists come from an open arena and go back with it", "[ir][arena]") {
  ir::ExprArena arena;
  ir::ExprList outside;  // made on the heap, before any scope
  outside.resize(3);
  {
    ir::ExprArena::Scope scope(arena);
    CHECK(ir::ExprArena::current() == &arena);
    ir::ExprList inside;
    inside.resize(5);
    CHECK(arena.owns(inside.data()));
    CHECK_FALSE(arena.owns(outside.data()));
    // Nested lists and growth past one chunk (64 KB): every buffer from the arena.
    ir::Expr root;
    for (int i = 0; i < 2000; ++i) {
      root.args.emplace_back();
      root.args.back().args.resize(2);
    }
    CHECK(arena.owns(root.args.data()));
    CHECK(arena.owns(root.args.back().args.data()));
    // A list made outside the scope and freed inside goes back to the heap (AddressSanitizer
    // would see a bad free otherwise).
    outside = ir::ExprList();
    {
      ir::ExprArena other;
      ir::ExprArena::Scope inner(other);
      CHECK(ir::ExprArena::current() == &other);
      ir::ExprList in_other(2);
      CHECK(other.owns(in_other.data()));
      CHECK_FALSE(arena.owns(in_other.data()));
    }
    CHECK(ir::ExprArena::current() == &arena);
  }
  CHECK(ir::ExprArena::current() == nullptr);
  arena.rewind();
  {
    ir::ExprArena::Scope scope(arena);
    ir::ExprList again(4);
    CHECK(arena.owns(again.data()));
  }
  ir::ExprList after(2);  // no scope: the heap
  CHECK_FALSE(arena.owns(after.data()));
}
