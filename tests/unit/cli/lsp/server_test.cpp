#include <catch2/catch.hpp>

#include <malloc.h>

#include <filesystem>
#include <fstream>

#include "cli/lsp/positions.hpp"
#include "cli/lsp/server.hpp"

using namespace capguard::lsp;
using nlohmann::json;

namespace {

std::vector<json> send(Server& s, const json& message) {
  return s.handle(message.dump());
}

json diagnostics_of(const std::vector<json>& out) {
  for (const json& m : out) {
    if (m.value("method", "") == "textDocument/publishDiagnostics")
      return m["params"]["diagnostics"];
  }
  return nullptr;
}

}  // namespace

TEST_CASE("incremental changes are applied although full sync is asked for") {
  Server s;
  send(s, {{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"}, {"params", json::object()}});
  const char* uri = "file:///nowhere/x.policy";
  auto out = send(
      s, {{"jsonrpc", "2.0"},
          {"method", "textDocument/didOpen"},
          {"params",
           {{"textDocument", {{"uri", uri}, {"version", 1}, {"text", "param x: int = 1\n"}}}}}});
  CHECK(diagnostics_of(out).empty());
  // Replace `1` by `"a"`: a type error.
  out = send(s, {{"jsonrpc", "2.0"},
                 {"method", "textDocument/didChange"},
                 {"params",
                  {{"textDocument", {{"uri", uri}, {"version", 2}}},
                   {"contentChanges",
                    {{{"range",
                       {{"start", {{"line", 0}, {"character", 15}}},
                        {"end", {{"line", 0}, {"character", 16}}}}},
                      {"text", "\"a\""}}}}}}});
  json d = diagnostics_of(out);
  REQUIRE(d.size() == 1);
  CHECK(d[0]["range"]["start"]["character"] == 15);
}

TEST_CASE("exit status: 0 after shutdown, 1 without") {
  Server a;
  send(a, {{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"}});
  send(a, {{"jsonrpc", "2.0"}, {"id", 2}, {"method", "shutdown"}});
  send(a, {{"jsonrpc", "2.0"}, {"method", "exit"}});
  CHECK(a.exited());
  CHECK(a.exit_status() == 0);
  Server b;
  send(b, {{"jsonrpc", "2.0"}, {"method", "exit"}});
  CHECK(b.exited());
  CHECK(b.exit_status() == 1);
}

TEST_CASE("every policy file of the repository opens without diagnostics, as it compiles") {
  // The standard library (its embedded copy left out, since the folder is the library itself)
  // and the examples (checked with the standard library and their siblings, as `capguard check
  // --policy` and `capguard test` see them).
  namespace fs = std::filesystem;
  Server s;
  send(s, {{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"}});
  size_t files = 0;
  for (const char* dir : {"stdlib-policies", "examples/policies"}) {
    for (const auto& entry : fs::directory_iterator(fs::path(CAPGUARD_SOURCE_DIR) / dir)) {
      if (entry.path().extension() != ".policy") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      std::string uri = uri_of_path(entry.path().string());
      auto out =
          send(s, {{"jsonrpc", "2.0"},
                   {"method", "textDocument/didOpen"},
                   {"params", {{"textDocument", {{"uri", uri}, {"version", 1}, {"text", text}}}}}});
      INFO(entry.path().string());
      CHECK(diagnostics_of(out) == json::array());
      ++files;
    }
  }
  CHECK(files > 10);
}

TEST_CASE("memory in use does not grow with the number of changes") {
  // Each change registers the new text as a source; the previous one is released with its
  // analysis, so a long editing session stays within a bounded amount of memory.
  Server s;
  send(s, {{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"}});
  std::string text =
      "policy \"M\" {\n  title \"m\"\n  severity low\n  for s in services\n  deny when "
      "s.privileged\n}\n";
  for (int i = 0; i < 2000; ++i)
    text += "# padding line of a larger document " + std::to_string(i) + "\n";
  const char* uri = "file:///nowhere/m.policy";
  send(s, {{"jsonrpc", "2.0"},
           {"method", "textDocument/didOpen"},
           {"params", {{"textDocument", {{"uri", uri}, {"version", 1}, {"text", text}}}}}});
  auto change = [&](int version) {
    send(s,
         {{"jsonrpc", "2.0"},
          {"method", "textDocument/didChange"},
          {"params",
           {{"textDocument", {{"uri", uri}, {"version", version}}},
            {"contentChanges", {{{"text", text + "# edit " + std::to_string(version) + "\n"}}}}}}});
  };
  for (int v = 2; v < 20; ++v) change(v);
  size_t before = mallinfo2().uordblks;
  for (int v = 20; v < 220; ++v) change(v);
  size_t after = mallinfo2().uordblks;
  INFO("in use before: " << before << " bytes, after 200 more changes of a " << text.size()
                         << "-byte text: " << after);
  CHECK(after < before + 20 * text.size());
}
