// Built-in implementations (runtime/eval/builtins.hpp), called directly by id: results, null
// conventions, and the RuntimeError messages for bad input.
#include <catch2/catch.hpp>

#include <re2/re2.h>

#include "runtime/eval/builtins.hpp"

using namespace capguard;

namespace {

Value call(BuiltinId id, std::vector<Value> args) {
  return call_builtin(id, args.data(), args.size());
}
Value str(const char* s) {
  return Value::string(s);
}
Value num(int64_t i) {
  return Value::integer(i);
}
Value strs(std::initializer_list<const char*> items) {
  List out;
  for (const char* s : items) out.push_back(str(s));
  return Value::list(out);
}
std::string error_of(BuiltinId id, std::vector<Value> args) {
  try {
    call(id, std::move(args));
  } catch (const RuntimeError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("string case and trimming", "[builtins][strings]") {
  CHECK(call(builtin::Lower, {str("NET_Admin")}) == str("net_admin"));
  CHECK(call(builtin::Upper, {str("cap_net_raw")}) == str("CAP_NET_RAW"));
  CHECK(call(builtin::Upper, {str("é")}) == str("é"));  // ASCII only
  CHECK(call(builtin::Trim, {str(" \t x y \n")}) == str("x y"));
  CHECK(call(builtin::Lower, {Value::null()}).is_null());
  CHECK(error_of(builtin::Lower, {num(3)}) == "lower: argument 1 must be a string, got int");
}

TEST_CASE("results keep the span of their subject", "[builtins]") {
  Span span{3, 7, 12, 3};
  Value out = call(builtin::Lower, {Value::string("ABC", span)});
  CHECK(out.span().file == 3);
  CHECK(out.span().line == 7);
  CHECK(out.span().column == 12);
  Value picked = call(builtin::Max, {num(1), Value::integer(5, span)});
  CHECK(picked.span().line == 7);
}

TEST_CASE("prefix, suffix and containment", "[builtins][strings]") {
  CHECK(call(builtin::StartsWith, {str("/var/run/docker.sock"), str("/var/run")}).as_bool());
  CHECK_FALSE(call(builtin::StartsWith, {str("/var"), str("/var/run")}).as_bool());
  CHECK(call(builtin::EndsWith, {str("docker.sock"), str(".sock")}).as_bool());
  CHECK_FALSE(call(builtin::EndsWith, {str("ck"), str(".sock")}).as_bool());
  CHECK_FALSE(call(builtin::StartsWith, {Value::null(), str("x")}).as_bool());
  CHECK(error_of(builtin::StartsWith, {str("x"), Value::null()}) ==
        "starts_with: argument 2 must be a string, got null");
  CHECK(call(builtin::Contains, {str("nginx:latest"), str(":lat")}).as_bool());
  CHECK(call(builtin::Contains, {strs({"a", "b"}), str("b")}).as_bool());
  CHECK_FALSE(call(builtin::Contains, {strs({"a", "b"}), str("c")}).as_bool());
  CHECK(call(builtin::Contains, {Value::list({num(1), num(2)}), Value::number(2.0)}).as_bool());
  Value map = Value::map({{"HOME", str("/root")}});
  CHECK(call(builtin::Contains, {map, str("HOME")}).as_bool());
  Value caps = Value::caps(caps::docker_defaults());
  CHECK(call(builtin::Contains, {caps, str("cap_chown")}).as_bool());
  CHECK_FALSE(call(builtin::Contains, {caps, str("SYS_ADMIN")}).as_bool());
  CHECK_FALSE(call(builtin::Contains, {caps, str("NOT_A_CAP")}).as_bool());
  CHECK_FALSE(call(builtin::Contains, {caps, str("ALL")}).as_bool());
  CHECK(call(builtin::Contains, {Value::caps(caps::kAll), str("ALL")}).as_bool());
  CHECK(error_of(builtin::Contains, {num(1), num(1)}) ==
        "contains: argument 1 must be a string, list, set, map or caps, got int");
}

TEST_CASE("split, join, replace", "[builtins][strings]") {
  CHECK(call(builtin::Split, {str("a,b,,c"), str(",")}) == strs({"a", "b", "", "c"}));
  CHECK(call(builtin::Split, {str("abc"), str("::")}) == strs({"abc"}));
  CHECK(call(builtin::Split, {str("hé"), str("")}) == strs({"h", "é"}));
  CHECK(call(builtin::Split, {Value::null(), str(",")}) == Value::list({}));
  CHECK(call(builtin::Join, {strs({"a", "b"}), str(", ")}) == str("a, b"));
  CHECK(call(builtin::Join, {Value::list({num(1), str("x")}), str("-")}) == str("1-x"));
  CHECK(call(builtin::Replace, {str("a.b.c"), str("."), str("/")}) == str("a/b/c"));
  CHECK(call(builtin::Replace, {str("aaa"), str("aa"), str("b")}) == str("ba"));
  CHECK(error_of(builtin::Replace, {str("x"), str(""), str("y")}) ==
        "replace: argument 2 (the text to replace) must not be empty");
}

TEST_CASE("len, string, empty", "[builtins][strings]") {
  CHECK(call(builtin::Len, {str("héllo")}) == num(5));
  CHECK(call(builtin::Len, {strs({"a", "b"})}) == num(2));
  CHECK(call(builtin::Len, {Value::caps(caps::docker_defaults())}) == num(14));
  CHECK(call(builtin::Len, {Value::map({{"a", num(1)}})}) == num(1));
  CHECK(call(builtin::Len, {Value::null()}) == num(0));
  CHECK(error_of(builtin::Len, {num(3)}) ==
        "len: argument 1 must be a string, list, set, map or caps, got int");
  CHECK(call(builtin::String, {Value::size(256 << 20)}) == str("256MiB"));
  CHECK(call(builtin::String, {Value::duration(90000000000)}) == str("1m30s"));
  CHECK(call(builtin::String, {num(42)}) == str("42"));
  CHECK(call(builtin::String, {Value::null()}) == str("null"));
  CHECK(call(builtin::Empty, {Value::null()}).as_bool());
  CHECK(call(builtin::Empty, {str("")}).as_bool());
  CHECK(call(builtin::Empty, {Value::list({})}).as_bool());
  CHECK(call(builtin::Empty, {Value::map({})}).as_bool());
  CHECK(call(builtin::Empty, {Value::caps(0)}).as_bool());
  CHECK_FALSE(call(builtin::Empty, {str(" ")}).as_bool());
  CHECK_FALSE(call(builtin::Empty, {Value::caps(caps::bit(0))}).as_bool());
  CHECK(error_of(builtin::Empty, {num(0)}) ==
        "empty: argument 1 must be null, a string, list, set, map or caps, got int");
}

TEST_CASE("regular expressions", "[builtins][regex]") {
  CHECK(call(builtin::Matches, {str("nginx:1.27"), str(":[0-9.]+$")}).as_bool());
  CHECK_FALSE(call(builtin::Matches, {str("nginx:latest"), str("^[0-9]+$")}).as_bool());
  CHECK_FALSE(call(builtin::Matches, {Value::null(), str("x")}).as_bool());
  CHECK(call(builtin::Find, {str("registry:5000/app"), str("[0-9]+")}) == str("5000"));
  CHECK(call(builtin::Find, {str("abc"), str("[0-9]+")}).is_null());
  CHECK(call(builtin::FindAll, {str("a1b22c333"), str("[0-9]+")}) == strs({"1", "22", "333"}));
  CHECK(call(builtin::FindAll, {str("ab"), str("x*")}) == strs({"", "", ""}));
  CHECK(call(builtin::FindAll, {str("é"), str("")}) == strs({"", ""}));
  CHECK(error_of(builtin::Matches, {str("x"), str("(")}) ==
        "matches: invalid regular expression \"(\": missing ): (");
  CHECK(error_of(builtin::Find, {num(1), str("x")}) ==
        "find: argument 1 must be a string, got int");
  // Patterns of SimpleRegex's subset answer ASCII text without RE2, and non-ASCII text with it:
  // the same answers, the same errors.
  CHECK(call(builtin::Matches, {str("DB_PASSWORD"), str("(?i)^(?:.*password.*)$")}).as_bool());
  CHECK_FALSE(call(builtin::Matches, {str("BYPASS"), str("(?i)^(?:(?:.*_)?PASS)$")}).as_bool());
  CHECK(call(builtin::Matches, {str("\xe2\x84\xaa"), str("(?i)^k$")}).as_bool());  // Kelvin sign
  CHECK_FALSE(call(builtin::Matches, {str("\xe2\x84\xaa"), str("^k$")}).as_bool());
  CHECK(call(builtin::Matches, {str("a\nb"), str("a.b")}).as_bool() == false);
  CHECK(error_of(builtin::Matches, {num(1), str("a.b")}) ==
        "matches: argument 1 must be a string, got int");
  CHECK(error_of(builtin::Matches, {str("x"), num(1)}) ==
        "matches: argument 2 must be a string, got int");
}

TEST_CASE("precompiled regular expressions", "[builtins][regex]") {
  CHECK(regex_argument(builtin::Matches) == 1);
  CHECK(regex_argument(builtin::FindAll) == 1);
  CHECK(regex_argument(builtin::Lower) == -1);
  std::string error;
  auto re = compile_regex("^CAP_", error);
  REQUIRE(re);
  Value args[] = {str("CAP_SYS_ADMIN"), Value::null()};
  CHECK(call_builtin_regex(builtin::Matches, args, 2, *re).as_bool());
  CHECK(call_builtin_regex(builtin::Find, args, 2, *re) == str("CAP_"));
  CHECK_FALSE(compile_regex("a{2,1}", error));
  CHECK(error == "invalid repetition size: {2,1}");
}

TEST_CASE("glob and paths", "[builtins][glob]") {
  CHECK(call(builtin::Glob, {str("nginx:1.27"), str("nginx:*")}).as_bool());
  CHECK_FALSE(call(builtin::Glob, {str("/var/run/docker.sock"), str("/var/*")}).as_bool());
  CHECK(call(builtin::Glob, {str("/var/run/docker.sock"), str("/var/**")}).as_bool());
  CHECK_FALSE(call(builtin::Glob, {Value::null(), str("*")}).as_bool());
  CHECK(error_of(builtin::Glob, {str("a"), str("[a")}) ==
        "glob: invalid pattern \"[a\": unterminated '[' (a class ends with ']')");
  CHECK(call(builtin::PathUnder, {str("/etc/ssl/../passwd"), str("/etc")}).as_bool());
  CHECK(call(builtin::PathUnder, {str("/etc/"), str("/etc")}).as_bool());
  CHECK_FALSE(call(builtin::PathUnder, {str("/etcetera"), str("/etc")}).as_bool());
  CHECK_FALSE(call(builtin::PathUnder, {str("/etc/../var"), str("/etc")}).as_bool());
  CHECK(call(builtin::CleanPath, {str("/a//b/./c/../")}) == str("/a/b"));
}

TEST_CASE("sizes and durations", "[builtins][units]") {
  CHECK(call(builtin::Size, {str("512Mi")}) == Value::size(512 << 20));
  CHECK(call(builtin::Size, {num(1024)}) == Value::size(1024));
  CHECK(call(builtin::Size, {Value::null()}).is_null());
  CHECK(call(builtin::Size, {str("1.5g")}).kind() == Kind::Size);
  CHECK(error_of(builtin::Size, {str("12x")}) ==
        "size: invalid size \"12x\": unknown unit \"x\" (expected b, k, m, g, t or p, optionally "
        "followed by i and b)");
  CHECK(error_of(builtin::Size, {num(-1)}) == "size: a size cannot be negative (-1)");
  CHECK(call(builtin::Duration, {str("1m30s")}) == Value::duration(90000000000));
  CHECK(call(builtin::Duration, {num(5)}) == Value::duration(5));
  CHECK(error_of(builtin::Duration, {str("10")}) ==
        "duration: invalid duration \"10\": missing unit (ns, us, ms, s, m or h)");
  CHECK(call(builtin::ToBytes, {Value::size(2048)}) == num(2048));
  CHECK(call(builtin::ToBytes, {Value::size(2048)}).kind() == Kind::Int);
  CHECK(call(builtin::ToSeconds, {Value::duration(1500000000)}) == Value::number(1.5));
  CHECK(error_of(builtin::ToBytes, {str("1M")}) ==
        "to_bytes: argument 1 must be a size, got string");
}

TEST_CASE("number conversions", "[builtins][numbers]") {
  CHECK(call(builtin::Int, {str("-42")}) == num(-42));
  CHECK(call(builtin::Int, {str("+7")}) == num(7));
  CHECK(call(builtin::Int, {Value::number(2.9)}) == num(2));
  CHECK(call(builtin::Int, {Value::number(-2.9)}) == num(-2));
  CHECK(call(builtin::Int, {Value::boolean(true)}) == num(1));
  CHECK(call(builtin::Int, {Value::size(4096)}) == num(4096));
  CHECK(error_of(builtin::Int, {str("1.5")}) == "int: \"1.5\" is not an integer");
  CHECK(error_of(builtin::Int, {str("")}) == "int: \"\" is not an integer");
  CHECK(error_of(builtin::Int, {Value::number(1e300)}) == "int: 1e+300 is out of the range of int");
  CHECK(call(builtin::Float, {str("0.25")}) == Value::number(0.25));
  CHECK(call(builtin::Float, {num(3)}).kind() == Kind::Float);
  CHECK(error_of(builtin::Float, {str("nan")}) == "float: \"nan\" is not a number");
  CHECK(call(builtin::Int, {Value::null()}).is_null());
}

TEST_CASE("min, max, abs, sum", "[builtins][numbers]") {
  CHECK(call(builtin::Min, {num(3), num(1), num(2)}) == num(1));
  CHECK(call(builtin::Max, {num(3), Value::number(3.5)}) == Value::number(3.5));
  CHECK(call(builtin::Max, {Value::list({Value::size(1), Value::size(9)})}) == Value::size(9));
  CHECK(call(builtin::Min, {Value::list({})}).is_null());
  CHECK(call(builtin::Min, {str("b"), str("a")}) == str("a"));
  CHECK(error_of(builtin::Min, {num(1), str("a")}) == "min: cannot compare int with string");
  CHECK(error_of(builtin::Max, {Value::list({Value::null()})}) ==
        "max: cannot order values of kind null");
  CHECK(call(builtin::Abs, {num(-5)}) == num(5));
  CHECK(call(builtin::Abs, {Value::number(-0.5)}) == Value::number(0.5));
  CHECK(call(builtin::Abs, {Value::duration(-3)}) == Value::duration(3));
  CHECK(error_of(builtin::Abs, {num(INT64_MIN)}) == "abs: integer overflow");
  CHECK(call(builtin::Sum, {Value::list({num(1), num(2), num(3)})}) == num(6));
  CHECK(call(builtin::Sum, {Value::list({num(1), Value::number(0.5)})}) == Value::number(1.5));
  CHECK(call(builtin::Sum, {Value::list({Value::size(1), Value::size(2)})}) == Value::size(3));
  CHECK(call(builtin::Sum, {Value::list({})}) == num(0));
  CHECK(call(builtin::Sum, {Value::list({}), Value::size(0)}) == Value::size(0));
  CHECK(call(builtin::Sum, {Value::list({Value::size(1)}), Value::size(5)}) == Value::size(6));
  CHECK(error_of(builtin::Sum, {Value::list({Value::size(1), num(2)})}) ==
        "sum: cannot add int to size");
  CHECK(error_of(builtin::Sum, {Value::list({num(INT64_MAX), num(1)})}) == "sum: integer overflow");
}

TEST_CASE("lists, sets and maps", "[builtins][collections]") {
  Value set = call(builtin::Set, {strs({"b", "a", "b"})});
  CHECK(set.kind() == Kind::Set);
  CHECK(set.as_list().size() == 2);
  CHECK(set.as_list()[0] == str("a"));
  CHECK(call(builtin::List, {set}).kind() == Kind::List);
  CHECK(call(builtin::Sort, {Value::list({num(3), Value::number(1.5), num(2)})}) ==
        Value::list({Value::number(1.5), num(2), num(3)}));
  CHECK(call(builtin::Set, {Value::null()}) == Value::set({}));
  CHECK(call(builtin::List, {Value::caps(caps::bit(0) | caps::bit(12))}) ==
        strs({"CHOWN", "NET_ADMIN"}));
  Value map = Value::map({{"b", num(1)}, {"a", num(2)}});
  CHECK(call(builtin::Keys, {map}) == strs({"b", "a"}));
  CHECK(call(builtin::Values, {map}) == Value::list({num(1), num(2)}));
  CHECK(call(builtin::List, {map}).as_list()[0] ==
        Value::map({{"key", str("b")}, {"value", num(1)}}));
  CHECK(call(builtin::HasKey, {map, str("a")}).as_bool());
  CHECK_FALSE(call(builtin::HasKey, {map, str("c")}).as_bool());
  CHECK_FALSE(call(builtin::HasKey, {Value::null(), str("c")}).as_bool());
  CHECK(error_of(builtin::Keys, {strs({"a"})}) == "keys: argument 1 must be a map, got list");
  CHECK(call(builtin::Flatten, {Value::list({strs({"a"}), strs({"b", "c"}), strs({})})}) ==
        strs({"a", "b", "c"}));
  CHECK(call(builtin::Default, {Value::null(), str("x")}) == str("x"));
  CHECK(call(builtin::Default, {str(""), str("x")}) == str(""));
  CHECK(call(builtin::TypeOf, {Value::size(1)}) == str("size"));
  CHECK(call(builtin::TypeOf, {Value::null()}) == str("null"));
}

TEST_CASE("capabilities", "[builtins][caps]") {
  Value added = strs({"cap_net_admin", "SYS_TIME", "BOGUS"});
  CHECK(call(builtin::Caps, {added}) == Value::caps(caps::bit(12) | caps::bit(25)));
  CHECK(call(builtin::Caps, {str("ALL")}) == Value::caps(caps::kAll));
  CHECK(call(builtin::Caps, {Value::null()}) == Value::caps(0));
  CHECK(error_of(builtin::Caps, {Value::list({num(1)})}) ==
        "caps: argument 1 must be capability names (strings or caps), got int");
  CHECK(call(builtin::CapName, {str("cap_sys_admin")}) == str("SYS_ADMIN"));
  CHECK(call(builtin::CapName, {str("all")}) == str("ALL"));
  CHECK(call(builtin::CapName, {str("NET_ADMN")}).is_null());
  CHECK(call(builtin::IsCapability, {str("Net_Raw")}).as_bool());
  CHECK_FALSE(call(builtin::IsCapability, {str("ALL")}).as_bool());
  CHECK(call(builtin::UnknownCaps, {added}) == strs({"BOGUS"}));
  CHECK(call(builtin::AllCaps, {}) == Value::caps(caps::kAll));
  CHECK(call(builtin::DockerDefaultCaps, {}) == Value::caps(caps::docker_defaults()));
  CHECK(call(builtin::DangerousCaps, {}) == Value::caps(caps::dangerous()));
}

TEST_CASE("effective capabilities follow Docker", "[builtins][caps]") {
  const caps::Mask defaults = caps::docker_defaults();
  auto effective = [](Value privileged, Value add, Value drop) {
    return call(builtin::EffectiveCaps, {privileged, add, drop}).as_caps();
  };
  Value no = Value::boolean(false);
  CHECK(effective(no, Value::null(), Value::null()) == defaults);
  CHECK(effective(Value::boolean(true), Value::null(), strs({"ALL"})) == caps::kAll);
  CHECK(effective(no, strs({"NET_ADMIN"}), strs({"ALL"})) == caps::bit(12));
  CHECK(effective(no, strs({"ALL"}), Value::null()) == caps::kAll);
  CHECK(effective(no, Value::null(), strs({"chown", "CAP_KILL"})) ==
        (defaults & ~caps::bit(0) & ~caps::bit(5)));
  CHECK(effective(Value::null(), Value::caps(caps::bit(12)), Value::caps(caps::kAll)) ==
        caps::bit(12));
  // The engine's rule (moby oci/caps TweakCapabilities): cap_add ALL is every capability but the
  // ones cap_drop names, ALL in cap_drop included.
  CHECK(effective(no, strs({"ALL"}), strs({"ALL"})) == caps::kAll);
  CHECK(effective(no, strs({"ALL", "SYS_ADMIN"}), strs({"SYS_ADMIN"})) ==
        (caps::kAll & ~caps::bit(21)));
  CHECK(effective(no, strs({"all"}), strs({"ALL", "cap_net_raw"})) ==
        (caps::kAll & ~caps::bit(13)));
  CHECK(effective(no, Value::caps(caps::kAll), Value::caps(caps::kAll)) == caps::kAll);
  CHECK(effective(no, strs({"NET_ADMIN"}), strs({"NET_ADMIN"})) == (defaults | caps::bit(12)));
  CHECK(error_of(builtin::EffectiveCaps, {str("yes"), Value::null(), Value::null()}) ==
        "effective_caps: argument 1 must be a bool, got string");
}
