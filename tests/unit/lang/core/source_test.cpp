#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include "lang/core/caps.hpp"
#include "lang/core/diagnostics.hpp"
#include "lang/core/source.hpp"
#include "lang/core/value.hpp"

using namespace capguard;

TEST_CASE("diagnostics render location, source line and caret") {
  FileId f = add_source("p.policy", "policy \"x\" {\n  deny when s.privilegd\n}\n");
  Diagnostics ds;
  ds.error(Span{f, 2, 15, 9}, "unknown field `privilegd`; did you mean `privileged`?");
  CHECK(render(ds) ==
        "p.policy:2:15: error: unknown field `privilegd`; did you mean `privileged`?\n"
        " 2 |   deny when s.privilegd\n"
        "   |               ^~~~~~~~~\n");
  CHECK(ds.has_errors());
}

TEST_CASE("span_at computes line and column from byte offsets") {
  FileId f = add_source("a", "ab\ncd\n");
  Span s = span_at(f, 4, 5);
  CHECK(s.line == 2);
  CHECK(s.column == 2);
  CHECK(s.length == 1);
}

TEST_CASE("did_you_mean finds close names only") {
  std::vector<std::string> fields = {"privileged", "read_only", "caps", "user"};
  CHECK(did_you_mean("privilegd", fields) == "privileged");
  CHECK(did_you_mean("readonly", fields) == "read_only");
  CHECK(did_you_mean("usre", fields) == "user");
  CHECK(did_you_mean("network", fields).empty());
}

TEST_CASE("capability names parse in any case with optional CAP_ prefix") {
  CHECK(caps::parse("NET_ADMIN") == 12);
  CHECK(caps::parse("cap_net_admin") == 12);
  CHECK(caps::parse("all") == -1);
  CHECK_FALSE(caps::parse("NET_BIND_SERVICES").has_value());
  CHECK(caps::names(caps::docker_defaults()).size() == 14);
  CHECK(caps::parse("CHECKPOINT_RESTORE") == 40);
}

TEST_CASE("effective capabilities follow Docker") {
  using namespace caps;
  Mask net_admin = bit(*parse("NET_ADMIN"));
  CHECK(effective(false, 0, false, 0, false) == docker_defaults());
  CHECK(effective(false, net_admin, false, 0, true) == net_admin);
  CHECK(effective(true, 0, false, 0, true) == kAll);
  CHECK(effective(false, 0, true, net_admin, false) == (kAll & ~net_admin));
}

TEST_CASE("values compare structurally and render as JSON") {
  Value a = Value::list({Value::integer(1), Value::string("x")});
  Value b = Value::list({Value::number(1.0), Value::string("x")});
  CHECK(a == b);
  Value s = Value::set({Value::integer(3), Value::integer(1), Value::integer(3)});
  CHECK(to_json_text(s) == "[1,3]");
  Value m = Value::map({{"k", Value::boolean(true)}, {"c", Value::caps(caps::bit(0))}});
  CHECK(to_json_text(m) == "{\"k\":true,\"c\":[\"CHOWN\"]}");
  CHECK(format_size(256 * 1024 * 1024) == "256MiB");
  // The largest unit the size is a whole number of.
  CHECK(format_size(0) == "0B");
  CHECK(format_size(1023) == "1023B");
  CHECK(format_size(1024) == "1KiB");
  CHECK(format_size(1536) == "1536B");
  CHECK(format_size(1025 * 1024) == "1025KiB");
  CHECK(format_size(-2048) == "-2KiB");
  CHECK(format_size(int64_t{3} << 50) == "3PiB");
  CHECK(format_size(int64_t{5} << 60) == "5120PiB");
  CHECK(format_size(INT64_MAX) == "8192PiB");  // as a double, INT64_MAX is 2^63
  CHECK(format_duration(90'000'000'000) == "1m30s");
  CHECK(to_display(Value::caps(caps::bit(12) | caps::bit(21))) == "NET_ADMIN, SYS_ADMIN");
}

TEST_CASE("release_source frees the text and keeps the id and name") {
  FileId id = add_source("doc.policy", "line one\nline two\n");
  CHECK(source(id).line_text(2) == "line two");
  release_source(id);
  CHECK(source_name(id) == "doc.policy");
  CHECK(source(id).text().empty());
  CHECK(source(id).line_text(2).empty());
  CHECK(source(id).line_count() == 1);
  // Released before its lines were ever counted: counted then as an empty text's.
  FileId never = add_source("never.yaml", "a\nb\nc\n");
  release_source(never);
  CHECK(source(never).line_count() == 1);
  CHECK(source(never).line_text(1).empty());
  CHECK(source(never).position(0) == std::pair<uint32_t, uint32_t>{1, 1});
}

TEST_CASE("a static source is the text itself, not a copy; its lines are counted when asked") {
  static const char kText[] = "first\r\nsecond\nthird";
  FileId id = add_static_source("static.policy", kText);
  CHECK(source(id).text().data() == kText);
  CHECK(source(id).line_count() == 3);
  CHECK(source(id).line_text(1) == "first");
  CHECK(source(id).line_text(3) == "third");
  CHECK(source(id).position(7) == std::pair<uint32_t, uint32_t>{2, 1});
  CHECK(span_at(id, 14, 19).line == 3);
}

TEST_CASE("SourceRecorder records what its thread registers while it lives, innermost first") {
  FileId before = add_source("rec-before.yaml", "a\n");
  std::vector<FileId> outer_ids, inner_ids, other_thread;
  {
    SourceRecorder outer;
    FileId a = add_source("rec-a.yaml", "a\n");
    {
      SourceRecorder inner;
      FileId b = add_source("rec-b.yaml", "b\n");
      inner_ids = inner.take();
      CHECK(inner_ids == std::vector<FileId>{b});
    }
    std::thread([&] { other_thread.push_back(add_source("rec-t.yaml", "t\n")); }).join();
    FileId c = add_source("rec-c.yaml", "c\n");
    outer_ids = outer.take();
    CHECK(outer_ids == std::vector<FileId>{a, c});  // not the inner one's, nor another thread's
  }
  FileId after = add_source("rec-after.yaml", "a\n");
  CHECK(before != 0);
  CHECK(after > before);
  CHECK(other_thread.size() == 1);
}
