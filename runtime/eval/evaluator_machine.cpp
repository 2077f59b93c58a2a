#include "runtime/eval/evaluator_machine.hpp"

#include <algorithm>
#include <cstring>

#include <re2/re2.h>

#include "runtime/eval/builtins.hpp"
#include "runtime/eval/regex_set.hpp"

namespace capguard {

namespace {

// Steps charged for `x in xs`: a list is scanned, so its length; a set is sorted and searched by
// halves, so the number of halvings (1 for 0 or 1 item).
uint64_t membership_cost(const Value& xs) {
  uint64_t n = xs.as_list().size();
  if (!xs.is_set()) return n;
  uint64_t cost = 1;
  while (n > 1) {
    n /= 2;
    ++cost;
  }
  return cost;
}

// Key equality for the field fast path: field names are short, and comparing them as two
// overlapping words (never reading past either string) is cheaper than the call to memcmp that
// std::string's == makes.
inline bool same_key(const std::string& a, const std::string& b) {
  size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  if (n >= 8 && n <= 16) {
    uint64_t p0, p1, q0, q1;
    std::memcpy(&p0, p, 8);
    std::memcpy(&q0, q, 8);
    std::memcpy(&p1, p + n - 8, 8);
    std::memcpy(&q1, q + n - 8, 8);
    return ((p0 ^ q0) | (p1 ^ q1)) == 0;
  }
  if (n >= 4 && n < 8) {
    uint32_t p0, p1, q0, q1;
    std::memcpy(&p0, p, 4);
    std::memcpy(&q0, q, 4);
    std::memcpy(&p1, p + n - 4, 4);
    std::memcpy(&q1, q + n - 4, 4);
    return ((p0 ^ q0) | (p1 ^ q1)) == 0;
  }
  return a == b;
}

}  // namespace

const Value* Machine::eval_ref_node(const ir::Expr& e, Value& tmp) {
  switch (e.op) {
    case ir::Op::Field: {
      // A chain of fields (s.caps.dropped) is walked in a loop rather than by recursion. Its
      // steps are counted outermost first, as evaluating it recursively would count them.
      constexpr size_t kMaxChain = 8;
      const ir::Expr* chain[kMaxChain];
      size_t n = 0;
      const ir::Expr* base = &e;
      while (base->op == ir::Op::Field && n < kMaxChain) {
        tick(*base);
        chain[n++] = base;
        base = &base->args[0];
      }
      const Value* object = base->op == ir::Op::Local ? &slot(base->slot) : eval_ref(*base, tmp);
      while (n > 0) object = field_of(*chain[--n], *object);
      return object;
    }
    default:
      tmp = eval(e);
      return &tmp;
  }
}

const Value* Machine::field_of(const ir::Expr& e, const Value& object) {
  // The common case inline: a map field at its slot (what ops::field does first). Interned keys
  // (compacted documents, compiled field names) compare by address.
  if (e.index >= 0 && object.is_map()) {
    EntriesView entries = object.as_map();
    size_t at = static_cast<size_t>(e.index);
    if (at < entries.size() &&
        (entries[at].first.address() == e.key || same_key(entries[at].first, e.name))) {
      return &entries[at].second;
    }
  }
  return field_slow(e, object);
}

const Value* Machine::field_slow(const ir::Expr& e, const Value& object) {
  try {
    return ops::field(object, e.index, e.name, e.optional);
  } catch (const RuntimeError& err) {
    fail_at(e.span, err.what());
  }
}

const Value* Machine::eval_ref_counted(const ir::Expr& e, Value& tmp) {
  switch (e.op) {
    case ir::Op::Const:
    case ir::Op::Local:
    case ir::Op::Param:
    case ir::Op::Root:
    case ir::Op::Field:
      tick(e);  // eval() ticks once, then (for a field) eval_ref() ticks again
      return eval_ref(e, tmp);
    default:
      tmp = eval(e);
      return &tmp;
  }
}

void Machine::not_a_bool(const ir::Expr& e, const char* what, const Value& v) {
  fail_at(e.span, std::string(what) + " must be a bool, got " + kind_name(v.kind()));
}

bool Machine::eval_bool(const ir::Expr& e, const char* what) {
  // Boolean operators straight to bool, without building a Value for each.
  switch (e.op) {
    case ir::Op::Not:
      tick(e);
      return !eval_bool(e.args[0], "the operand of `not`");
    case ir::Op::And:
      tick(e);
      return eval_bool(e.args[0], "the left operand of `and`") &&
             eval_bool(e.args[1], "the right operand of `and`");
    case ir::Op::Or:
      tick(e);
      return eval_bool(e.args[0], "the left operand of `or`") ||
             eval_bool(e.args[1], "the right operand of `or`");
    case ir::Op::Eq:
    case ir::Op::Ne:
    case ir::Op::Lt:
    case ir::Op::Le:
    case ir::Op::Gt:
    case ir::Op::Ge:
    case ir::Op::In:
    case ir::Op::NotIn:
      tick(e);
      return eval_comparison(e);
    default:
      break;
  }
  Value tmp;
  const Value* v = eval_ref(e, tmp);
  if (!v->is_bool()) not_a_bool(e, what, *v);
  return v->as_bool();
}

namespace {

// == on two values of the same scalar kind without a call (ops::equal gives the same answer);
// false in `known` for the kinds it leaves to ops::equal.
inline bool same_kind_equal(const Value& a, const Value& b, bool& known) {
  known = true;
  switch (a.kind()) {
    case Kind::Null:
      return true;
    case Kind::Bool:
      return a.as_bool() == b.as_bool();
    case Kind::Int:
    case Kind::Size:
    case Kind::Duration:
      return a.as_int() == b.as_int();
    case Kind::Caps:
      return a.as_caps() == b.as_caps();
    default:
      known = false;
      return false;
  }
}

// == on values of different kinds: never equal, except numbers (int with float, by value) and
// caps with a capability name or list, which ops::equal decides.
inline bool different_kinds_equal(const Value& a, const Value& b, bool& known) {
  auto decided = [](Kind k) { return k != Kind::Int && k != Kind::Float && k != Kind::Caps; };
  known = decided(a.kind()) && decided(b.kind());
  return false;
}

}  // namespace

bool Machine::eval_comparison(const ir::Expr& e) {
  Value ta, tb;
  const Value* a = eval_ref(e.args[0], ta);
  const Value* b = eval_ref(e.args[1], tb);
  if (e.op == ir::Op::Eq || e.op == ir::Op::Ne) {
    bool known;
    bool same = a->kind() == b->kind() ? same_kind_equal(*a, *b, known)
                                       : different_kinds_equal(*a, *b, known);
    if (known) return same == (e.op == ir::Op::Eq);
  } else if (a->kind() == Kind::Caps && b->kind() == Kind::Caps) {
    // A caps subset in caps (ops::contains): a non-empty mask all of whose bits are held.
    caps::Mask want = a->as_caps();
    bool held = want != 0 && (b->as_caps() & want) == want;
    if (e.op == ir::Op::In) return held;
    if (e.op == ir::Op::NotIn) return !held;
  }
  try {
    switch (e.op) {
      case ir::Op::Eq:
        return ops::equal(*a, *b);
      case ir::Op::Ne:
        return !ops::equal(*a, *b);
      case ir::Op::Lt:
        return ops::order(*a, *b, "<") < 0;
      case ir::Op::Le:
        return ops::order(*a, *b, "<=") <= 0;
      case ir::Op::Gt:
        return ops::order(*a, *b, ">") > 0;
      case ir::Op::Ge:
        return ops::order(*a, *b, ">=") >= 0;
      case ir::Op::In:
        if (b->is_sequence()) charge(e, membership_cost(*b));
        return ops::contains(*b, *a);
      case ir::Op::NotIn:
        if (b->is_sequence()) charge(e, membership_cost(*b));
        return !ops::contains(*b, *a);
      default:
        break;
    }
  } catch (const RuntimeError& err) {
    fail_at(e.span, err.what());
  }
  fail_at(e.span, std::string("internal error: not a comparison: ") + ir::op_name(e.op));
}

namespace {

void prefetch_line(const void* p) {
  __builtin_prefetch(p);
}

// The lines holding `bytes` bytes at `p`: nodes are 8-byte aligned, so a 32-byte map entry or a
// 48-byte string node often straddles two cache lines, and reading it waits on both.
void prefetch_bytes(const void* p, size_t bytes) {
  auto first = reinterpret_cast<uintptr_t>(p);
  __builtin_prefetch(p);
  if ((first ^ (first + bytes - 1)) >= 64)
    __builtin_prefetch(static_cast<const char*>(p) + bytes - 1);
}

// The address of entry `slot` of the map whose node is at `node` (computed, not read).
const void* entry_address(const void* node, uint32_t slot) {
  return static_cast<const char*>(node) + sizeof(value_detail::Node) + slot * sizeof(MapEntry);
}

}  // namespace

void Machine::prefetch_document(const Value& document) {
  constexpr size_t kPrefixBytes = 256;
  const char* start = static_cast<const char*>(document.heap_address());
  if (!start) return;
  for (size_t offset = 0; offset < kPrefixBytes; offset += 64) prefetch_line(start + offset);
}

void Machine::prefetch_elements(ListView items,
                                const std::vector<ir::Program::ElementRead>& reads) {
  if (items.size() < 2 || reads.empty()) return;
  // Two rounds over all elements, so that the misses of a round overlap: the first requests the
  // entries at each read's slot (their addresses follow from the element's address); the second
  // reads those entries and requests what they point at (a string's or map's node, and the
  // entry at the read's second slot). Keys are not fetched: a compacted document's keys are
  // interned, and eval_ref matches them by address.
  for (const Value& v : items) {
    const void* node = v.is_map() ? v.heap_address() : nullptr;
    if (!node) continue;
    prefetch_line(node);
    for (const ir::Program::ElementRead& r : reads) {
      prefetch_bytes(entry_address(node, r.slot), sizeof(MapEntry));
    }
  }
  for (const Value& v : items) {
    if (!v.is_map()) continue;
    EntriesView entries = v.as_map();
    for (const ir::Program::ElementRead& r : reads) {
      if (r.slot >= entries.size()) continue;
      const Value& held = entries[r.slot].second;
      const void* node = held.heap_address();
      if (!node) continue;
      if (held.is_string()) {
        prefetch_bytes(node, sizeof(value_detail::StringNode));  // a short text is inline
      } else {
        prefetch_line(node);
      }
      if (r.then >= 0 && held.is_map()) {
        prefetch_bytes(entry_address(node, static_cast<uint32_t>(r.then)), sizeof(MapEntry));
      }
    }
  }
}

Value Machine::eval(const ir::Expr& e) {
  tick(e);
  switch (e.op) {
    case ir::Op::Const:
      return e.value;
    case ir::Op::Local:
      return slot(e.slot);
    case ir::Op::Param:
      return params_[static_cast<size_t>(e.index)];
    case ir::Op::Root:
      return roots_[static_cast<size_t>(e.index)];
    case ir::Op::Field: {
      Value tmp;
      return *eval_ref(e, tmp);
    }
    case ir::Op::Index: {
      Value ta, tb;
      const Value* object = eval_ref(e.args[0], ta);
      const Value* idx = eval_ref(e.args[1], tb);
      try {
        return ops::index(*object, *idx, e.optional);
      } catch (const RuntimeError& err) {
        fail_at(e.span, err.what());
      }
    }
    case ir::Op::Eq:
    case ir::Op::Ne:
    case ir::Op::Lt:
    case ir::Op::Le:
    case ir::Op::Gt:
    case ir::Op::Ge:
    case ir::Op::In:
    case ir::Op::NotIn:
      return Value::boolean(eval_comparison(e));
    case ir::Op::Not:
      return Value::boolean(!eval_bool(e.args[0], "the operand of `not`"));
    case ir::Op::And:
      return Value::boolean(eval_bool(e.args[0], "the left operand of `and`") &&
                            eval_bool(e.args[1], "the right operand of `and`"));
    case ir::Op::Or:
      return Value::boolean(eval_bool(e.args[0], "the left operand of `or`") ||
                            eval_bool(e.args[1], "the right operand of `or`"));
    case ir::Op::If:
      return eval_bool(e.args[0], "the condition of `if`") ? eval(e.args[1]) : eval(e.args[2]);
    case ir::Op::MakeList:
    case ir::Op::MakeSet: {
      List items;
      items.reserve(e.args.size());
      for (const ir::Expr& a : e.args) items.push_back(eval(a));
      return e.op == ir::Op::MakeList ? Value::list(std::move(items), e.span)
                                      : Value::set(std::move(items), e.span);
    }
    case ir::Op::MakeCaps: {
      caps::Mask m = 0;
      for (const ir::Expr& a : e.args) {
        Value tmp;
        const Value* v = eval_ref(a, tmp);
        try {
          m |= ops::to_mask(*v);
        } catch (const RuntimeError& err) {
          fail_at(a.span, err.what());
        }
      }
      return Value::caps(m, e.span);
    }
    case ir::Op::Call:
      return eval_call(e);
    case ir::Op::Let:
      bind_value(e.slot, eval(e.args[0]));
      return eval(e.args[1]);
    case ir::Op::Any:
    case ir::Op::All:
    case ir::Op::Count:
      return eval_quantifier(e);
    case ir::Op::ListComp:
    case ir::Op::SetComp:
      return eval_comprehension(e);
    default:
      return eval_binary(e);
  }
}

Value Machine::eval_binary(const ir::Expr& e) {
  Value ta, tb;
  const Value* a = eval_ref(e.args[0], ta);
  if (e.op == ir::Op::Neg) {
    try {
      return ops::negate(*a);
    } catch (const RuntimeError& err) {
      fail_at(e.span, err.what());
    }
  }
  const Value* b = eval_ref(e.args[1], tb);
  try {
    switch (e.op) {
      case ir::Op::Union:
        return ops::set_union(*a, *b);
      case ir::Op::Intersect:
        return ops::set_intersect(*a, *b);
      case ir::Op::Add:
        return ops::add(*a, *b);
      case ir::Op::Sub:
        return ops::subtract(*a, *b);
      case ir::Op::Mul:
        return ops::multiply(*a, *b);
      case ir::Op::Div:
        return ops::divide(*a, *b);
      case ir::Op::Mod:
        return ops::modulo(*a, *b);
      default:
        break;
    }
  } catch (const RuntimeError& err) {
    fail_at(e.span, err.what());
  }
  fail_at(e.span, std::string("internal error: unexpected IR op ") + ir::op_name(e.op));
}

Value Machine::eval_affix_of_sum(const ir::Expr& e) {
  Value args[2];
  args[0] = eval(e.args[0]);
  const ir::Expr& sum = e.args[1];
  tick(sum);  // as eval(sum) would
  Value ta, tb;
  const Value* a = eval_ref(sum.args[0], ta);
  const Value* b = eval_ref(sum.args[1], tb);
  if (args[0].is_string() && a->is_string() && b->is_string()) {
    std::string_view s = args[0].as_string();
    std::string_view x = a->as_string();
    std::string_view y = b->as_string();
    if (s.size() < x.size() + y.size()) return Value::boolean(false);
    size_t at = e.builtin == builtin::StartsWith ? 0 : s.size() - x.size() - y.size();
    return Value::boolean(s.substr(at, x.size()) == x && s.substr(at + x.size(), y.size()) == y);
  }
  try {
    args[1] = ops::add(*a, *b);
  } catch (const RuntimeError& err) {
    fail_at(sum.span, err.what());
  }
  try {
    return call_builtin(e.builtin, args, 2);
  } catch (const RuntimeError& err) {
    fail_at(e.span, err.what());
  }
}

Value Machine::eval_call(const ir::Expr& e) {
  if ((e.builtin == builtin::StartsWith || e.builtin == builtin::EndsWith) && e.args.size() == 2 &&
      e.args[1].op == ir::Op::Add && !e.regex) {
    return eval_affix_of_sum(e);
  }
  constexpr size_t kInline = 6;
  Value inline_args[kInline];
  std::vector<Value> heap_args;
  Value* args = inline_args;
  size_t n = e.args.size();
  if (n > kInline) {
    heap_args.resize(n);
    args = heap_args.data();
  }
  for (size_t i = 0; i < n; ++i) {
    // A precompiled pattern argument is a constant; skip evaluating it.
    args[i] = eval(e.args[i]);
  }
  try {
    if (e.regex) return call_builtin_regex(e.builtin, args, n, *e.regex);
    return call_builtin(e.builtin, args, n);
  } catch (const RuntimeError& err) {
    fail_at(e.span, err.what());
  }
}

std::optional<bool> Machine::any_by_regex_set(const ir::Expr& e, const Value& collection) {
  ListView items = collection.as_list();
  uint64_t per = e.regex_set->steps_per_element.load(std::memory_order_relaxed);
  // Only when the element-by-element evaluation could not run out of steps on this collection,
  // whatever element matches first (then it would fail at a node of its own).
  if (items.empty() || per == 0 || steps_left_ == 0 || items.size() > (steps_left_ - 1) / per) {
    return std::nullopt;
  }
  std::shared_ptr<const RegexSet> set = regex_set_for(e, collection);
  if (!set) return std::nullopt;
  uint64_t before = steps_left_;
  Value tmp;
  const Value* subject = nullptr;
  try {
    subject = eval_ref(e.args[1].args[0], tmp);
  } catch (const EvalFailure&) {
    steps_left_ = before;
    return std::nullopt;  // raised again, where and as the element-by-element evaluation does
  }
  steps_left_ = before;
  uint64_t elements = items.size();  // evaluated element by element: up to the first match
  bool found = false;
  if (subject->is_string()) {
    std::optional<long> first = first_match(*set, subject->as_string());
    if (!first) return std::nullopt;
    if (*first >= 0) {
      found = true;
      elements = static_cast<uint64_t>(*first) + 1;
    }
  } else if (!subject->is_null()) {
    return std::nullopt;  // matches() refuses it: its error
  }
  steps_left_ -= elements * per;
  return found;
}

Value Machine::eval_quantifier(const ir::Expr& e) {
  Value collection = eval(e.args[0]);
  const ir::Expr* condition = e.args.size() > 1 ? &e.args[1] : nullptr;
  // any(p in LIST where matches(SUBJECT, PATTERN(p))): one RE2::Set search (regex_set.hpp).
  // The first time, the first element is evaluated alone, to measure what one element's
  // condition costs (the same for every element of this shape).
  size_t skip = 0;  // elements already evaluated
  if (e.regex_set && collection.is_sequence()) {
    if (std::optional<bool> r = any_by_regex_set(e, collection)) return Value::boolean(*r);
    ListView items = collection.as_list();
    if (!items.empty() && e.regex_set->steps_per_element.load(std::memory_order_relaxed) == 0) {
      uint64_t before = steps_left_;
      bind_ref(e.slot, items[0]);
      bool holds = eval_bool(*condition, "the `where` condition");
      unbind(e.slot);
      uint64_t per = before - steps_left_;
      e.regex_set->steps_per_element.store(per, std::memory_order_relaxed);
      if (holds) return Value::boolean(true);
      // The set search charges every element it stands for, the first one included.
      steps_left_ = before;
      if (std::optional<bool> r = any_by_regex_set(e, collection)) return Value::boolean(*r);
      steps_left_ = before - per;
      skip = 1;
    }
  }
  bool result = e.op == ir::Op::All;
  int64_t count = 0;
  for_each(collection, e.args[0].span, [&](const Value& element) {
    if (skip > 0) {
      --skip;
      return true;
    }
    bind_ref(e.slot, element);
    bool holds = condition ? eval_bool(*condition, "the `where` condition") : true;
    switch (e.op) {
      case ir::Op::Any:
        if (holds) {
          result = true;
          return false;
        }
        return true;
      case ir::Op::All:
        if (!holds) {
          result = false;
          return false;
        }
        return true;
      default:
        count += holds ? 1 : 0;
        return true;
    }
  });
  unbind(e.slot);
  if (e.op == ir::Op::Count) return Value::integer(count);
  return Value::boolean(result);
}

Value Machine::eval_comprehension(const ir::Expr& e) {
  Value collection = eval(e.args[0]);
  const ir::Expr& element = e.args[1];
  const ir::Expr* filter = e.args.size() > 2 ? &e.args[2] : nullptr;
  List items;
  for_each(collection, e.args[0].span, [&](const Value& item) {
    bind_ref(e.slot, item);
    if (!filter || eval_bool(*filter, "the `where` condition")) items.push_back(eval(element));
    return true;
  });
  unbind(e.slot);
  return e.op == ir::Op::ListComp ? Value::list(std::move(items), e.span)
                                  : Value::set(std::move(items), e.span);
}

}  // namespace capguard
