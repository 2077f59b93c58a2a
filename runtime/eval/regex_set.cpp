#include "runtime/eval/regex_set.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>

#include "runtime/eval/evaluator_ops.hpp"

namespace capguard {

struct RegexSet {
  std::unique_ptr<re2::RE2::Set> set;
  size_t size = 0;
};

namespace {

// The pattern `e` (constants, the variable in `slot` and `+`: ir::regex_set_shape()) gives for
// `element`, computed as the evaluator would; false when it is not a string or raises an error.
bool pattern_text(const ir::Expr& e, int32_t slot, const Value& element, Value& out) {
  switch (e.op) {
    case ir::Op::Const:
      out = e.value;
      return true;
    case ir::Op::Local:
      if (e.slot != slot) return false;
      out = element;
      return true;
    case ir::Op::Add: {
      Value a, b;
      if (!pattern_text(e.args[0], slot, element, a) || !pattern_text(e.args[1], slot, element, b))
        return false;
      try {
        out = ops::add(a, b);
      } catch (const std::exception&) {
        return false;
      }
      return true;
    }
    default:
      return false;
  }
}

std::shared_ptr<const RegexSet> build(const ir::Expr& any, const Value& collection) {
  const ir::Expr& pattern = any.args[1].args[1];
  // The options of compile_regex() (runtime/eval/builtins_regex.cpp), for one pattern.
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto out = std::make_shared<RegexSet>();
  out->set = std::make_unique<re2::RE2::Set>(options, re2::RE2::UNANCHORED);
  for (const Value& element : collection.as_list()) {
    Value text;
    if (!pattern_text(pattern, any.slot, element, text) || !text.is_string()) return nullptr;
    const std::string& p = text.as_string();
    // Add() parses as RE2's constructor does (same options): a pattern matches() would refuse is
    // refused here. A pattern too large for RE2's memory bound makes the whole set too large,
    // so Compile() fails then.
    std::string error;
    if (out->set->Add(re2::StringPiece(p.data(), p.size()), &error) < 0) return nullptr;
    ++out->size;
  }
  if (!out->set->Compile()) return nullptr;
  return out;
}

}  // namespace

std::shared_ptr<const RegexSet> regex_set_for(const ir::Expr& any, const Value& collection) {
  ir::RegexSetCache& cache = *any.regex_set;
  std::lock_guard<std::mutex> lock(cache.mutex);
  if (cache.collection.kind() != collection.kind() ||
      cache.collection.heap_address() != collection.heap_address()) {
    cache.collection = collection;
    cache.set = build(any, collection);
  }
  return cache.set;
}

std::optional<long> first_match(const RegexSet& set, const std::string& text) {
  std::vector<int> matched;
  re2::RE2::Set::ErrorInfo info{};
  if (!set.set->Match(re2::StringPiece(text.data(), text.size()), &matched, &info)) {
    if (info.kind != re2::RE2::Set::kNoError) return std::nullopt;
    return -1;
  }
  return *std::min_element(matched.begin(), matched.end());
}

}  // namespace capguard
