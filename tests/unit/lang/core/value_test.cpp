// Value: the node layout (items stored with their header), map entries with key references, and
// compact() (a whole document in one block, shared by reference counting).

#include <catch2/catch.hpp>

#include "lang/core/value.hpp"

namespace capguard {
namespace {

Span at(uint32_t line) {
  return Span{1, line, 3, 4};
}

// A document-like tree with repeated keys and strings, a long string and a long key.
Value sample() {
  List services;
  for (uint32_t i = 0; i < 3; ++i) {
    Entries caps = {{"added", Value::list({}, at(i))},
                    {"dropped", Value::caps(caps::kAll, at(i + 10))}};
    services.push_back(Value::map(
        {{"name", Value::string("svc" + std::to_string(i), at(i))},
         {"image", Value::string("registry.example.com/team/service-with-a-long-name", at(i))},
         {"privileged", Value::boolean(i == 1, at(i))},
         {"caps", Value::map(std::move(caps), at(i))},
         {"a key that is longer than fifteen bytes", Value::string("network", at(i))},
         {"ports", Value::set({Value::integer(80), Value::integer(443), Value::integer(80)})}},
        at(i)));
  }
  return Value::map({{"services", Value::list(std::move(services), at(1))}});
}

TEST_CASE("values are 24 bytes and map entries 32", "[value]") {
  STATIC_REQUIRE(sizeof(Value) == 24);
  STATIC_REQUIRE(sizeof(MapEntry) == 32);
}

TEST_CASE("a value keeps its span; the underline length stops at 65535", "[value]") {
  Value v = Value::string("x", Span{7, 100000, 250000, 12});
  CHECK(v.span().file == 7);
  CHECK(v.span().line == 100000);
  CHECK(v.span().column == 250000);
  CHECK(v.span().length == 12);
  CHECK(v.kind() == Kind::String);
  Value long_one = v.with_span(Span{7, 1, 1, 1u << 20});
  CHECK(long_one.span().length == 65535);
  CHECK(long_one.kind() == Kind::String);
  CHECK(long_one.as_string() == "x");
}

TEST_CASE("large maps (indexed by hash) keep order and replace duplicates alike", "[value]") {
  Entries entries;
  for (int i = 0; i < 1000; ++i) entries.emplace_back("k" + std::to_string(i), Value::integer(i));
  entries.emplace_back("k5", Value::integer(-5));    // replaces k5 in place
  entries.emplace_back("k999", Value::integer(-9));  // replaces the last one
  entries.emplace_back("new", Value::integer(7));
  Value m = Value::map(std::move(entries));
  REQUIRE(m.as_map().size() == 1001);
  CHECK(m.as_map()[5].first == "k5");
  CHECK(m.as_map()[5].second.as_int() == -5);
  CHECK(m.as_map()[999].second.as_int() == -9);
  CHECK(m.as_map()[1000].first == "new");
  CHECK(m.get("k500")->as_int() == 500);
}

TEST_CASE("maps keep keys in order, replace duplicates and look up by key and slot", "[value]") {
  Value m =
      Value::map({{"a", Value::integer(1)}, {"b", Value::integer(2)}, {"a", Value::integer(3)}});
  REQUIRE(m.as_map().size() == 2);
  CHECK(m.as_map()[0].first == "a");
  CHECK(m.as_map()[0].second.as_int() == 3);
  CHECK(m.get("b")->as_int() == 2);
  CHECK(m.get_slot(1, "b")->as_int() == 2);
  CHECK(m.get_slot(0, "b")->as_int() == 2);  // wrong slot: found by key
  CHECK(m.get("c") == nullptr);
  Entries copy = m.as_map().to_vector();
  REQUIRE(copy.size() == 2);
  CHECK(copy[1].first == "b");
}

TEST_CASE("empty collections need no node and copies share one", "[value]") {
  Value empty = Value::list({});
  CHECK(empty.as_list().empty());
  CHECK(empty.heap_address() == nullptr);
  Value l = Value::list({Value::string("x")});
  Value copy = l;
  CHECK(copy.heap_address() == l.heap_address());
  Value moved = std::move(copy);
  CHECK(moved.as_list()[0].as_string() == "x");
  CHECK(copy.is_null());  // NOLINT: moved-from values are null
}

TEST_CASE("compact() copies a document into one block without changing it", "[value]") {
  Value original = sample();
  Value c = compact(original);
  CHECK(c == original);
  CHECK(c.heap_address() != original.heap_address());
  CHECK(to_json_text(c) == to_json_text(original));
  ListView services = c.get("services")->as_list();
  REQUIRE(services.size() == 3);
  // Spans are kept value by value.
  CHECK(services[2].get("caps")->get("dropped")->span().line == 12);
  CHECK(services[2].span().line == 2);
  // Equal texts share one node; keys are shared between maps.
  const Value* n0 = services[0].get("image");
  const Value* n1 = services[1].get("image");
  CHECK(n0->heap_address() == n1->heap_address());
  CHECK(&services[0].as_map()[0].first.str() == &services[1].as_map()[0].first.str());
  // Every node lies inside the block.
  auto inside = [&](const Value& v) {
    auto* p = static_cast<const char*>(v.heap_address());
    auto* base = static_cast<const char*>(c.heap_address());
    return p > base - 4096 && p < base + 65536;
  };
  CHECK(inside(*services[1].get("caps")));
  CHECK(inside(*services[1].get("name")));
}

TEST_CASE("map keys are interned: compacted documents share them with compiled fields", "[value]") {
  const std::string* name = intern_key("name");
  REQUIRE(name != nullptr);
  CHECK(intern_key("name") == name);
  CHECK(*name == "name");
  CHECK(intern_key(std::string(300, 'k')) == nullptr);  // too long: kept with its document
  Value c = compact(sample());
  const Value& service = c.get("services")->as_list()[0];
  CHECK(service.as_map()[0].first.address() == name);
  // A key too long for the table is stored in the block and still reads back.
  Value long_key = compact(Value::map({{std::string(300, 'k'), Value::integer(1)}}));
  CHECK(long_key.as_map()[0].first.str() == std::string(300, 'k'));
  CHECK(long_key.get(std::string(300, 'k'))->as_int() == 1);
}

TEST_CASE("a value copied out of a compacted block keeps the block alive", "[value]") {
  Value service, name, key_holder;
  {
    Value c = compact(sample());
    service = c.get("services")->as_list()[1];
    name = *service.get("name");
    key_holder = *c.get("services");
  }
  // The document is gone; the copies still read the block.
  CHECK(name.as_string() == "svc1");
  CHECK(service.get("privileged")->as_bool());
  CHECK(service.as_map()[4].first == "a key that is longer than fifteen bytes");
  CHECK(service.get("image")->as_string() == "registry.example.com/team/service-with-a-long-name");
  key_holder = Value();
  service = Value();
  CHECK(name.as_string() == "svc1");
}

TEST_CASE("compact() leaves scalars, and values over its limit, as they are", "[value]") {
  Value s = Value::string("text");
  CHECK(compact(s).heap_address() == s.heap_address());
  Value doc = sample();
  CHECK(compact(doc, 64).heap_address() == doc.heap_address());
  Value sets = compact(Value::list({Value::set({Value::integer(2), Value::integer(1)})}));
  CHECK(sets.as_list()[0].is_set());
  CHECK(sets.as_list()[0].as_list()[0].as_int() == 1);
}

TEST_CASE("compact: map and string nodes sit 16 bytes past a 32-byte boundary") {
  // So that no map entry, and no short string's body, straddles two cache lines.
  List services;
  for (int i = 0; i < 20; ++i) {
    Entries fields = {{"name", Value::string("s" + std::to_string(i))},
                      {"privileged", Value::boolean(i % 2 == 0)},
                      {"caps", Value::map({{"dropped", Value::list({Value::string("ALL")})}})},
                      {"image", Value::string(std::string(static_cast<size_t>(i), 'x'))}};
    services.push_back(Value::map(std::move(fields)));
  }
  Value doc = compact(Value::map({{"services", Value::list(std::move(services))}}));
  auto aligned = [](const Value& v) {
    return (reinterpret_cast<uintptr_t>(v.heap_address()) + 16) % 32 == 0;
  };
  CHECK(aligned(doc));
  for (const Value& s : doc.get("services")->as_list()) {
    CHECK(aligned(s));
    CHECK(aligned(*s.get("name")));
    CHECK(aligned(*s.get("caps")));
    const Value& image = *s.get("image");
    if (!image.as_string().empty()) CHECK(aligned(image));
  }
}

}  // namespace
}  // namespace capguard

namespace capguard {

TEST_CASE("BlockWriter writes a compacted document; compact() shares it instead of copying",
          "[value]") {
  BlockWriter::Plan plan;
  plan.node_bytes =
      BlockWriter::list_bytes(3) + BlockWriter::map_bytes(1) + BlockWriter::string_bytes() * 2;
  plan.heap_texts = 1;
  Value raw;
  {
    BlockWriter w(plan);
    Value* items = w.list(w.root(), 3, Span{1, 1, 1, 0});
    const value_detail::Node* a = w.string(items, std::string(40, 'a'), Span{1, 1, 2, 42});
    BlockWriter::shared_string(items + 1, a, Span{1, 2, 2, 42});
    MapEntry* e = w.map(items + 2, 1, Span{1, 3, 2, 0});
    w.string(w.key(e, "k"), "v", Span{1, 3, 8, 3});
    raw = w.finish();
  }
  CHECK(to_json_text(raw) ==
        "[\"" + std::string(40, 'a') + "\",\"" + std::string(40, 'a') + "\",{\"k\":\"v\"}]");
  CHECK(raw.as_list()[1].span().line == 2);
  CHECK(raw.as_list()[0].heap_address() == raw.as_list()[1].heap_address());
  Value doc = compact(Value::map({{"raw", raw}, {"name", Value::string("x")}}));
  const Value* kept = doc.get("raw");
  REQUIRE(kept);
  CHECK(kept->heap_address() == raw.heap_address());  // shared, not copied
  CHECK(compact(raw).heap_address() == raw.heap_address());
  raw = Value();  // the document's block now holds the only count on the written block
  CHECK(to_json_text(doc) == "{\"raw\":[\"" + std::string(40, 'a') + "\",\"" +
                                 std::string(40, 'a') + "\",{\"k\":\"v\"}],\"name\":\"x\"}");
}

}  // namespace capguard

namespace capguard {

TEST_CASE("map_of_two is the map of its two entries", "[value]") {
  Span span{2, 3, 4, 5};
  std::string long_key(40, 'k');
  Value v = Value::map_of_two("key", Value::string("a long text, longer than fifteen bytes"),
                              long_key, Value::integer(7), span);
  Value want = Value::map({{"key", Value::string("a long text, longer than fifteen bytes")},
                           {long_key, Value::integer(7)}},
                          span);
  CHECK(v == want);
  CHECK(v.span().line == 3);
  REQUIRE(v.get("key"));
  CHECK(v.get("key")->as_string() == "a long text, longer than fifteen bytes");
  REQUIRE(v.get(long_key));
  CHECK(v.get(long_key)->as_int() == 7);
  CHECK(v.get("value") == nullptr);
  Value copy = v;  // shares the node; both are released (AddressSanitizer checks the frees)
  CHECK(copy.as_map().size() == 2);
}

}  // namespace capguard
