// Diagnostics stay readable and cheap whatever the input: a huge line is shown as a window around
// the caret, and "did you mean" does not go quadratic on a huge word.
#include <chrono>

#include <catch2/catch.hpp>

#include "lang/core/diagnostics.hpp"

using namespace capguard;

TEST_CASE("an error on a very long line shows a bounded window around the caret") {
  std::string line =
      "image: " + std::string(1'000'000, 'a') + " BAD " + std::string(1'000'000, 'b');
  FileId f = add_source("long.yaml", "services:\n" + line + "\n");
  size_t bad = line.find("BAD");
  Diagnostics diags;
  diags.error(span_at(f, 10 + bad, 10 + bad + 3), "bad thing");
  std::string text = render(diags);
  CHECK(text.size() < 1000);
  CHECK(text.rfind("long.yaml:2:" + std::to_string(bad + 1) + ": error: bad thing\n", 0) == 0);
  // The caret still points at BAD: the same column in the shown line and in the marker line.
  size_t first_nl = text.find('\n');
  size_t second_nl = text.find('\n', first_nl + 1);
  std::string shown = text.substr(first_nl + 1, second_nl - first_nl - 1);
  std::string marker = text.substr(second_nl + 1);
  size_t caret = marker.find('^');
  REQUIRE(caret != std::string::npos);
  CHECK(shown.substr(caret, 3) == "BAD");
  CHECK(marker.find("^~~") == caret);
}

TEST_CASE("a long underline is bounded too") {
  FileId f = add_source("long2.yaml", "k: " + std::string(5'000'000, 'x') + "\n");
  Diagnostics diags;
  diags.error(span_at(f, 3, 5'000'003), "scalar too long");
  std::string text = render(diags);
  CHECK(text.size() < 1000);
  CHECK(text.find("^~~~") != std::string::npos);
}

TEST_CASE("short lines are shown whole") {
  FileId f = add_source("short.yaml", "services: {web: 1}\n");
  Diagnostics diags;
  diags.error(span_at(f, 11, 14), "x");
  CHECK(render(diags) ==
        "short.yaml:1:12: error: x\n"
        " 1 | services: {web: 1}\n"
        "   |            ^~~\n");
}

TEST_CASE("did you mean is fast for a huge unknown word") {
  std::vector<std::string> candidates;
  for (int i = 0; i < 100; ++i) candidates.push_back("field_" + std::to_string(i));
  std::string word(4'000'000, 'x');
  auto start = std::chrono::steady_clock::now();
  CHECK(did_you_mean(word, candidates).empty());
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < 2.0);
  // Still finds close words.
  CHECK(did_you_mean("field_4x", candidates) == "field_4");
  CHECK(did_you_mean("privilegd", {"privileged", "image"}) == "privileged");
}
