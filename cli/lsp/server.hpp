#pragma once
// The language server's state machine: one JSON-RPC message in, the messages to send out
// (responses and notifications). Transport-free, so tests drive it directly; `capguard lsp`
// (cli/commands/cmd_lsp.cpp) connects it to stdin and stdout with run_server().
//
// Lifecycle (LSP 3.17): requests before `initialize` are answered ServerNotInitialized; after
// `shutdown`, only `exit` is accepted. Text is synchronised whole (TextDocumentSyncKind.Full).
// See spec/lsp.md for the capabilities.

#include <istream>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/lsp/analysis.hpp"

namespace capguard::lsp {

// At most this many documents are open at once (didOpen beyond it is refused with an error
// message to the client).
inline constexpr size_t kMaxOpenDocuments = 1000;

class Server {
 public:
  // Handles one message (the body of a frame). Never throws.
  std::vector<nlohmann::json> handle(const std::string& body);
  // A framing error (see jsonrpc.hpp): answered with an error response without an id.
  std::vector<nlohmann::json> frame_error(const std::string& what);

  bool exited() const { return exited_; }
  // The process's exit status after `exit`: 0 when `shutdown` came first, 1 otherwise.
  int exit_status() const { return shutdown_ ? 0 : 1; }

 private:
  struct Document {
    std::string text;
    int64_t version = 0;
    std::shared_ptr<Analysis> last;         // of `text`
    std::shared_ptr<Analysis> last_parsed;  // the last analysis without a syntax error
  };

  nlohmann::json dispatch(const std::string& method, const nlohmann::json& params,
                          std::vector<nlohmann::json>& out);
  void update(const std::string& uri, std::string text, int64_t version,
              std::vector<nlohmann::json>& out);
  Document& document(const nlohmann::json& params);  // throws RequestError when not open
  OpenTexts open_texts() const;

  std::map<std::string, Document> documents_;
  SourceCache cache_;
  bool initialized_ = false;
  bool shutdown_ = false;
  bool exited_ = false;
};

// Reads frames from `in` until `exit` or the end of the stream, writing replies to `out`.
// Returns the process exit status.
int run_server(std::istream& in, std::ostream& out);

}  // namespace capguard::lsp
