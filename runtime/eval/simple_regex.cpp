#include "runtime/eval/simple_regex.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>

namespace capguard {

namespace {

constexpr size_t kMaxPattern = 512;

bool is_ascii_punct(unsigned char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
         (c >= '{' && c <= '~');
}

// Characters RE2 reads as themselves outside a class, without a backslash.
bool is_plain_literal(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case ' ':
    case '_':
    case '-':
    case '/':
    case ':':
    case '@':
    case ',':
    case '=':
    case '%':
    case '!':
    case '~':
    case '\'':
    case '"':
    case '<':
    case '>':
    case '#':
    case '&':
    case ';':
    case '`':
      return true;
    default:
      return false;
  }
}

char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

struct Node {
  enum class Type { Lit, Any, Cat, Alt, Star, Plus, Quest } type = Type::Lit;
  char c = 0;
  std::vector<std::unique_ptr<Node>> kids;
};
using NodePtr = std::unique_ptr<Node>;

NodePtr make(Node::Type t) {
  auto n = std::make_unique<Node>();
  n->type = t;
  return n;
}

}  // namespace

class SimpleRegexCompiler {
 public:
  SimpleRegexCompiler(std::string_view p, size_t end, bool fold) : p_(p), end_(end), fold_(fold) {}

  // The body from pos_ to end_, or null outside the subset.
  NodePtr body() {
    NodePtr n = alternation();
    return n && pos_ == end_ ? std::move(n) : nullptr;
  }

  static void emit(const Node& n, std::vector<SimpleRegex::Inst>& prog) {
    using K = SimpleRegex::Kind;
    auto at = [&prog] { return static_cast<int>(prog.size()); };
    auto push = [&prog](K kind) {
      SimpleRegex::Inst i;
      i.kind = kind;
      prog.push_back(i);
      return static_cast<int>(prog.size()) - 1;
    };
    switch (n.type) {
      case Node::Type::Lit: {
        int i = push(K::Char);
        prog[i].c = n.c;
        return;
      }
      case Node::Type::Any:
        push(K::Any);
        return;
      case Node::Type::Cat:
        for (const NodePtr& k : n.kids) emit(*k, prog);
        return;
      case Node::Type::Alt: {
        // split L1, next; L1: kid; jump end; next: (the rest, the same way); the last kid alone.
        std::vector<int> jumps;
        for (size_t k = 0; k + 1 < n.kids.size(); ++k) {
          int split = push(K::Split);
          prog[split].x = at();
          emit(*n.kids[k], prog);
          jumps.push_back(push(K::Jump));
          prog[split].y = at();
        }
        emit(*n.kids.back(), prog);
        for (int j : jumps) prog[j].x = at();
        return;
      }
      case Node::Type::Star: {
        int split = push(K::Split);
        prog[split].x = at();
        emit(*n.kids[0], prog);
        int jump = push(K::Jump);
        prog[jump].x = split;
        prog[split].y = at();
        return;
      }
      case Node::Type::Plus: {
        int start = at();
        emit(*n.kids[0], prog);
        int split = push(K::Split);
        prog[split].x = start;
        prog[split].y = at();
        return;
      }
      case Node::Type::Quest: {
        int split = push(K::Split);
        prog[split].x = at();
        emit(*n.kids[0], prog);
        prog[split].y = at();
        return;
      }
    }
  }

 private:
  bool more() const { return pos_ < end_; }
  char peek() const { return p_[pos_]; }

  NodePtr alternation() {
    NodePtr alt = make(Node::Type::Alt);
    for (;;) {
      NodePtr cat = concatenation();
      if (!cat) return nullptr;
      alt->kids.push_back(std::move(cat));
      if (!more() || peek() != '|') break;
      ++pos_;
    }
    if (alt->kids.size() == 1) return std::move(alt->kids[0]);
    return alt;
  }

  // One or more atoms, each with at most one quantifier; null when empty or outside the subset.
  NodePtr concatenation() {
    NodePtr cat = make(Node::Type::Cat);
    while (more() && peek() != '|' && peek() != ')') {
      NodePtr a = atom();
      if (!a) return nullptr;
      if (more() && (peek() == '*' || peek() == '+' || peek() == '?')) {
        char q = peek();
        ++pos_;
        if (more() && peek() == '?') ++pos_;  // lazy: the same language
        // A second repetition operator is an error for RE2 (`a**`), `{` a counted one.
        if (more() && (peek() == '*' || peek() == '+' || peek() == '?' || peek() == '{')) {
          return nullptr;
        }
        NodePtr r = make(q == '*'   ? Node::Type::Star
                         : q == '+' ? Node::Type::Plus
                                    : Node::Type::Quest);
        r->kids.push_back(std::move(a));
        a = std::move(r);
      }
      cat->kids.push_back(std::move(a));
    }
    if (cat->kids.empty()) return nullptr;
    if (cat->kids.size() == 1) return std::move(cat->kids[0]);
    return cat;
  }

  NodePtr atom() {
    if (++depth_ > 100) return nullptr;
    struct Leave {
      int& d;
      ~Leave() { --d; }
    } leave{depth_};
    unsigned char c = static_cast<unsigned char>(peek());
    if (c == '(') {
      ++pos_;
      if (more() && peek() == '?') {
        if (pos_ + 1 >= end_ || p_[pos_ + 1] != ':') return nullptr;  // a flag group
        pos_ += 2;
      }
      NodePtr inner = alternation();
      if (!inner || !more() || peek() != ')') return nullptr;
      ++pos_;
      return inner;
    }
    if (c == '.') {
      ++pos_;
      return make(Node::Type::Any);
    }
    NodePtr lit = make(Node::Type::Lit);
    if (c == '\\') {
      if (pos_ + 1 >= end_ || !is_ascii_punct(static_cast<unsigned char>(p_[pos_ + 1]))) {
        return nullptr;
      }
      lit->c = p_[pos_ + 1];
      pos_ += 2;
    } else if (is_plain_literal(c)) {
      lit->c = static_cast<char>(c);
      ++pos_;
    } else {
      return nullptr;
    }
    if (fold_) lit->c = ascii_lower(lit->c);
    return lit;
  }

  std::string_view p_;
  size_t end_;
  bool fold_;
  size_t pos_ = 0;
  int depth_ = 0;

  friend class SimpleRegex;
};

bool ascii_text(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::optional<SimpleRegex> SimpleRegex::parse(std::string_view pattern) {
  if (pattern.size() > kMaxPattern || !ascii_text(pattern)) return std::nullopt;
  SimpleRegex out;
  size_t pos = 0;
  if (pattern.substr(0, 4) == "(?i)") {
    out.fold_ = true;
    pos = 4;
  }
  if (pos < pattern.size() && pattern[pos] == '^') {
    out.anchor_start_ = true;
    ++pos;
  }
  size_t end = pattern.size();
  if (end > pos && pattern[end - 1] == '$') {
    // Not when the backslashes before it escape it.
    size_t slashes = 0;
    while (end - 1 - slashes > pos && pattern[end - 2 - slashes] == '\\') ++slashes;
    if (slashes % 2 == 0) {
      out.anchor_end_ = true;
      --end;
    }
  }
  SimpleRegexCompiler compiler(pattern, end, out.fold_);
  compiler.pos_ = pos;
  NodePtr body = compiler.body();
  if (!body) return std::nullopt;
  // `^a|b$` anchors one alternative each: outside the subset.
  if (body->type == Node::Type::Alt && (out.anchor_start_ || out.anchor_end_)) return std::nullopt;
  // The top-level sequence's items; the required string is their longest run of literals.
  std::vector<const Node*> items;
  if (body->type == Node::Type::Cat) {
    for (const NodePtr& k : body->kids) items.push_back(k.get());
  } else {
    items.push_back(body.get());
  }
  std::string run;
  for (const Node* k : items) {
    if (k->type == Node::Type::Lit) {
      run += k->c;
    } else {
      run.clear();
    }
    if (run.size() > out.required_.size()) out.required_ = run;
  }
  // The literal shapes (see shape_): both ends anchored, literals with at most a `.*` before and
  // one after.
  auto any_star = [](const Node* k) {
    return k->type == Node::Type::Star && k->kids[0]->type == Node::Type::Any;
  };
  size_t first = 0, last = items.size();
  bool lead = last - first >= 2 && any_star(items[first]);
  if (lead) ++first;
  bool trail = last - first >= 2 && any_star(items[last - 1]);
  if (trail) --last;
  bool literals = std::all_of(items.begin() + first, items.begin() + last,
                              [](const Node* k) { return k->type == Node::Type::Lit; });
  if (out.anchor_start_ && out.anchor_end_ && last > first && literals) {
    out.shape_ = lead && trail ? Shape::Contains
                 : lead        ? Shape::EndsWith
                 : trail       ? Shape::StartsWith
                               : Shape::Equals;
  }
  SimpleRegexCompiler::emit(*body, out.prog_);
  Inst match;
  match.kind = Kind::Match;
  out.prog_.push_back(match);
  return out;
}

SimpleRegex::Text::Text(std::string_view raw) : raw_(raw) {
  char* out = small_;
  if (raw.size() > sizeof small_) {
    large_.resize(raw.size());
    out = large_.data();
  }
  for (size_t i = 0; i < raw.size(); ++i) {
    out[i] = ascii_lower(raw[i]);
    newline_ = newline_ || raw[i] == '\n';
    ascii_ = ascii_ && static_cast<unsigned char>(raw[i]) < 0x80;
  }
  lower_ = std::string_view(out, raw.size());
}

bool SimpleRegex::matches(const Text& prepared) const {
  // What the pattern compares: the lower-case text when it folds case (its literals are lower
  // case too).
  const std::string_view text = fold_ ? prepared.lower() : prepared.raw();
  if (shape_ != Shape::Program) {
    const size_t m = required_.size();
    if (text.size() < m) return false;
    auto no_newline = [&](size_t from, size_t to) {
      return !prepared.has_newline() ||
             text.substr(from, to - from).find('\n') == std::string_view::npos;
    };
    switch (shape_) {
      case Shape::Equals:
        return text == required_;
      case Shape::StartsWith:
        return text.compare(0, m, required_) == 0 && no_newline(m, text.size());
      case Shape::EndsWith:
        return text.compare(text.size() - m, m, required_) == 0 && no_newline(0, text.size() - m);
      case Shape::Contains:
        return !prepared.has_newline() && text.find(required_) != std::string_view::npos;
      case Shape::Program:
        break;
    }
  }
  if (!required_.empty() && text.find(required_) == std::string_view::npos) return false;
  const size_t n = prog_.size();
  // Two sparse sets of program counters (the threads before and after a character), each
  // closed under Split and Jump, and the closure's stack; `mark` stamps membership with a
  // generation. On the stack for the usual small program.
  constexpr size_t kSmall = 64;
  int small[4 * kSmall + 1];
  uint32_t small_mark[kSmall] = {};
  std::vector<int> large;
  std::vector<uint32_t> large_mark;
  int* space = small;
  uint32_t* mark = small_mark;
  if (n > kSmall) {
    large.resize(4 * n + 1);
    large_mark.assign(n, 0);
    space = large.data();
    mark = large_mark.data();
  }
  int* cur = space;
  int* next = space + n;
  int* stack = space + 2 * n;
  size_t cur_size = 0;
  size_t next_size = 0;
  uint32_t generation = 1;
  // Each pc enters a list at most once per generation (n entries); each pc is expanded at most
  // once per closure and pushes at most two, so the stack never holds more than 2n + 1.
  auto add = [&](int* list, size_t& size, int pc) {
    size_t depth = 0;
    stack[depth++] = pc;
    while (depth > 0) {
      int at = stack[--depth];
      if (mark[at] == generation) continue;
      mark[at] = generation;
      const Inst& inst = prog_[at];
      if (inst.kind == Kind::Jump) {
        if (mark[inst.x] != generation) stack[depth++] = inst.x;
      } else if (inst.kind == Kind::Split) {
        if (mark[inst.y] != generation) stack[depth++] = inst.y;
        if (mark[inst.x] != generation) stack[depth++] = inst.x;
      } else {
        list[size++] = at;
      }
    }
  };
  add(cur, cur_size, 0);
  for (size_t i = 0;; ++i) {
    for (size_t k = 0; k < cur_size; ++k) {
      if (prog_[cur[k]].kind == Kind::Match && (!anchor_end_ || i == text.size())) return true;
    }
    if (i == text.size()) return false;
    char ch = text[i];
    next_size = 0;
    ++generation;
    for (size_t k = 0; k < cur_size; ++k) {
      const Inst& inst = prog_[cur[k]];
      if ((inst.kind == Kind::Char && inst.c == ch) || (inst.kind == Kind::Any && ch != '\n')) {
        add(next, next_size, cur[k] + 1);
      }
    }
    if (!anchor_start_) add(next, next_size, 0);  // a match may start after this character
    if (next_size == 0) return false;
    std::swap(cur, next);
    cur_size = next_size;
  }
}

}  // namespace capguard
