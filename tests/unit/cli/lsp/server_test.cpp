#include <catch2/catch.hpp>

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
