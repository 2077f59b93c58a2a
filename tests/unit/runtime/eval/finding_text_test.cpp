// FindingText: the text findings refer to stays where it was written while more is added.

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/eval/finding.hpp"

using namespace capguard;

TEST_CASE("finding text: views stay valid and exact as blocks are added") {
  FindingText text;
  std::vector<std::pair<std::string_view, std::string>> kept;
  // Far more than the inline first block, in sizes from empty to larger than a whole block.
  for (size_t i = 0; i < 3000; ++i) {
    std::string s(i % 50 == 0 ? 5000 + i : i % 37, static_cast<char>('a' + i % 26));
    s += std::to_string(i);
    kept.emplace_back(text.add(s), s);
  }
  for (const auto& [view, original] : kept) CHECK(view == original);
  CHECK(text.add("").empty());
  char* room = text.allocate(3);
  room[0] = 'x';
  room[1] = 'y';
  room[2] = 'z';
  CHECK(std::string_view(room, 3) == "xyz");
  CHECK(kept.front().first == kept.front().second);  // still there after all of it
}
