// Recursion: functions must not call themselves, directly or through other functions (the
// language is total). Works on the call graph that checking the bodies recorded.

#include <algorithm>

#include <fmt/format.h>

#include "lang/check/checker_context.hpp"

namespace capguard::checker {

namespace {

class CycleFinder {
 public:
  explicit CycleFinder(Context& ctx) : ctx_(ctx) {}

  void visit(const std::string& fn) {
    if (done_.count(fn)) return;
    auto on_path = std::find(path_.begin(), path_.end(), fn);
    if (on_path != path_.end()) {
      report(std::vector<std::string>(on_path, path_.end()));
      return;
    }
    path_.push_back(fn);
    auto edges = ctx_.calls.find(fn);
    if (edges != ctx_.calls.end()) {
      std::set<std::string> followed;
      for (const CallEdge& e : edges->second) {
        if (followed.insert(e.callee).second) visit(e.callee);
      }
    }
    path_.pop_back();
    done_.insert(fn);
  }

 private:
  // One error per cycle, at the function where the search entered it, with a note at each call
  // that closes the loop.
  void report(const std::vector<std::string>& cycle) {
    // Names as written when the whole cycle is in one package, else qualified.
    std::vector<std::string> shown;
    std::set<std::string> packages;
    for (const std::string& q : cycle) {
      const FnInfo* fn = ctx_.find_function(q);
      shown.push_back(fn ? fn->decl->name : q);
      packages.insert(fn ? ctx_.module_package[fn->module] : q);
    }
    bool one_package = packages.size() == 1;
    if (!one_package) shown = cycle;
    std::string chain;
    std::vector<Diagnostic> notes;
    for (size_t i = 0; i < cycle.size(); ++i) {
      const std::string& from = cycle[i];
      const std::string& to = cycle[(i + 1) % cycle.size()];
      chain += fmt::format("`{}` -> ", shown[i]);
      for (const CallEdge& e : ctx_.calls[from]) {
        if (e.callee == to) {
          notes.push_back(make_note(e.span, fmt::format("`{}` calls `{}` here", shown[i],
                                                        shown[(i + 1) % cycle.size()])));
          break;
        }
      }
    }
    chain += fmt::format("`{}`", shown.front());
    const FnInfo* fn = ctx_.find_function(cycle.front());
    Span span = fn ? fn->decl->span : Span{};
    ctx_.error(span,
               fmt::format("function `{}` is recursive: {}; recursion is not allowed",
                           shown.front(), chain),
               std::move(notes));
  }

  Context& ctx_;
  std::vector<std::string> path_;
  std::set<std::string> done_;
};

}  // namespace

void check_recursion(Context& ctx) {
  CycleFinder finder(ctx);
  for (const std::string& fn : ctx.function_order) finder.visit(fn);
}

}  // namespace capguard::checker
