#include "runtime/eval/regex_set.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "runtime/eval/evaluator_ops.hpp"
#include "runtime/eval/simple_regex.hpp"

namespace capguard {

// When every pattern is in SimpleRegex's subset (ASCII, literals, `.`, groups, alternation,
// `*` `+` `?`, anchors at the ends: runtime/eval/simple_regex.hpp), ASCII subjects are matched
// by those small programs and RE2 compiles nothing: the standard library's sets (11 and 3
// patterns of CG-SEC-001) cost a one-file check 5% of its wall time as an RE2::Set, most of it
// RE2's code and DFA touched once. Otherwise, when every pattern is ASCII, the patterns are
// compiled for Latin-1 text, and that set answers for ASCII subjects: on ASCII text an ASCII
// pattern means the same in either encoding (`.`, a negated class and a Unicode class all match
// the same ASCII characters; case folding outside ASCII never applies), the parse is the same
// (the text decodes to the same characters), and RE2 compiles and searches Latin-1 in about half
// the time (the standard library's set: 78 against 145 us). The UTF-8 set, as matches() compiles
// each pattern, is built for the first subject that is not ASCII, or at once when a pattern is
// not.
struct RegexSet {
  std::vector<std::string> patterns;
  // Every pattern in SimpleRegex's subset (then `latin1` is null), or empty.
  std::vector<SimpleRegex> simple;
  std::unique_ptr<re2::RE2::Set> latin1;  // null: a pattern is not ASCII, or it did not compile

  // The UTF-8 set, built on the first call (thread-safe); null when it does not compile.
  const re2::RE2::Set* utf8_set() const;

 private:
  mutable std::once_flag utf8_once_;
  mutable std::unique_ptr<re2::RE2::Set> utf8_;
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

// The patterns compiled as one set with the options of compile_regex()
// (runtime/eval/builtins_regex.cpp), in the given encoding; null when one does not parse or the
// set is too large for RE2's memory bound.
std::unique_ptr<re2::RE2::Set> compile_set(const std::vector<std::string>& patterns,
                                           re2::RE2::Options::Encoding encoding) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_encoding(encoding);
  auto set = std::make_unique<re2::RE2::Set>(options, re2::RE2::UNANCHORED);
  for (const std::string& p : patterns) {
    // Add() parses as RE2's constructor does (same options): a pattern matches() would refuse is
    // refused here.
    std::string error;
    if (set->Add(re2::StringPiece(p.data(), p.size()), &error) < 0) return nullptr;
  }
  if (!set->Compile()) return nullptr;
  return set;
}

std::shared_ptr<const RegexSet> build(const ir::Expr& any, const Value& collection) {
  const ir::Expr& pattern = any.args[1].args[1];
  auto out = std::make_shared<RegexSet>();
  bool ascii = true;
  for (const Value& element : collection.as_list()) {
    Value text;
    if (!pattern_text(pattern, any.slot, element, text) || !text.is_string()) return nullptr;
    ascii = ascii && ascii_text(text.as_string());
    out->patterns.push_back(text.as_string());
  }
  if (ascii) {
    for (const std::string& p : out->patterns) {
      std::optional<SimpleRegex> simple = SimpleRegex::parse(p);
      if (!simple) break;
      out->simple.push_back(std::move(*simple));
    }
    if (out->simple.size() == out->patterns.size()) return out;
    out->simple.clear();
    // A pattern that does not parse does not parse in either encoding (the same characters).
    out->latin1 = compile_set(out->patterns, re2::RE2::Options::EncodingLatin1);
    if (out->latin1) return out;
  }
  // Not ASCII, or the Latin-1 set failed (an error or a memory bound, which the UTF-8 set then
  // says for itself).
  if (out->utf8_set() == nullptr) return nullptr;
  return out;
}

}  // namespace

const re2::RE2::Set* RegexSet::utf8_set() const {
  std::call_once(utf8_once_,
                 [this] { utf8_ = compile_set(patterns, re2::RE2::Options::EncodingUTF8); });
  return utf8_.get();
}

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
  if (!set.simple.empty()) {
    SimpleRegex::Text prepared(text);  // read once for all the patterns
    if (prepared.ascii()) {
      for (size_t i = 0; i < set.simple.size(); ++i) {
        if (set.simple[i].matches(prepared)) return static_cast<long>(i);
      }
      return -1;
    }
  }
  // A null UTF-8 set (too large where the Latin-1 one was not): element by element instead.
  const re2::RE2::Set* compiled =
      set.latin1 && ascii_text(text) ? set.latin1.get() : set.utf8_set();
  if (compiled == nullptr) return std::nullopt;
  std::vector<int> matched;
  re2::RE2::Set::ErrorInfo info{};
  if (!compiled->Match(re2::StringPiece(text.data(), text.size()), &matched, &info)) {
    if (info.kind != re2::RE2::Set::kNoError) return std::nullopt;
    return -1;
  }
  return *std::min_element(matched.begin(), matched.end());
}

}  // namespace capguard
