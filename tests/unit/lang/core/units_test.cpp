// Size and duration parsing: Docker's memory units (go-units RAMInBytes, plus the `i` forms) and
// Go's time.ParseDuration.
#include <catch2/catch.hpp>

#include "lang/core/units.hpp"

using capguard::units::duration_unit;
using capguard::units::parse_duration;
using capguard::units::parse_size;
using capguard::units::size_unit;

namespace {
constexpr int64_t kKi = 1024;
constexpr int64_t kMi = kKi * 1024;
constexpr int64_t kGi = kMi * 1024;
constexpr int64_t kSecond = 1000000000;
}  // namespace

TEST_CASE("sizes: plain numbers and bytes", "[units]") {
  CHECK(parse_size("0") == 0);
  CHECK(parse_size("512") == 512);
  CHECK(parse_size("100b") == 100);
  CHECK(parse_size("100B") == 100);
}

TEST_CASE("sizes: binary units in every spelling", "[units]") {
  CHECK(parse_size("64k") == 64 * kKi);
  CHECK(parse_size("256M") == 256 * kMi);
  CHECK(parse_size("256m") == 256 * kMi);
  CHECK(parse_size("256MB") == 256 * kMi);
  CHECK(parse_size("512Mi") == 512 * kMi);
  CHECK(parse_size("1GiB") == kGi);
  CHECK(parse_size("1gib") == kGi);
  CHECK(parse_size("2T") == 2 * kGi * 1024);
  CHECK(parse_size("1p") == kGi * kMi);
  CHECK(parse_size("2 GB") == 2 * kGi);
}

TEST_CASE("sizes: fractions truncate to whole bytes", "[units]") {
  CHECK(parse_size("1.5g") == kGi + kGi / 2);
  CHECK(parse_size("0.5k") == 512);
  CHECK(parse_size("1.3b") == 1);
  CHECK(parse_size(".5m") == kMi / 2);
}

TEST_CASE("sizes: bad input is rejected with a reason", "[units]") {
  std::string error;
  CHECK_FALSE(parse_size("", error));
  CHECK(error.find("expected a number") != std::string::npos);
  CHECK_FALSE(parse_size("12x", error));
  CHECK(error ==
        "invalid size \"12x\": unknown unit \"x\" (expected b, k, m, g, t or p, "
        "optionally followed by i and b)");
  CHECK_FALSE(parse_size("M"));
  CHECK_FALSE(parse_size("-1M"));
  CHECK_FALSE(parse_size("1MBB"));
  CHECK_FALSE(parse_size("1bi"));
  CHECK_FALSE(parse_size("1  M"));
  CHECK_FALSE(parse_size(" 1M"));
  CHECK_FALSE(parse_size("10000000p", error));
  CHECK(error == "invalid size \"10000000p\": too large");
  CHECK_FALSE(parse_size("99999999999999999999"));
}

TEST_CASE("size units for the lexer", "[units]") {
  CHECK(size_unit("") == 1);
  CHECK(size_unit("B") == 1);
  CHECK(size_unit("Ki") == kKi);
  CHECK(size_unit("MiB") == kMi);
  CHECK_FALSE(size_unit("s"));
  CHECK_FALSE(size_unit("ms"));
}

TEST_CASE("durations: Go's time.ParseDuration", "[units]") {
  CHECK(parse_duration("0") == 0);
  CHECK(parse_duration("30s") == 30 * kSecond);
  CHECK(parse_duration("1m30s") == 90 * kSecond);
  CHECK(parse_duration("500ms") == kSecond / 2);
  CHECK(parse_duration("1h") == 3600 * kSecond);
  CHECK(parse_duration("1.5h") == 5400 * kSecond);
  CHECK(parse_duration("2h45m0.5s") == (2 * 3600 + 45 * 60) * kSecond + kSecond / 2);
  CHECK(parse_duration("10us") == 10000);
  CHECK(parse_duration("10\xC2\xB5s") == 10000);
  CHECK(parse_duration("7ns") == 7);
  CHECK(parse_duration("-2s") == -2 * kSecond);
  CHECK(parse_duration("+2s") == 2 * kSecond);
  CHECK(parse_duration("-0") == 0);
}

TEST_CASE("durations: bad input is rejected with a reason", "[units]") {
  std::string error;
  CHECK_FALSE(parse_duration("", error));
  CHECK_FALSE(parse_duration("30", error));
  CHECK(error == "invalid duration \"30\": missing unit (ns, us, ms, s, m or h)");
  CHECK_FALSE(parse_duration("1d", error));
  CHECK(error == "invalid duration \"1d\": unknown unit \"d\" (expected ns, us, ms, s, m or h)");
  CHECK_FALSE(parse_duration("s"));
  CHECK_FALSE(parse_duration("1S"));
  CHECK_FALSE(parse_duration("1m 30s"));
  CHECK_FALSE(parse_duration("3000000h", error));
  CHECK(error == "invalid duration \"3000000h\": too large");
  CHECK(duration_unit("ms") == 1000000);
  CHECK_FALSE(duration_unit("d"));
}
