#pragma once
// The rule IR: what the compiler (lang/compile/compiler.hpp) produces from checked modules and what
// the evaluator (runtime/eval/evaluator.hpp) runs. It is its own set of types, never the AST, so
// runtime/ depends only on this header, lang/core/value.hpp and lang/core/policy_meta.hpp.
//
// Designed for speed on the hot path:
// - local variables (`for`, `let`, quantifier and comprehension variables, inlined function
//   parameters) live in numbered slots of one frame per policy evaluation: no name lookups;
// - schema fields carry their slot index (read with Value::get_slot, which checks the key);
// - constants are folded; literal lists and sets of constants are precomputed Values;
//   capability sets are masks (Value::caps);
// - regular expressions with a constant pattern are compiled once (RE2); `any(p in LIST where
//   matches(SUBJECT, PATTERN(p)))` matches SUBJECT once against all of LIST's patterns (one
//   RE2::Set, built when LIST is first seen: RegexSetCache);
// - user functions are inlined (their parameters become `Let` slots);
// - every node keeps the Span of the policy text it came from, so runtime errors cite it.
//
// spec/ir.md documents the text form printed by `capguard compile --dump-ir`
// (lang/compile/ir_dump.hpp).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lang/core/policy_meta.hpp"
#include "lang/core/source.hpp"
#include "lang/core/types.hpp"
#include "lang/core/value.hpp"

namespace re2 {
class RE2;
}

namespace capguard::ir {

// The evaluator's cache for an Any node of regex_set_shape(): the RE2::Set of the patterns of the
// last collection seen. Defined by runtime/eval (regex_set.hpp); opaque here.
struct RegexSetCache;

enum class Op : uint8_t {
  Const,  // value
  Local,  // frame[slot]
  Param,  // params[index]
  Root,   // roots[index] of the document (e.g. `services`)
  Field,  // args[0].name: slot `index` of an object type (-1: by key); `optional` for ?.
  Index,  // args[0][args[1]]; `optional` for ?[
  // unary
  Not,
  Neg,
  // binary, args[0] and args[1]; And/Or short-circuit
  And,
  Or,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  In,
  NotIn,
  Union,
  Intersect,
  Add,
  Sub,
  Mul,
  Div,
  Mod,
  If,        // args: condition, then, else
  MakeList,  // args: items
  MakeSet,   // args: items
  MakeCaps,  // args: items (capability names or caps), a caps literal with non-constant items
  Call,      // built-in `builtin` with args; `regex` holds the pattern argument when constant
  Let,       // frame[slot] = args[0]; result: args[1] (an inlined function's parameter)
  // quantifiers: variable in frame[slot]; args: collection, [condition]
  Any,
  All,
  Count,
  // comprehensions: variable in frame[slot]; args: collection, element, [filter]
  ListComp,
  SetComp,
};

// Name of an op as printed in dumps ("const", "local", "field", "and", ...).
const char* op_name(Op op);

// Where the argument lists of IR nodes come from: the heap, or, while an ExprArena::Scope is open
// on this thread, that arena (the evaluator loads a policy's deferred steps into one, runs them,
// drops them and rewinds it: one bump per list instead of a malloc and a free each; issue 15).
// A list made in a scope must be destroyed before the scope closes (freeing it is then a no-op;
// one made outside is freed to the heap, whenever).
class ExprArena {
 public:
  ExprArena() = default;
  ExprArena(const ExprArena&) = delete;
  ExprArena& operator=(const ExprArena&) = delete;
  ~ExprArena();
  void* allocate(size_t bytes);
  bool owns(const void* p) const;
  // Forgets everything allocated, keeping the first chunk. Chunks are small (4 KB) and go back
  // to the heap: they fit the holes the document's loading left, where larger ones would touch
  // new pages (a one-file check: 158 page faults with 4 KB chunks, 169 with 64 KB ones kept).
  void rewind();
  // The arena of this thread's innermost open scope, or nullptr.
  static ExprArena* current() { return current_; }

  class Scope {
   public:
    explicit Scope(ExprArena& arena) : previous_(current_) { current_ = &arena; }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    ~Scope() { current_ = previous_; }

   private:
    ExprArena* previous_;
  };

 private:
  static constexpr size_t kChunkBytes = 4 * 1024;
  struct Chunk {
    char* begin;
    char* end;
  };
  std::vector<Chunk> chunks_;  // next_ is in the last one
  char* next_ = nullptr;
  char* end_ = nullptr;
  static thread_local ExprArena* current_;
};

template <typename T>
struct ExprAllocator {
  using value_type = T;
  ExprAllocator() = default;
  template <typename U>
  ExprAllocator(const ExprAllocator<U>&) {}  // NOLINT: converting, as allocators are
  T* allocate(size_t n) {
    if (ExprArena* a = ExprArena::current()) return static_cast<T*>(a->allocate(n * sizeof(T)));
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, size_t n) {
    ExprArena* a = ExprArena::current();
    if (a != nullptr && a->owns(p)) return;
    std::allocator<T>().deallocate(p, n);
  }
  friend bool operator==(const ExprAllocator&, const ExprAllocator&) { return true; }
  friend bool operator!=(const ExprAllocator&, const ExprAllocator&) { return false; }
};

struct Expr;
using ExprList = std::vector<Expr, ExprAllocator<Expr>>;

// Whether `e` is `any(v in COLLECTION where matches(SUBJECT, PATTERN))` with a pattern that is not
// a constant, PATTERN made of constants, the variable v and `+` only, and SUBJECT made of
// constants, params, roots, other locals and fields only (no branch, no call, no v): then every
// element's condition costs the same steps, and SUBJECT can be matched once against the
// patterns of all elements (runtime/eval/regex_set.hpp).
bool regex_set_shape(const Expr& e);

struct Expr {
  Op op = Op::Const;
  bool optional = false;  // Field, Index: `?.` / `?[`
  uint16_t builtin = 0;   // Call: BuiltinId
  int32_t slot = -1;      // Local, Let, quantifiers, comprehensions: the frame slot
  int32_t index = -1;     // Field: object slot (-1: look up by key); Param, Root: index
  Value value;            // Const
  std::string name;       // Field: the key; Local/Param/Root: the name; Call: built-in name
  const std::string* key = nullptr;       // Field with a slot: `name` as intern_key() holds it
  std::shared_ptr<const re2::RE2> regex;  // Call: precompiled constant pattern
  // Any of regex_set_shape(): the evaluator's pattern set (CompileOptions::make_regex_set_cache;
  // not serialized, made again on loading).
  std::shared_ptr<RegexSetCache> regex_set;
  ExprList args;
  Span span;

  bool is_const() const { return op == Op::Const; }
};

// A message template: text and interpolated expressions, rendered with to_display.
struct TemplatePart {
  std::string text;  // used when expr is absent
  std::optional<Expr> expr;
};
struct Template {
  std::vector<TemplatePart> parts;
  Span span;
};

enum class StepKind : uint8_t { For, Let, Rule };

// One clause of a policy body. `for` iterates the rest of the steps once per element.
struct Step {
  StepKind kind = StepKind::Let;
  int32_t slot = -1;  // For: the variable; Let: the name
  std::string name;   // For, Let: the variable's name (for dumps)
  Expr expr;          // For: collection; Let: value; Rule: condition
  // Rule only:
  RuleKind rule_kind = RuleKind::Deny;
  std::optional<Expr> at;           // absent: the value in default_at_slot
  int32_t default_at_slot = -1;     // the innermost enclosing `for` variable (-1: none)
  std::optional<Template> message;  // absent: the policy title
  Span span;
};

struct Policy {
  PolicyMetadata meta;
  // Empty when steps_deferred: Program::load_steps gives them (steps_of()).
  std::vector<Step> steps;
  bool steps_deferred = false;
  uint32_t frame_size = 0;
  // Slot of the outermost `for` over the `services` root: the service a finding is about.
  int32_t service_slot = -1;
  std::string package;
};

struct Param {
  std::string name;        // qualified: "package.name", or "name" without a package
  std::string short_name;  // as declared
  TypePtr type;
  Value default_value;  // already coerced to `type`
  Span span;
};

// ---- tests, lowered to plain data for the `capguard test` runner ----
enum class InputKind : uint8_t { Auto, Compose, Inspect };
const char* input_kind_name(InputKind k);  // "auto", "compose", "inspect"

struct TestInput {
  InputKind kind = InputKind::Auto;
  std::string text;  // inline text, or the path as written when is_file
  bool is_file = false;
  std::string path;  // is_file: the path resolved against the test file's folder
  Span span;
};
struct TestParam {
  std::string name;  // the param's qualified name (Program::params[index].name)
  size_t index = 0;  // into Program::params
  Value value;       // coerced to the param's type
  Span span;
};
using Expectation = TestExpectation;  // plain data, shared with the AST (lang/core/policy_meta.hpp)
struct TestCase {
  std::string name;
  Span span;
  std::string package;
  std::vector<TestParam> params;
  std::vector<TestInput> inputs;
  std::vector<Expectation> expectations;
};

struct Program {
  std::vector<Param> params;
  std::vector<Policy> policies;  // in file order (files in the order given)
  std::vector<TestCase> tests;
  std::vector<std::string> roots;  // names of the document roots used (Op::Root indexes these)
  // Per root: the schema slot paths (one or two fields deep, e.g. {caps, dropped}) that some
  // policy reads off the elements of that root while iterating it with `for`. The evaluator
  // prefetches exactly these before running the policies over a document (runtime/evaluator).
  std::vector<std::vector<std::vector<uint32_t>>> element_paths;
  // The same, merged by first slot for the evaluator's prefetch: entry `slot` of an element, then
  // (when `then` >= 0) entry `then` of the map that entry holds.
  struct ElementRead {
    uint32_t slot = 0;
    int32_t then = -1;
  };
  std::vector<std::vector<ElementRead>> element_reads;
  // What the policies can observe of a service's `raw` (the input's own mapping): every key when
  // raw_whole, else only the top-level keys in raw_keys (sorted), each read by a constant field
  // or index right on `raw` (`s.raw.build`, `s.raw["Config"]`). A loader may then keep only those
  // keys of an inspect container's raw (InputOptions::raw_keys): no policy sees a difference.
  bool raw_whole = true;
  std::vector<std::string> raw_keys;

  // Set when the policies' steps were left in the bytes the program was loaded from
  // (deserialize_program with defer_steps; lang/compile/ir_serialize.hpp): loads policy
  // `index`'s steps into `out`, each time it is called (thread-safe). A one-input check uses
  // each policy's steps once, so it loads them just before running the policy and frees them
  // after: the standard library's steps (about 270 KB in memory) are never all there, and the
  // process touches that much less memory. Empty otherwise.
  std::function<void(size_t index, std::vector<Step>& out)> load_steps;

  // Loads every deferred policy's steps into the program (for more than one use).
  void load_all_steps();

  // Index of a policy by id, or -1.
  int policy_index(const std::string& id) const;
  // Index of a param by qualified name, or by short name when exactly one param has it; -1.
  int param_index(const std::string& name) const;
  // Default values of all params, in order.
  std::vector<Value> default_params() const;
};

// The steps of policy `index`: its own, or when they are deferred, loaded into `scratch`.
const std::vector<Step>& steps_of(const Program& program, size_t index, std::vector<Step>& scratch);

}  // namespace capguard::ir
