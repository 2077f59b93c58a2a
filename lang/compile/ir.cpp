#include "lang/compile/ir.hpp"

#include <algorithm>
#include <cstddef>

#include "lang/check/builtins.hpp"

namespace capguard::ir {

const char* op_name(Op op) {
  switch (op) {
    case Op::Const:
      return "const";
    case Op::Local:
      return "local";
    case Op::Param:
      return "param";
    case Op::Root:
      return "root";
    case Op::Field:
      return "field";
    case Op::Index:
      return "index";
    case Op::Not:
      return "not";
    case Op::Neg:
      return "neg";
    case Op::And:
      return "and";
    case Op::Or:
      return "or";
    case Op::Eq:
      return "eq";
    case Op::Ne:
      return "ne";
    case Op::Lt:
      return "lt";
    case Op::Le:
      return "le";
    case Op::Gt:
      return "gt";
    case Op::Ge:
      return "ge";
    case Op::In:
      return "in";
    case Op::NotIn:
      return "not_in";
    case Op::Union:
      return "union";
    case Op::Intersect:
      return "intersect";
    case Op::Add:
      return "add";
    case Op::Sub:
      return "sub";
    case Op::Mul:
      return "mul";
    case Op::Div:
      return "div";
    case Op::Mod:
      return "mod";
    case Op::If:
      return "if";
    case Op::MakeList:
      return "list";
    case Op::MakeSet:
      return "set";
    case Op::MakeCaps:
      return "caps";
    case Op::Call:
      return "call";
    case Op::Let:
      return "let";
    case Op::Any:
      return "any";
    case Op::All:
      return "all";
    case Op::Count:
      return "count";
    case Op::ListComp:
      return "list_comp";
    case Op::SetComp:
      return "set_comp";
  }
  return "?";
}

const char* input_kind_name(InputKind k) {
  switch (k) {
    case InputKind::Auto:
      return "auto";
    case InputKind::Compose:
      return "compose";
    case InputKind::Inspect:
      return "inspect";
  }
  return "?";
}

void Program::load_all_steps() {
  for (size_t i = 0; i < policies.size(); ++i) {
    if (!policies[i].steps_deferred) continue;
    load_steps(i, policies[i].steps);
    policies[i].steps_deferred = false;
  }
}

thread_local ExprArena* ExprArena::current_ = nullptr;

ExprArena::~ExprArena() {
  for (const Chunk& c : chunks_) ::operator delete(c.begin);
}

void* ExprArena::allocate(size_t bytes) {
  constexpr size_t kAlign = alignof(std::max_align_t);
  bytes = (bytes + kAlign - 1) & ~(kAlign - 1);
  if (static_cast<size_t>(end_ - next_) < bytes) {
    // A new chunk (a list larger than a chunk gets one of its own size).
    size_t size = std::max(bytes, kChunkBytes);
    char* begin = static_cast<char*>(::operator new(size));
    chunks_.push_back(Chunk{begin, begin + size});
    next_ = begin;
    end_ = begin + size;
  }
  void* p = next_;
  next_ += bytes;
  return p;
}

bool ExprArena::owns(const void* p) const {
  const char* c = static_cast<const char*>(p);
  for (const Chunk& chunk : chunks_) {
    if (c >= chunk.begin && c < chunk.end) return true;
  }
  return false;
}

void ExprArena::rewind() {
  for (size_t i = 1; i < chunks_.size(); ++i) ::operator delete(chunks_[i].begin);
  if (chunks_.size() > 1) chunks_.resize(1);
  next_ = chunks_.empty() ? nullptr : chunks_[0].begin;
  end_ = chunks_.empty() ? nullptr : chunks_[0].end;
}

const std::vector<Step>& steps_of(const Program& program, size_t index,
                                  std::vector<Step>& scratch) {
  const Policy& policy = program.policies[index];
  if (!policy.steps_deferred) return policy.steps;
  program.load_steps(index, scratch);
  return scratch;
}

int Program::policy_index(const std::string& id) const {
  for (size_t i = 0; i < policies.size(); ++i) {
    if (policies[i].meta.id == id) return static_cast<int>(i);
  }
  return -1;
}

int Program::param_index(const std::string& name) const {
  int by_short = -1;
  int short_matches = 0;
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].name == name) return static_cast<int>(i);
    if (params[i].short_name == name) {
      by_short = static_cast<int>(i);
      ++short_matches;
    }
  }
  return short_matches == 1 ? by_short : -1;
}

namespace {

bool pattern_of_variable(const Expr& e, int32_t slot) {
  switch (e.op) {
    case Op::Const:
      return true;
    case Op::Local:
      return e.slot == slot;
    case Op::Add:
      return e.args.size() == 2 && pattern_of_variable(e.args[0], slot) &&
             pattern_of_variable(e.args[1], slot);
    default:
      return false;
  }
}

bool subject_without_variable(const Expr& e, int32_t slot) {
  switch (e.op) {
    case Op::Const:
    case Op::Param:
    case Op::Root:
      return true;
    case Op::Local:
      return e.slot != slot;
    case Op::Field:
      return e.args.size() == 1 && subject_without_variable(e.args[0], slot);
    default:
      return false;
  }
}

}  // namespace

bool regex_set_shape(const Expr& e) {
  if (e.op != Op::Any || e.args.size() != 2) return false;
  const Expr& call = e.args[1];
  if (call.op != Op::Call || call.builtin != builtin::Matches || call.regex ||
      call.args.size() != 2) {
    return false;
  }
  return !call.args[1].is_const() && pattern_of_variable(call.args[1], e.slot) &&
         subject_without_variable(call.args[0], e.slot);
}

std::vector<Value> Program::default_params() const {
  std::vector<Value> out;
  out.reserve(params.size());
  for (const Param& p : params) out.push_back(p.default_value);
  return out;
}

}  // namespace capguard::ir
