// One description of the bytes for both directions: every `io(archive, object)` below is used by
// the Writer (serialize) and by the Reader (deserialize), so the two cannot drift apart.
#include "lang/compile/ir_serialize.hpp"

#include <cstring>
#include <stdexcept>
#include <type_traits>

#include "lang/core/value.hpp"

namespace capguard {

namespace {

constexpr char kMagic[4] = {'C', 'G', 'I', 'R'};
// Bump when the IR or this encoding changes (the bytes never outlive one build, but a stale
// generated file must fail loudly rather than load garbage).
constexpr uint32_t kVersion = 4;

struct Writer {
  static constexpr bool loading = false;
  std::string out;
  const std::vector<FileId>* files = nullptr;

  void raw(const void* p, size_t n) { out.append(static_cast<const char*>(p), n); }
  template <typename T>
  void pod(T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    raw(&v, sizeof v);
  }
  void str(std::string& s) {
    uint32_t n = static_cast<uint32_t>(s.size());
    pod(n);
    raw(s.data(), n);
  }
  uint32_t file_index(FileId f) const {
    if (f == 0) return 0;
    for (size_t i = 0; i < files->size(); ++i) {
      if ((*files)[i] == f) return static_cast<uint32_t>(i + 1);
    }
    throw std::invalid_argument("serialize_program: a span names a file outside the program");
  }
};

struct Reader {
  static constexpr bool loading = true;
  std::string_view in;
  size_t pos = 0;
  const std::vector<FileId>* files = nullptr;
  // The schema, or where to get it when first needed.
  const Schema* schema = nullptr;
  const Schema& (*schema_source)() = nullptr;
  const CompileOptions* options = nullptr;
  const Schema& the_schema() {
    if (schema == nullptr) schema = &schema_source();
    return *schema;
  }

  // deserialize_program with defer_steps: each policy's steps are skipped, their byte range
  // kept here (Program::load_steps reads them later).
  bool defer_steps = false;
  std::vector<std::pair<size_t, uint32_t>> deferred;
  // deserialize_program without policy_texts: descriptions, rationales and references skipped.
  bool policy_texts = true;

  struct Truncated {};
  void raw(void* p, size_t n) {
    if (in.size() - pos < n) throw Truncated{};
    std::memcpy(p, in.data() + pos, n);
    pos += n;
  }
  template <typename T>
  void pod(T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    raw(&v, sizeof v);
  }
  void skip_str() {
    uint32_t n = 0;
    pod(n);
    if (in.size() - pos < n) throw Truncated{};
    pos += n;
  }
  void str(std::string& s) {
    uint32_t n = 0;
    pod(n);
    if (in.size() - pos < n) throw Truncated{};
    if (n == 0) {
      s.clear();
    } else if (s.empty()) {
      s.append(in.data() + pos, n);  // the common case, a fresh string: cheaper than assign
    } else {
      s.assign(in.data() + pos, n);
    }
    pos += n;
  }
  FileId file_at(uint32_t index) const {
    if (index == 0) return 0;
    if (index > files->size()) throw Truncated{};
    return (*files)[index - 1];
  }
};

template <typename Ar>
void io(Ar& ar, bool& b) {
  uint8_t v = b ? 1 : 0;
  ar.pod(v);
  b = v != 0;
}

template <typename Ar>
void io(Ar& ar, std::string& s) {
  ar.str(s);
}

// Enums and plain integers.
template <typename Ar, typename T>
std::enable_if_t<std::is_enum_v<T> || std::is_arithmetic_v<T>> io(Ar& ar, T& v) {
  ar.pod(v);
}

// A span is four 32-bit words: the file's index, line, column, length (read in one copy).
template <typename Ar>
void io(Ar& ar, Span& s) {
  uint32_t words[4] = {0, s.line, s.column, s.length};
  static_assert(sizeof(s.line) == 4 && sizeof(s.column) == 4 && sizeof(s.length) == 4);
  if constexpr (!Ar::loading) words[0] = ar.file_index(s.file);
  ar.raw(words, sizeof words);
  if constexpr (Ar::loading) {
    s.file = ar.file_at(words[0]);
    s.line = words[1];
    s.column = words[2];
    s.length = words[3];
  }
}

template <typename Ar, typename T, typename A>
void io(Ar& ar, std::vector<T, A>& items) {
  uint32_t n = static_cast<uint32_t>(items.size());
  ar.pod(n);
  if constexpr (Ar::loading) {
    items.clear();
    items.resize(n);
  }
  for (T& item : items) io(ar, item);
}

template <typename Ar, typename T>
void io(Ar& ar, std::optional<T>& v) {
  bool present = v.has_value();
  io(ar, present);
  if constexpr (Ar::loading) {
    if (present) v.emplace();
  }
  if (present) io(ar, *v);
}

template <typename Ar>
void io(Ar& ar, Value& v) {
  Kind kind = v.kind();
  Span span = v.span();
  io(ar, kind);
  io(ar, span);
  switch (kind) {
    case Kind::Null:
      if constexpr (Ar::loading) v = Value::null(span);
      return;
    case Kind::Bool: {
      bool b = !Ar::loading && v.as_bool();
      io(ar, b);
      if constexpr (Ar::loading) v = Value::boolean(b, span);
      return;
    }
    case Kind::Int:
    case Kind::Size:
    case Kind::Duration: {
      int64_t i = Ar::loading ? 0 : v.as_int();
      io(ar, i);
      if constexpr (Ar::loading) {
        v = kind == Kind::Int    ? Value::integer(i, span)
            : kind == Kind::Size ? Value::size(i, span)
                                 : Value::duration(i, span);
      }
      return;
    }
    case Kind::Float: {
      double d = Ar::loading ? 0 : v.as_double();
      io(ar, d);
      if constexpr (Ar::loading) v = Value::number(d, span);
      return;
    }
    case Kind::Caps: {
      caps::Mask m = Ar::loading ? 0 : v.as_caps();
      io(ar, m);
      if constexpr (Ar::loading) v = Value::caps(m, span);
      return;
    }
    case Kind::String: {
      std::string s;
      if constexpr (!Ar::loading) s = v.as_string();
      io(ar, s);
      if constexpr (Ar::loading) v = Value::string(std::move(s), span);
      return;
    }
    case Kind::List:
    case Kind::Set: {
      List items;
      if constexpr (!Ar::loading) items = v.as_list().to_vector();
      io(ar, items);
      if constexpr (Ar::loading) {
        v = kind == Kind::List ? Value::list(std::move(items), span)
                               : Value::set(std::move(items), span);
      }
      return;
    }
    case Kind::Map: {
      Entries entries;
      if constexpr (!Ar::loading) entries = v.as_map().to_vector();
      uint32_t n = static_cast<uint32_t>(entries.size());
      ar.pod(n);
      if constexpr (Ar::loading) entries.resize(n);
      for (Entry& e : entries) {
        io(ar, e.first);
        io(ar, e.second);
      }
      if constexpr (Ar::loading) v = Value::map(std::move(entries), span);
      return;
    }
  }
  if constexpr (Ar::loading) throw typename Ar::Truncated{};
}

template <typename Ar>
void io(Ar& ar, TypePtr& t) {
  bool present = t != nullptr;
  io(ar, present);
  if (!present) {
    if constexpr (Ar::loading) t = nullptr;
    return;
  }
  TypeKind kind = Ar::loading ? TypeKind::Any : t->kind;
  bool nullable = !Ar::loading && t->nullable;
  std::string object_name;
  TypePtr elem;
  if constexpr (!Ar::loading) {
    object_name = t->object_name;
    elem = t->elem;
  }
  io(ar, kind);
  io(ar, nullable);
  io(ar, object_name);
  if (kind != TypeKind::Object) io(ar, elem);
  if constexpr (Ar::loading) {
    if (kind == TypeKind::Object) {
      const Schema& schema = ar.the_schema();
      auto it = schema.objects.find(object_name);
      if (it == schema.objects.end()) throw typename Ar::Truncated{};
      t = nullable ? capguard::nullable(it->second) : it->second;
      return;
    }
    auto made = std::make_shared<Type>();
    made->kind = kind;
    made->nullable = nullable;
    made->elem = elem;
    made->object_name = object_name;
    t = made;
  }
}

template <typename Ar>
void io(Ar& ar, PolicyMetadata& m) {
  io(ar, m.id);
  io(ar, m.title);
  io(ar, m.severity);
  if constexpr (Ar::loading) {
    if (!ar.policy_texts) {
      ar.skip_str();  // description
      ar.skip_str();  // rationale
      io(ar, m.remediation);
      uint32_t references = 0;
      ar.pod(references);
      for (uint32_t i = 0; i < references; ++i) ar.skip_str();
      io(ar, m.tags);
      io(ar, m.span);
      return;
    }
  }
  io(ar, m.description);
  io(ar, m.rationale);
  io(ar, m.remediation);
  io(ar, m.references);
  io(ar, m.tags);
  io(ar, m.span);
}

template <typename Ar>
void io(Ar& ar, TestExpectation& e) {
  io(ar, e.negated);
  io(ar, e.kind);
  io(ar, e.policy);
  io(ar, e.service);
  io(ar, e.count);
  io(ar, e.message);
  io(ar, e.line);
  io(ar, e.span);
}

template <typename Ar>
void io(Ar& ar, ir::Expr& e) {
  // op, optional, builtin, slot, index: 12 bytes, in one copy.
  static_assert(sizeof(e.op) == 1 && sizeof(e.builtin) == 2 && sizeof(e.slot) == 4 &&
                sizeof(e.index) == 4);
  unsigned char head[12];
  if constexpr (!Ar::loading) {
    head[0] = static_cast<unsigned char>(e.op);
    head[1] = e.optional ? 1 : 0;
    std::memcpy(head + 2, &e.builtin, 2);
    std::memcpy(head + 4, &e.slot, 4);
    std::memcpy(head + 8, &e.index, 4);
  }
  ar.raw(head, sizeof head);
  if constexpr (Ar::loading) {
    e.op = static_cast<ir::Op>(head[0]);
    e.optional = head[1] != 0;
    std::memcpy(&e.builtin, head + 2, 2);
    std::memcpy(&e.slot, head + 4, 4);
    std::memcpy(&e.index, head + 8, 4);
  }
  // Only a constant holds a value (the compiler sets none on other nodes).
  if constexpr (!Ar::loading) {
    if (e.op != ir::Op::Const && !e.value.is_null()) {
      throw std::invalid_argument("serialize_program: a value on a node that is not a constant");
    }
  }
  if (e.op == ir::Op::Const) io(ar, e.value);
  io(ar, e.name);
  bool keyed = e.key != nullptr;
  bool regex = e.regex != nullptr;
  io(ar, keyed);
  io(ar, regex);
  io(ar, e.args);
  io(ar, e.span);
  if constexpr (Ar::loading) {
    e.key = keyed ? intern_key(e.name) : nullptr;
    e.regex = nullptr;
    // As compile_regexes() (lang/compile/compiler_finish.cpp) made it (the args are loaded).
    e.regex_set = nullptr;
    if (e.op == ir::Op::Any && ar.options != nullptr && ar.options->make_regex_set_cache &&
        ir::regex_set_shape(e)) {
      e.regex_set = ar.options->make_regex_set_cache();
    }
    if (regex) {
      // As compile_regexes() (lang/compile/compiler_finish.cpp) compiled it.
      const CompileOptions& o = *ar.options;
      if (!o.regex_argument || !o.compile_regex) throw typename Ar::Truncated{};
      int index = o.regex_argument(static_cast<BuiltinId>(e.builtin));
      if (index < 0 || static_cast<size_t>(index) >= e.args.size()) throw typename Ar::Truncated{};
      const ir::Expr& pattern = e.args[static_cast<size_t>(index)];
      if (!pattern.is_const() || !pattern.value.is_string()) throw typename Ar::Truncated{};
      std::string error;
      e.regex = o.compile_regex(pattern.value.as_string(), error);
      if (!e.regex) throw typename Ar::Truncated{};
    }
  }
}

template <typename Ar>
void io(Ar& ar, ir::TemplatePart& p) {
  io(ar, p.text);
  io(ar, p.expr);
}

template <typename Ar>
void io(Ar& ar, ir::Template& t) {
  io(ar, t.parts);
  io(ar, t.span);
}

template <typename Ar>
void io(Ar& ar, ir::Step& s) {
  io(ar, s.kind);
  io(ar, s.slot);
  io(ar, s.name);
  io(ar, s.expr);
  io(ar, s.rule_kind);
  io(ar, s.at);
  io(ar, s.default_at_slot);
  io(ar, s.message);
  io(ar, s.span);
}

template <typename Ar>
void io(Ar& ar, ir::Policy& p) {
  io(ar, p.meta);
  // The steps, preceded by their length in bytes so that a reader may leave them for later.
  uint32_t length = 0;
  if constexpr (!Ar::loading) {
    size_t at = ar.out.size();
    ar.pod(length);
    io(ar, p.steps);
    length = static_cast<uint32_t>(ar.out.size() - at - sizeof length);
    std::memcpy(&ar.out[at], &length, sizeof length);
  } else {
    ar.pod(length);
    if (ar.in.size() - ar.pos < length) throw typename Ar::Truncated{};
    size_t end = ar.pos + length;
    if (ar.defer_steps) {
      ar.deferred.emplace_back(ar.pos, length);
      p.steps.clear();
      p.steps_deferred = true;
      ar.pos = end;
    } else {
      io(ar, p.steps);
      if (ar.pos != end) throw typename Ar::Truncated{};
    }
  }
  io(ar, p.frame_size);
  io(ar, p.service_slot);
  io(ar, p.package);
}

template <typename Ar>
void io(Ar& ar, ir::Param& p) {
  io(ar, p.name);
  io(ar, p.short_name);
  io(ar, p.type);
  io(ar, p.default_value);
  io(ar, p.span);
}

template <typename Ar>
void io(Ar& ar, ir::TestInput& t) {
  io(ar, t.kind);
  io(ar, t.text);
  io(ar, t.is_file);
  io(ar, t.path);
  io(ar, t.span);
}

template <typename Ar>
void io(Ar& ar, ir::TestParam& t) {
  io(ar, t.name);
  uint64_t index = t.index;
  io(ar, index);
  t.index = static_cast<size_t>(index);
  io(ar, t.value);
  io(ar, t.span);
}

template <typename Ar>
void io(Ar& ar, ir::TestCase& t) {
  io(ar, t.name);
  io(ar, t.span);
  io(ar, t.package);
  io(ar, t.params);
  io(ar, t.inputs);
  io(ar, t.expectations);
}

template <typename Ar>
void io(Ar& ar, ir::Program::ElementRead& r) {
  io(ar, r.slot);
  io(ar, r.then);
}

template <typename Ar>
void io(Ar& ar, ir::Program& p) {
  io(ar, p.params);
  io(ar, p.policies);
  io(ar, p.tests);
  io(ar, p.roots);
  io(ar, p.element_paths);
  io(ar, p.element_reads);
  io(ar, p.raw_whole);
  io(ar, p.raw_keys);
}

}  // namespace

std::string serialize_program(const ir::Program& program, const std::vector<FileId>& files) {
  Writer w;
  w.files = &files;
  w.raw(kMagic, sizeof kMagic);
  uint32_t version = kVersion;
  uint32_t count = static_cast<uint32_t>(files.size());
  w.pod(version);
  w.pod(count);
  // io() is symmetric and takes non-const references; the Writer only reads through them.
  io(w, const_cast<ir::Program&>(program));
  return std::move(w.out);
}

namespace {

std::optional<ir::Program> deserialize(std::string_view bytes, const std::vector<FileId>& files,
                                       const Schema* schema, const Schema& (*schema_source)(),
                                       const CompileOptions& options, std::string& error,
                                       bool defer_steps, bool policy_texts) {
  Reader r;
  r.in = bytes;
  r.files = &files;
  r.schema = schema;
  r.schema_source = schema_source;
  r.options = &options;
  r.defer_steps = defer_steps;
  r.policy_texts = policy_texts;
  try {
    char magic[4];
    r.raw(magic, sizeof magic);
    uint32_t version = 0, count = 0;
    r.pod(version);
    r.pod(count);
    if (std::memcmp(magic, kMagic, sizeof magic) != 0 || version != kVersion) {
      error = "not a compiled program of this build";
      return std::nullopt;
    }
    if (count != files.size()) {
      error =
          "compiled for " + std::to_string(count) + " files, given " + std::to_string(files.size());
      return std::nullopt;
    }
    ir::Program program;
    io(r, program);
    if (r.pos != bytes.size()) {
      error = "trailing bytes after the program";
      return std::nullopt;
    }
    if (defer_steps) {
      // Each call reads one policy's range with a reader of its own. The bytes and the schema
      // outlive the program (the caller's promise); the files and options are copied.
      program.load_steps = [bytes, files, schema, schema_source, options,
                            ranges = std::move(r.deferred)](size_t index,
                                                            std::vector<ir::Step>& out) {
        auto [begin, length] = ranges.at(index);
        Reader steps;
        steps.in = bytes.substr(0, begin + length);
        steps.pos = begin;
        steps.files = &files;
        steps.schema = schema;
        steps.schema_source = schema_source;
        steps.options = &options;
        try {
          io(steps, out);
        } catch (const Reader::Truncated&) {
          throw std::logic_error("deferred policy steps do not load");
        }
        if (steps.pos != begin + length)
          throw std::logic_error("deferred policy steps do not load");
      };
    }
    return program;
  } catch (const Reader::Truncated&) {
    error = "truncated or inconsistent compiled program";
    return std::nullopt;
  }
}

}  // namespace

std::optional<ir::Program> deserialize_program(std::string_view bytes,
                                               const std::vector<FileId>& files,
                                               const Schema& schema, const CompileOptions& options,
                                               std::string& error, bool defer_steps,
                                               bool policy_texts) {
  return deserialize(bytes, files, &schema, nullptr, options, error, defer_steps, policy_texts);
}

std::optional<ir::Program> deserialize_program(std::string_view bytes,
                                               const std::vector<FileId>& files,
                                               const Schema& (*schema)(),
                                               const CompileOptions& options, std::string& error,
                                               bool defer_steps, bool policy_texts) {
  return deserialize(bytes, files, nullptr, schema, options, error, defer_steps, policy_texts);
}

}  // namespace capguard
