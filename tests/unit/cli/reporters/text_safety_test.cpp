// Bytes that are not text in what capguard prints (lang/core/diagnostics.hpp: printable_text,
// valid_utf8, display_width, clip_text, the caret under a source line) and in the reporters.
#include <catch2/catch.hpp>

#include <random>

#include <nlohmann/json.hpp>

#include "cli/reporters/reporters.hpp"
#include "lang/core/diagnostics.hpp"
#include "report_fixture.hpp"

using namespace capguard;
using namespace capguard::cli;

namespace {

// Whether `text` is valid UTF-8, by a parser other than capguard's: nlohmann's JSON parser
// rejects a string literal holding invalid UTF-8.
bool is_valid_utf8(const std::string& text) {
  std::string literal = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      literal += '\\';
      literal += static_cast<char>(c);
    } else if (c < 0x20) {
      literal += "\\u00";
      literal += "0123456789abcdef"[c >> 4];
      literal += "0123456789abcdef"[c & 15];
    } else {
      literal += static_cast<char>(c);
    }
  }
  literal += '"';
  return !nlohmann::json::parse(literal, nullptr, false).is_discarded();
}

// Where a terminal shows each character of `line`: tabs to the next multiple of 8, other
// characters by their display width. Returns the text shown from display column `column` on.
std::string shown_from(const std::string& line, size_t column) {
  size_t at = 0;
  for (size_t i = 0; i < line.size();) {
    if (at == column) return line.substr(i);
    size_t length = std::max<size_t>(1, utf8_sequence_length(line, i));
    at = line[i] == '\t' ? (at / 8 + 1) * 8 : at + display_width(line.substr(i, length));
    i += length;
  }
  return "";
}

// The text of the source line that the caret line's `^` stands under, as a terminal shows both.
std::string under_caret(const std::string& rendered) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t nl; (nl = rendered.find('\n', start)) != std::string::npos; start = nl + 1) {
    lines.push_back(rendered.substr(start, nl - start));
  }
  REQUIRE(lines.size() >= 3);
  const std::string& caret_line = lines[2];
  size_t caret = caret_line.find('^');
  REQUIRE(caret != std::string::npos);
  size_t column = 0;  // of the caret: the caret line's prefix is spaces and tabs
  for (size_t i = 0; i < caret; ++i)
    column = caret_line[i] == '\t' ? (column / 8 + 1) * 8 : column + 1;
  return shown_from(lines[1], column);
}

}  // namespace

TEST_CASE("utf8_sequence_length accepts well-formed UTF-8 only") {
  CHECK(utf8_sequence_length("a", 0) == 1);
  CHECK(utf8_sequence_length("\xc3\xa9", 0) == 2);
  CHECK(utf8_sequence_length("\xe6\x97\xa5", 0) == 3);
  CHECK(utf8_sequence_length("\xf0\x9f\x98\x80", 0) == 4);
  CHECK(utf8_sequence_length("\xff", 0) == 0);
  CHECK(utf8_sequence_length("\xc3", 0) == 0);              // truncated
  CHECK(utf8_sequence_length("\xc0\xaf", 0) == 0);          // overlong
  CHECK(utf8_sequence_length("\xe0\x80\xaf", 0) == 0);      // overlong
  CHECK(utf8_sequence_length("\xed\xa0\x80", 0) == 0);      // a surrogate
  CHECK(utf8_sequence_length("\xf4\x90\x80\x80", 0) == 0);  // above U+10FFFF
  CHECK(utf8_sequence_length("\x80", 0) == 0);              // a stray continuation byte
  char32_t cp = 0;
  CHECK(utf8_sequence_length("\xe6\x97\xa5", 0, &cp) == 3);
  CHECK(cp == 0x65E5);
}

TEST_CASE("printable_text escapes invalid bytes and control characters, keeps text") {
  CHECK(printable_text("caf\xc3\xa9 \xe6\x97\xa5") == "caf\xc3\xa9 \xe6\x97\xa5");
  CHECK(printable_text("caf\xe9") == "caf\\xe9");
  CHECK(printable_text("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m");
  CHECK(printable_text(std::string("a\0b", 3)) == "a\\x00b");
  CHECK(printable_text("a\tb\nc\x7f") == "a\tb\nc\\x7f");
  CHECK(printable_text("a\nb", false) == "a\\x0ab");
  CHECK(printable_text("\xc2\x9b") == "\\u009b");  // C1 control (CSI)
  CHECK(printable_text("\xc3") == "\\xc3");        // a character cut in two
  CHECK(printable_text("\xed\xa0\x80") == "\\xed\\xa0\\x80");
}

TEST_CASE("valid_utf8 replaces each invalid byte with U+FFFD") {
  CHECK(valid_utf8("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(valid_utf8("caf\xe9!") == "caf\xef\xbf\xbd!");
  CHECK(valid_utf8("\xff\xfe") == "\xef\xbf\xbd\xef\xbf\xbd");
  CHECK(valid_utf8("\x1b") == "\x1b");  // valid: the formats escape controls themselves
  CHECK(is_valid_utf8(valid_utf8("\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80 x")));
}

TEST_CASE("display_width counts terminal columns of the printed text") {
  CHECK(display_width("abc") == 3);
  CHECK(display_width("caf\xc3\xa9") == 4);
  CHECK(display_width("\xe6\x97\xa5\xe6\x9c\xac") == 4);  // two wide characters
  CHECK(display_width("e\xcc\x81") == 1);                 // e + combining acute
  CHECK(display_width("\xff") == 4);                      // printed \xff
}

TEST_CASE("clip_text cuts long text on a character boundary and says how long it was") {
  CHECK(clip_text("short", 10) == "short");
  std::string text = std::string(9, 'a') + "\xc3\xa9" + "bbbb";  // é straddles byte 10
  std::string cut = clip_text(text, 10);
  CHECK(cut == std::string(9, 'a') + "... (cut: 15 bytes in all)");
  CHECK(is_valid_utf8(cut));
}

TEST_CASE("Diagnostics::add cuts huge messages, notes included") {
  Diagnostics diags;
  Diagnostic d;
  d.message = "value " + std::string(1 << 20, 'x');
  d.notes.push_back(Diagnostic{DiagLevel::Note, Span{}, std::string(1 << 20, 'y'), {}, {}});
  diags.add(d);
  const Diagnostic& kept = diags.all()[0];
  CHECK(kept.message.size() < kMaxShownTextBytes + 64);
  CHECK(kept.message.find("(cut: 1048582 bytes in all)") != std::string::npos);
  CHECK(kept.notes[0].message.size() < kMaxShownTextBytes + 64);
  CHECK(render(diags).size() < 3 * kMaxShownTextBytes);
}

TEST_CASE("the caret stays under its column after invalid bytes, wide characters and tabs") {
  std::string line = "  x == \"caf\xe9\t\xe6\x97\xa5\xe6\x9c\xac\" and s.privilegd";
  size_t column = line.find("s.privilegd") + 1;
  FileId file = add_source("caret.policy", line + "\n");
  std::string out = render(
      Diagnostic{DiagLevel::Error, Span{file, 1, static_cast<uint32_t>(column), 11}, "m", {}, {}});
  INFO(out);
  CHECK(is_valid_utf8(out));
  CHECK(out.find("\"caf\\xe9\t") != std::string::npos);  // the source line, escaped
  // Tabs are kept in the caret line, so that a terminal expands both lines alike.
  CHECK(under_caret(out).rfind("s.privilegd", 0) == 0);
  CHECK(out.find("^~~~~~~~~~~\n") != std::string::npos);  // as wide as `s.privilegd`
}

TEST_CASE("the caret under an invalid byte is as wide as its escape") {
  FileId file = add_source("bytes.yaml", "    privileged: \xfftrue\n");
  std::string out = render(Diagnostic{DiagLevel::Error, Span{file, 1, 17, 1}, "m", {}, {}});
  CHECK(out.find(" 1 |     privileged: \\xfftrue\n") != std::string::npos);
  CHECK(out.find("   |                 ^~~~\n") != std::string::npos);
}

TEST_CASE("a long line with stray continuation bytes stays a short excerpt") {
  std::string line = "key: " + std::string(100000, '\x80');
  FileId file = add_source("stray.yaml", line + "\n");
  std::string out = render(Diagnostic{DiagLevel::Error, Span{file, 1, 50000, 1}, "m", {}, {}});
  CHECK(out.size() < 2000);
}

TEST_CASE("every report format is valid UTF-8 when inputs and policies are not") {
  Report r = testing::sample_report();
  r.policies[0].title = "Privil\xe8ged \xe6\x97\xa5";
  r.policies[0].remediation = "Remove \xff it";
  r.findings[0].message =
      "service w\xff"
      "eb runs \x1b[31mprivileged\x1b[0m (\xc3)";
  r.findings[0].title = r.policies[0].title;
  r.findings[0].service =
      "w\xff"
      "eb";
  r.inputs[0].services[0] =
      "w\xff"
      "eb";
  Diagnostic d{DiagLevel::Error,
               Span{},
               "bad value \"caf\xe9\"",
               {},
               "b\xe4"
               "d.yaml"};
  r.errors.push_back(to_report_message(d));
  for (Format f : {Format::Text, Format::Json, Format::Sarif, Format::Junit, Format::Github}) {
    INFO(format_name(f));
    std::string out = render_report(f, r, RenderOptions{});
    CHECK(is_valid_utf8(out));
    // Text escapes ESC; JSON and SARIF write it \u001b; JUnit replaces it (XML 1.0).
    if (f != Format::Github) CHECK(out.find("\x1b[31m") == std::string::npos);
  }
  std::string text = render_report(Format::Text, r, RenderOptions{});
  CHECK(text.find("service w\\xffeb runs \\x1b[31mprivileged\\x1b[0m (\\xc3)") !=
        std::string::npos);
  CHECK(text.find("high T-PRIV: Privil\\xe8ged \xe6\x97\xa5") != std::string::npos);
  nlohmann::json json = nlohmann::json::parse(render_report(Format::Json, r, RenderOptions{}));
  CHECK(json["findings"][0]["service"] ==
        "w\xef\xbf\xbd"
        "eb");
  CHECK(json["errors"][0]["file"] ==
        "b\xef\xbf\xbd"
        "d.yaml");
  std::string junit = render_report(Format::Junit, r, RenderOptions{});
  CHECK(junit.find("\x1b") == std::string::npos);  // XML 1.0 forbids it
}

TEST_CASE("xml_escape: invalid UTF-8 becomes U+FFFD, forbidden characters ?") {
  CHECK(xml_escape("a<b & \"c\"") == "a&lt;b &amp; &quot;c&quot;");
  CHECK(xml_escape("caf\xe9") == "caf\xef\xbf\xbd");
  CHECK(xml_escape("\x01\xef\xbf\xbf\t") == "??\t");
  CHECK(xml_escape("\xe6\x97\xa5") == "\xe6\x97\xa5");
}

TEST_CASE("sarif columns count an invalid byte as one UTF-16 unit") {
  Report r = testing::sample_report();
  FileId f = add_source("v.yaml", "services:\n  x: {label: \"\xff\xfe\", privileged: true}\n");
  r.findings.resize(1);
  r.findings[0].span = Span{f, 2, 32, 4};  // byte column of `true`
  nlohmann::json j = nlohmann::json::parse(render_sarif(r));
  CHECK(j["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startColumn"] ==
        32);
}

TEST_CASE("rendering any bytes at any position gives valid UTF-8 and a short excerpt") {
  std::mt19937 random(12345);
  // 17 bytes and the literal's terminating NUL (a NUL byte in a line is input too).
  const std::string alphabet =
      std::string("ab \t\x1b\x7f\xc3\xa9\xe6\x97\xa5\xff\x80\xf0\x9f\x98\x80", 18);
  for (int round = 0; round < 500; ++round) {
    std::string line;
    size_t length = random() % (round % 10 == 0 ? 2000 : 80);
    for (size_t i = 0; i < length; ++i) line += alphabet[random() % alphabet.size()];
    FileId file = add_source("random.txt", line + "\n");
    auto column = static_cast<uint32_t>(1 + random() % (length + 3));
    auto width = static_cast<uint32_t>(random() % 300);
    std::string out = render(Diagnostic{
        DiagLevel::Error, Span{file, 1, column, width}, "message " + line.substr(0, 50), {}, {}});
    INFO(round);
    CHECK(is_valid_utf8(out));
    // Lines of at most 160 columns (4 bytes each when escaped) and a short message.
    CHECK(out.size() < 2 * 4 * 170 + 300);
    CHECK(out.find('\x1b') == std::string::npos);
  }
}
