// runtime/eval/simple_regex: within its subset, a pattern matches ASCII text exactly when RE2
// says so (compared on the standard library's patterns and on generated patterns and texts), and
// every pattern outside the subset is refused (the caller then uses RE2).

#include <random>
#include <string>
#include <vector>

#include <re2/re2.h>
#include <catch2/catch.hpp>

#include "runtime/eval/simple_regex.hpp"

using namespace capguard;

namespace {

bool re2_matches(const std::string& pattern, const std::string& text) {
  RE2::Options options;
  options.set_log_errors(false);
  RE2 re(pattern, options);
  REQUIRE(re.ok());
  return RE2::PartialMatch(text, re);
}

// A random pattern of the subset's syntax, and now and then of what is just outside it.
std::string random_body(std::mt19937& rng, int depth) {
  static const std::vector<std::string> atoms = {"a",   "b", "A", "_", "-", ".", "\\.",
                                                 "\\*", "1", "k", "K", " ", "/"};
  static const std::vector<std::string> quantifiers = {"", "", "", "*", "+", "?", "*?", "??"};
  std::uniform_int_distribution<int> pieces(1, 4);
  std::string out;
  int n = pieces(rng);
  for (int i = 0; i < n; ++i) {
    int kind = std::uniform_int_distribution<int>(0, 9)(rng);
    std::string atom;
    if (kind == 0 && depth < 3) {
      atom = "(?:" + random_body(rng, depth + 1) + ")";
    } else if (kind == 1 && depth < 3) {
      atom = "(" + random_body(rng, depth + 1) + "|" + random_body(rng, depth + 1) + ")";
    } else {
      atom = atoms[std::uniform_int_distribution<size_t>(0, atoms.size() - 1)(rng)];
    }
    out +=
        atom + quantifiers[std::uniform_int_distribution<size_t>(0, quantifiers.size() - 1)(rng)];
  }
  return out;
}

// `pattern` is in the subset and matches each of `texts` exactly when RE2 does.
void check_like_re2(const std::string& pattern, const std::vector<std::string>& texts) {
  auto simple = SimpleRegex::parse(pattern);
  INFO(pattern);
  REQUIRE(simple);
  for (const std::string& text : texts) {
    INFO(text);
    CHECK(simple->matches(text) == re2_matches(pattern, text));
  }
}

std::string random_text(std::mt19937& rng) {
  static const std::string alphabet = "abAB_-.*1kK /\n";
  std::uniform_int_distribution<int> length(0, 8);
  std::string out;
  int n = length(rng);
  for (int i = 0; i < n; ++i) {
    out += alphabet[std::uniform_int_distribution<size_t>(0, alphabet.size() - 1)(rng)];
  }
  return out;
}

}  // namespace

TEST_CASE("the standard library's secret-name patterns are in the subset and match as RE2 does") {
  std::vector<std::string> bodies = {
      ".*PASSWORD.*",     ".*PASSWD.*",      ".*SECRET.*",       ".*TOKEN.*",      ".*API_?KEY.*",
      ".*PRIVATE_?KEY.*", ".*ACCESS_?KEY.*", ".*CREDENTIALS?.*", ".*PASSPHRASE.*", "(?:.*_)?PASS",
      ".*_PWD",           ".*_FILE",         ".*_PATH",          ".*_DIR"};
  std::vector<std::string> names = {"POSTGRES_PASSWORD",
                                    "password",
                                    "DB_PASS",
                                    "BYPASS",
                                    "PASS",
                                    "MYSQL_PWD",
                                    "PWD",
                                    "API_KEY",
                                    "apikey",
                                    "APIKEY_FILE",
                                    "GITHUB_TOKEN",
                                    "TOKENS",
                                    "X",
                                    "",
                                    "db_pass\n",
                                    "AWS_SECRET_ACCESS_KEY",
                                    "SSH_PRIVATE_KEY_PATH",
                                    "CREDENTIAL",
                                    "my_credentials_dir",
                                    "a\nPASSWORD"};
  for (const std::string& body : bodies) check_like_re2("(?i)^(?:" + body + ")$", names);
  auto pass = SimpleRegex::parse("(?i)^(?:(?:.*_)?PASS)$");
  REQUIRE(pass);
  CHECK(pass->matches("DB_PASS"));
  CHECK(pass->matches("pass"));
  CHECK_FALSE(pass->matches("BYPASS"));
  CHECK_FALSE(pass->matches("DB_PASSWORDS"));
}

TEST_CASE("generated patterns of the subset match generated texts as RE2 does") {
  std::mt19937 rng(20261205);
  static const std::vector<std::string> prefixes = {"", "^", "(?i)", "(?i)^"};
  static const std::vector<std::string> suffixes = {"", "$"};
  int accepted = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string pattern = prefixes[i % prefixes.size()] + random_body(rng, 0) +
                          suffixes[(i / prefixes.size()) % suffixes.size()];
    auto simple = SimpleRegex::parse(pattern);
    if (!simple) continue;
    ++accepted;
    INFO(pattern);
    for (int t = 0; t < 25; ++t) {
      std::string text = random_text(rng);
      INFO(text);
      REQUIRE(simple->matches(text) == re2_matches(pattern, text));
    }
  }
  // Most generated patterns are in the subset (the rest: a repetition of a repetition).
  CHECK(accepted > 1500);
}

TEST_CASE("patterns outside the subset are refused") {
  for (const char* pattern :
       {"[a-z]", "\\d",       "\\w+",    "a{2}", "(?s).", "(?m)^a$", "(?i:a)", "a**", "a+*",
        "a?+",   "*a",        "+",       "^a|b", "a|b$",  "()",      "(?:)",   "a|",  "|a",
        "(a",    "a)",        "\\",      "a\\b", "é",     "^",       "$",      "",    "a$b",
        "a^",    "(?i)(?i)a", "\\Qa\\E", "a{",   "[",     "]"}) {
    INFO(pattern);
    CHECK_FALSE(SimpleRegex::parse(pattern));
  }
  CHECK_FALSE(SimpleRegex::parse(std::string(600, 'a')));
  CHECK(SimpleRegex::parse(std::string(500, 'a')));
  // An escaped dollar at the end is a literal, not the end of the text.
  auto dollar = SimpleRegex::parse("a\\$");
  REQUIRE(dollar);
  CHECK(dollar->matches("xa$y"));
  CHECK_FALSE(dollar->matches("a"));
  auto slash_dollar = SimpleRegex::parse("a\\\\$");
  REQUIRE(slash_dollar);
  CHECK(slash_dollar->matches("xa\\"));
  CHECK_FALSE(slash_dollar->matches("xa\\y"));
}

TEST_CASE("literal shapes (.*LIT.*, .*LIT, LIT.*, LIT) answer as RE2, newlines included") {
  std::vector<std::string> patterns = {"^(?:.*ab.*)$", "(?i)^(?:.*aB.*)$", "^.*ab$",
                                       "(?i)^.*AB$",   "^ab.*$",           "(?i)^(?:ab.*)$",
                                       "^ab$",         "(?i)^ab$",         "^.*?ab.*?$",
                                       "^(?:.*_)?ab$", "^.*a.*b.*$",       "^.*\\.b$"};
  std::vector<std::string> texts = {"",      "ab",    "AB",   "xab",  "abx",   "xabx", "a\nab",
                                    "ab\nx", "x\nab", "\nab", "ab\n", "a",     "b",    "aab",
                                    "abab",  "_ab",   "x_ab", "x.b",  "xAb\n", "a.b",  "zzAbzz"};
  for (const std::string& pattern : patterns) check_like_re2(pattern, texts);
}
