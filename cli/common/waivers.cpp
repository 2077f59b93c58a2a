#include "cli/common/waivers.hpp"

#include <fnmatch.h>

#include <cctype>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "lang/core/file_read.hpp"
#include "runtime/documents/yaml_loader.hpp"

namespace capguard::cli {

std::optional<Date> parse_date(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  }
  Date d{std::stoi(text.substr(0, 4)), std::stoi(text.substr(5, 2)), std::stoi(text.substr(8, 2))};
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d.month < 1 || d.month > 12 || d.day < 1) return std::nullopt;
  bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
  int days = kDays[d.month - 1] + (d.month == 2 && leap ? 1 : 0);
  if (d.day > days) return std::nullopt;
  return d;
}

Date utc_date(std::time_t t) {
  // The days since 1970-01-01 (rounded down) into the proleptic Gregorian calendar, in 400-year
  // eras of 146,097 days.
  const long long seconds = static_cast<long long>(t);
  const long long days = seconds / 86400 - (seconds % 86400 < 0 ? 1 : 0);
  const long long z = days + 719468;  // days since 0000-03-01
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const long long doe = z - era * 146097;                                       // [0, 146096]
  const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const long long mp = (5 * doy + 2) / 153;                                     // March = 0
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
  return Date{year, month, day};
}

Date today() {
  if (const char* fixed = std::getenv("CAPGUARD_TODAY")) {
    if (auto d = parse_date(fixed)) return *d;
  }
  // Not gmtime_r, which reads the time zone file first (seven system calls) for a date it then
  // computes in UTC anyway.
  return utc_date(std::time(nullptr));
}

namespace {

bool glob(const std::string& pattern, std::string_view text) {
  return fnmatch(pattern.c_str(), std::string(text).c_str(), 0) == 0;
}

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// Position of the `#` of a `# capguard:ignore` comment on the line, or npos. The `#` must start
// a YAML comment: at the start of the line or after whitespace.
size_t find_marker(std::string_view line, size_t& after) {
  constexpr std::string_view kMarker = "capguard:ignore";
  for (size_t hash = line.find('#'); hash != std::string_view::npos;
       hash = line.find('#', hash + 1)) {
    if (hash > 0 && !std::isspace(static_cast<unsigned char>(line[hash - 1]))) continue;
    size_t p = hash + 1;
    while (p < line.size() && line[p] == ' ') ++p;
    if (line.substr(p, kMarker.size()) == kMarker) {
      after = p + kMarker.size();
      return hash;
    }
  }
  return std::string_view::npos;
}

bool comment_only(std::string_view line) {
  std::string t = trim(line);
  return t.empty() || t[0] == '#';
}

}  // namespace

std::vector<Waiver> scan_inline_waivers(FileId file, Diagnostics& diags) {
  std::vector<Waiver> out;
  const Source& src = source(file);
  for (uint32_t n = 1; n <= src.line_count(); ++n) {
    std::string_view line = src.line_text(n);
    size_t after = 0;
    size_t hash = find_marker(line, after);
    if (hash == std::string_view::npos) continue;
    Span span{file, n, static_cast<uint32_t>(hash + 1), static_cast<uint32_t>(line.size() - hash)};
    if (after < line.size() && !std::isspace(static_cast<unsigned char>(line[after]))) {
      continue;  // "capguard:ignored" or similar: not our marker
    }
    std::istringstream words{std::string(line.substr(after))};
    Waiver w;
    words >> w.policy;
    if (w.policy.empty()) {
      diags.error(span, "capguard:ignore needs a policy id and a reason");
      continue;
    }
    std::string rest;
    std::getline(words, rest);
    rest = trim(rest);
    if (rest.rfind("expires=", 0) == 0) {
      size_t end = rest.find_first_of(" \t");
      w.expires = rest.substr(8, end == std::string::npos ? std::string::npos : end - 8);
      rest = end == std::string::npos ? "" : trim(rest.substr(end));
      if (!parse_date(w.expires)) {
        diags.error(span, fmt::format("invalid expiry date `{}`; expected YYYY-MM-DD", w.expires));
        continue;
      }
    }
    if (rest.empty()) {
      diags.error(span, fmt::format("waiver of {} needs a reason", w.policy));
      continue;
    }
    w.reason = rest;
    w.file = file;
    w.line = n;
    if (comment_only(line.substr(0, hash))) {
      // A comment alone on its line waives the next line that is not a comment.
      uint32_t next = n + 1;
      while (next <= src.line_count() && comment_only(src.line_text(next))) ++next;
      if (next <= src.line_count()) w.line = next;
    }
    w.source = "inline";
    w.span = span;
    out.push_back(std::move(w));
  }
  return out;
}

namespace {

Span mark_span(FileId file, const YAML::Node& node) {
  YAML::Mark m = node.Mark();
  if (m.line < 0) return Span{file, 0, 0, 0};
  return Span{file, static_cast<uint32_t>(m.line + 1), static_cast<uint32_t>(m.column + 1), 0};
}

std::optional<Waiver> parse_entry(FileId file, const std::string& name, const YAML::Node& entry,
                                  Diagnostics& diags) {
  static const std::vector<std::string> kKeys = {"policy", "service", "file", "reason", "expires"};
  Span where = mark_span(file, entry);
  if (!entry.IsMap()) {
    diags.error(where,
                "a waiver is a mapping with policy, reason and optionally service, file, "
                "expires");
    return std::nullopt;
  }
  Waiver w;
  bool ok = true;
  for (const auto& kv : entry) {
    if (!kv.first.IsScalar()) {
      diags.error(mark_span(file, kv.first), "a waiver key must be a string");
      ok = false;
      continue;
    }
    std::string key = kv.first.as<std::string>();
    Span key_span = mark_span(file, kv.first);
    if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
      diags.error(key_span,
                  fmt::format("unknown waiver key `{}`{}", key, did_you_mean_hint(key, kKeys)));
      ok = false;
      continue;
    }
    if (!kv.second.IsScalar()) {
      diags.error(mark_span(file, kv.second), fmt::format("waiver `{}` must be a string", key));
      ok = false;
      continue;
    }
    std::string value = kv.second.as<std::string>();
    if (key == "policy") w.policy = value;
    if (key == "service") w.service = value;
    if (key == "file") w.file_glob = value;
    if (key == "reason") w.reason = trim(value);
    if (key == "expires") {
      w.expires = value;
      if (!parse_date(value)) {
        diags.error(mark_span(file, kv.second),
                    fmt::format("invalid expiry date `{}`; expected YYYY-MM-DD", value));
        ok = false;
      }
    }
  }
  if (w.policy.empty()) {
    diags.error(where, "waiver needs a `policy`");
    ok = false;
  }
  if (w.reason.empty()) {
    diags.error(where, "waiver needs a `reason`");
    ok = false;
  }
  if (!ok) return std::nullopt;
  w.source = name;
  w.span = where;
  return w;
}

}  // namespace

std::vector<Waiver> parse_waivers_text(const std::string& name, const std::string& text,
                                       Diagnostics& diags) {
  FileId file = add_source(name, text);
  std::vector<Waiver> out;
  // The loader first: its limits and its checks of what yaml-cpp accepts but YAML does not.
  if (!parse_yaml_document(file, diags).ok) return out;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    Span s{file, static_cast<uint32_t>(e.mark.line + 1), static_cast<uint32_t>(e.mark.column + 1),
           0};
    diags.error(s, "invalid YAML: " + e.msg);
    return out;
  }
  if (root.IsNull()) return out;
  YAML::Node list = root;
  if (root.IsMap() && root["waivers"]) list = root["waivers"];
  return parse_waiver_list(file, name, list, diags);
}

std::vector<Waiver> parse_waiver_list(FileId file, const std::string& name, const YAML::Node& list,
                                      Diagnostics& diags) {
  std::vector<Waiver> out;
  if (!list.IsSequence()) {
    diags.error(mark_span(file, list), "waivers must be a list of waivers");
    return out;
  }
  for (const YAML::Node& entry : list) {
    try {
      if (auto w = parse_entry(file, name, entry, diags)) out.push_back(std::move(*w));
    } catch (const YAML::Exception& e) {  // a conversion the checks did not foresee
      diags.error(mark_span(file, entry), "invalid waiver: " + e.msg);
    }
  }
  return out;
}

std::vector<Waiver> load_waivers_file(const std::string& path, Diagnostics& diags) {
  std::string text, error;
  if (!read_bounded(path, text, error)) {
    diags.file_error(path, "cannot read the waivers file: " + error);
    return {};
  }
  return parse_waivers_text(path, text, diags);
}

namespace {

bool matches(const Waiver& w, const Finding& f, const std::vector<ServiceLine>& service_lines) {
  if (!glob(w.policy, f.policy)) return false;
  if (w.file != 0) {
    if (f.span.file == w.file && f.span.line == w.line) return true;
    for (const ServiceLine& s : service_lines) {
      if (s.input == f.input && s.service == f.service && s.file == w.file && s.line == w.line) {
        return true;
      }
    }
    return false;
  }
  if (!w.service.empty() && !glob(w.service, f.service)) return false;
  if (!w.file_glob.empty()) {
    std::string input(f.input.rfind("./", 0) == 0 ? f.input.substr(2) : f.input);
    std::string file = f.span.file != 0 ? source_name(f.span.file) : input;
    if (!glob(w.file_glob, input) && !glob(w.file_glob, file)) return false;
  }
  return true;
}

}  // namespace

WaiverBook::WaiverBook(std::vector<Waiver> global, std::vector<std::string> policies_in_force,
                       std::vector<std::string> known_policies, Date today)
    : global_(std::move(global)),
      in_force_(std::move(policies_in_force)),
      known_(std::move(known_policies)),
      today_(today) {
  check_expiry(global_, global_expired_, global_expiry_);
  global_notes_.resize(global_.size());
}

void WaiverBook::check_expiry(const std::vector<Waiver>& waivers, std::vector<bool>& expired,
                              Diagnostics& diags) const {
  expired.assign(waivers.size(), false);
  for (size_t i = 0; i < waivers.size(); ++i) {
    if (waivers[i].expires.empty()) continue;
    std::optional<Date> d = parse_date(waivers[i].expires);
    if (d && *d < today_) {
      expired[i] = true;
      diags.error(waivers[i].span, fmt::format("waiver of {} expired on {} ({})", waivers[i].policy,
                                               waivers[i].expires, waivers[i].reason));
    }
  }
}

void WaiverBook::report_unused(const std::vector<Waiver>& waivers, const std::vector<bool>& expired,
                               Diagnostics& diags) const {
  for (size_t i = 0; i < waivers.size(); ++i) {
    const Waiver& w = waivers[i];
    if (w.used || expired[i]) continue;
    bool known = false, in_force = false;
    for (const std::string& id : known_) known |= glob(w.policy, id);
    for (const std::string& id : in_force_) in_force |= glob(w.policy, id);
    if (!known) {
      diags.warning(w.span, fmt::format("waiver names unknown policy `{}`{}", w.policy,
                                        did_you_mean_hint(w.policy, known_)));
    } else if (in_force) {
      diags.warning(w.span, fmt::format("unused waiver: no finding of {} matches it", w.policy));
    }
  }
}

void WaiverBook::apply(std::vector<Finding>& findings, std::vector<Waiver>& inline_waivers,
                       const std::vector<ServiceLine>& service_lines, Diagnostics& expired,
                       Diagnostics& unused) {
  std::vector<bool> inline_expired;
  check_expiry(inline_waivers, inline_expired, expired);
  // One note per waiver, shared by the findings it waives.
  std::vector<std::shared_ptr<const WaiverNote>> inline_notes(inline_waivers.size());
  auto consider = [&](Waiver& w, bool is_expired, std::shared_ptr<const WaiverNote>& note,
                      Finding& f) {
    if (!matches(w, f, service_lines)) return;
    w.used = true;
    if (is_expired || f.waived()) return;
    if (!note) note = std::make_shared<const WaiverNote>(WaiverNote{w.reason, w.expires, w.source});
    f.waiver = note;
  };
  for (Finding& f : findings) {
    for (size_t i = 0; i < global_.size(); ++i) {
      consider(global_[i], global_expired_[i], global_notes_[i], f);
    }
    for (size_t i = 0; i < inline_waivers.size(); ++i) {
      consider(inline_waivers[i], inline_expired[i], inline_notes[i], f);
    }
  }
  report_unused(inline_waivers, inline_expired, unused);
}

void WaiverBook::finish(Diagnostics& expired, Diagnostics& unused) {
  expired.append(global_expiry_);
  report_unused(global_, global_expired_, unused);
}

void apply_waivers(std::vector<Finding>& findings, std::vector<Waiver>& waivers,
                   const std::vector<ServiceLine>& service_lines,
                   const std::vector<std::string>& policies_in_force,
                   const std::vector<std::string>& known_policies, const Date& today,
                   Diagnostics& diags) {
  WaiverBook book(std::move(waivers), policies_in_force, known_policies, today);
  std::vector<Waiver> none;
  Diagnostics unused;
  book.apply(findings, none, service_lines, diags, unused);
  book.finish(diags, unused);
  diags.append(unused);
  waivers = book.take_global();
}

}  // namespace capguard::cli
