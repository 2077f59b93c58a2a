#include "cli/lsp/server.hpp"

#include "cli/lsp/features.hpp"
#include "cli/lsp/jsonrpc.hpp"
#include "cli/lsp/positions.hpp"
#include "lang/format/format.hpp"

namespace capguard::lsp {
namespace {

using nlohmann::json;

// A request that cannot be answered: becomes an error response with this code.
struct RequestError {
  int code;
  std::string message;
};

int lsp_severity(DiagLevel level) {
  switch (level) {
    case DiagLevel::Error:
      return 1;
    case DiagLevel::Warning:
      return 2;
    case DiagLevel::Note:
      return 3;
  }
  return 1;
}

json diagnostic_json(const Analysis& a, const Diagnostic& d) {
  json out = {{"severity", lsp_severity(d.level)}, {"source", "capguard"}};
  out["range"] = range_of(d.span.file == a.file ? d.span : Span{});
  std::string message = d.message;
  json related = json::array();
  for (const Diagnostic& note : d.notes) {
    std::string path = note.span.known() ? source_name(note.span.file) : "";
    if (note.span.file == a.file) {
      related.push_back({{"location", {{"uri", a.uri}, {"range", range_of(note.span)}}},
                         {"message", note.message}});
    } else if (!path.empty() && path[0] == '/') {
      related.push_back({{"location", {{"uri", uri_of_path(path)}, {"range", range_of(note.span)}}},
                         {"message", note.message}});
    } else {
      message += "\nnote: " + (note.span.known() ? location(note.span) + ": " : "") + note.message;
    }
  }
  out["message"] = message;
  if (!related.empty()) out["relatedInformation"] = related;
  return out;
}

json whole_range(const std::string& text) {
  uint32_t lines = 0;
  size_t last = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++lines;
      last = i + 1;
    }
  }
  std::string_view tail(text.data() + last, text.size() - last);
  return {{"start", position_json(0, 0)},
          {"end", position_json(lines, utf16_units(tail, tail.size()))}};
}

// A request's error is its response; a notification has none, so the error is logged to the
// client (window/logMessage, type Error) instead of being lost.
void reply_error(const json& id, bool has_id, const std::string& method, int code,
                 const std::string& message, std::vector<json>& out) {
  if (has_id) {
    out.push_back(error_response(id, code, message));
  } else {
    out.push_back(
        notification("window/logMessage", {{"type", 1}, {"message", method + ": " + message}}));
  }
}

json capabilities() {
  return {{"textDocumentSync", {{"openClose", true}, {"change", 1}}},
          {"hoverProvider", true},
          {"completionProvider", {{"triggerCharacters", {"."}}}},
          {"definitionProvider", true},
          {"documentFormattingProvider", true}};
}

}  // namespace

OpenTexts Server::open_texts() const {
  OpenTexts texts;
  for (const auto& [uri, doc] : documents_) {
    std::string path = path_of_uri(uri);
    if (!path.empty()) texts[path] = doc.text;
  }
  return texts;
}

Server::Document& Server::document(const json& params) {
  std::string uri = params.at("textDocument").at("uri").get<std::string>();
  auto it = documents_.find(uri);
  if (it == documents_.end())
    throw RequestError{error_code::kInvalidParams, "document not open: " + uri};
  return it->second;
}

void Server::update(const std::string& uri, std::string text, int64_t version,
                    std::vector<json>& out) {
  Document& doc = documents_[uri];
  doc.text = std::move(text);
  doc.version = version;
  doc.last = analyze(uri, doc.text, open_texts(), cache_);
  json diags = json::array();
  for (const Diagnostic& d : doc.last->diagnostics.all())
    diags.push_back(diagnostic_json(*doc.last, d));
  if (doc.last->parsed) doc.last_parsed = doc.last;
  out.push_back(notification("textDocument/publishDiagnostics",
                             {{"uri", uri}, {"version", version}, {"diagnostics", diags}}));
}

json Server::dispatch(const std::string& method, const json& params, std::vector<json>& out) {
  if (method == "initialize") {
    initialized_ = true;
    return {{"capabilities", capabilities()}, {"serverInfo", {{"name", "capguard"}}}};
  }
  if (method == "initialized" || method == "textDocument/didSave") return nullptr;
  if (method == "shutdown") {
    shutdown_ = true;
    return nullptr;
  }
  if (method == "textDocument/didOpen") {
    const json& td = params.at("textDocument");
    std::string uri = td.at("uri").get<std::string>();
    if (documents_.size() >= kMaxOpenDocuments && !documents_.count(uri)) {
      out.push_back(notification("window/showMessage",
                                 {{"type", 1},
                                  {"message", "capguard lsp: too many open documents (" +
                                                  std::to_string(kMaxOpenDocuments) + ")"}}));
      return nullptr;
    }
    update(uri, td.at("text").get<std::string>(), td.value("version", int64_t{0}), out);
    return nullptr;
  }
  if (method == "textDocument/didChange") {
    Document& doc = document(params);
    std::string text = doc.text;
    for (const json& change : params.at("contentChanges")) {
      if (change.contains("range")) {  // incremental, although the server asks for full text
        size_t begin = offset_of(text, position_from_json(change["range"].at("start")));
        size_t end = offset_of(text, position_from_json(change["range"].at("end")));
        if (end < begin) std::swap(begin, end);
        text.replace(begin, end - begin, change.at("text").get<std::string>());
      } else {
        text = change.at("text").get<std::string>();
      }
    }
    update(params["textDocument"]["uri"].get<std::string>(), std::move(text),
           params["textDocument"].value("version", doc.version + 1), out);
    return nullptr;
  }
  if (method == "textDocument/didClose") {
    std::string uri = params.at("textDocument").at("uri").get<std::string>();
    documents_.erase(uri);
    out.push_back(notification("textDocument/publishDiagnostics",
                               {{"uri", uri}, {"diagnostics", json::array()}}));
    return nullptr;
  }
  if (method == "textDocument/hover") {
    Document& doc = document(params);
    Position p = position_from_json(params.at("position"));
    return doc.last && doc.last->parsed ? hover(*doc.last, p) : json(nullptr);
  }
  if (method == "textDocument/completion") {
    Document& doc = document(params);
    return completion(doc.last_parsed.get(), doc.text, position_from_json(params.at("position")));
  }
  if (method == "textDocument/definition") {
    Document& doc = document(params);
    Position p = position_from_json(params.at("position"));
    return doc.last && doc.last->parsed ? definition(*doc.last, p) : json::array();
  }
  if (method == "textDocument/formatting") {
    Document& doc = document(params);
    Diagnostics diags;
    std::string uri = params["textDocument"]["uri"].get<std::string>();
    FileId file = add_source(uri, doc.text);
    std::optional<std::string> formatted = format_source(file, diags);
    std::string first = diags.all().empty() ? "" : ": " + diags.all().front().message;
    release_source(file);
    if (!formatted) {
      throw RequestError{error_code::kRequestFailed,
                         "cannot format a document with syntax errors" + first};
    }
    if (*formatted == doc.text) return json::array();
    return json::array({{{"range", whole_range(doc.text)}, {"newText", *formatted}}});
  }
  throw RequestError{error_code::kMethodNotFound, "unknown method: " + method};
}

std::vector<json> Server::handle(const std::string& body) {
  std::vector<json> out;
  if (json_depth(body, kMaxJsonDepth) > kMaxJsonDepth) {
    out.push_back(error_response(
        nullptr, error_code::kInvalidRequest,
        "the message is nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"));
    return out;
  }
  json message = json::parse(body, nullptr, false);
  if (message.is_discarded()) {
    out.push_back(
        error_response(nullptr, error_code::kParseError, "the message is not valid JSON"));
    return out;
  }
  if (!message.is_object()) {
    out.push_back(
        error_response(nullptr, error_code::kInvalidRequest, "a message must be a JSON object"));
    return out;
  }
  json id = message.contains("id") ? message["id"] : json();
  bool has_id = message.contains("id");
  if (has_id && !id.is_number_integer() && !id.is_string()) {
    out.push_back(error_response(nullptr, error_code::kInvalidRequest,
                                 "`id` must be an integer or a string"));
    return out;
  }
  if (!message.contains("method")) {
    if (has_id && (message.contains("result") || message.contains("error"))) return out;  // a reply
    out.push_back(error_response(id, error_code::kInvalidRequest, "a request needs a `method`"));
    return out;
  }
  if (!message["method"].is_string() || message.value("jsonrpc", json()) != "2.0") {
    out.push_back(error_response(id, error_code::kInvalidRequest,
                                 "a request needs `\"jsonrpc\": \"2.0\"` and a string `method`"));
    return out;
  }
  std::string method = message["method"].get<std::string>();
  json params = message.contains("params") ? message["params"] : json::object();
  if (method == "exit") {
    exited_ = true;
    return out;
  }
  if (!initialized_ && method != "initialize") {
    if (has_id)
      out.push_back(
          error_response(id, error_code::kServerNotInitialized, "the server is not initialized"));
    return out;
  }
  if (shutdown_) {
    if (has_id)
      out.push_back(error_response(id, error_code::kInvalidRequest, "the server is shut down"));
    return out;
  }
  if (!has_id && method.rfind("$/", 0) == 0) return out;  // optional notifications
  try {
    json result = dispatch(method, params, out);
    if (has_id) out.push_back(result_response(id, std::move(result)));
  } catch (const RequestError& e) {
    reply_error(id, has_id, method, e.code, e.message, out);
  } catch (const json::exception& e) {
    reply_error(id, has_id, method, error_code::kInvalidParams,
                std::string("invalid params: ") + e.what(), out);
  } catch (const std::exception& e) {
    reply_error(id, has_id, method, error_code::kInternalError, e.what(), out);
  }
  return out;
}

std::vector<json> Server::frame_error(const std::string& what) {
  return {error_response(nullptr, error_code::kInvalidRequest, what)};
}

int run_server(std::istream& in, std::ostream& out) {
  Server server;
  while (!server.exited()) {
    Frame frame = read_frame(in);
    if (frame.kind == Frame::Kind::End) return 1;
    std::vector<json> replies = frame.kind == Frame::Kind::Message
                                    ? server.handle(frame.body)
                                    : server.frame_error(frame.error);
    for (const json& r : replies) write_message(out, r);
  }
  return server.exit_status();
}

}  // namespace capguard::lsp
