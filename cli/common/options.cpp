#include "cli/common/options.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include <fmt/format.h>

#include "cli/common/command.hpp"
#include "cli/common/layout.hpp"

namespace capguard::cli {

void ArgParser::flag(std::string name, char short_name, std::string help, OnFlag on, bool hidden) {
  specs_.push_back(Spec{std::move(name), short_name, false, "", std::move(help), std::move(on),
                        nullptr, hidden});
}

void ArgParser::option(std::string name, char short_name, std::string metavar, std::string help,
                       OnValue on, bool hidden) {
  specs_.push_back(Spec{std::move(name), short_name, true, std::move(metavar), std::move(help),
                        nullptr, std::move(on), hidden});
}

const ArgParser::Spec* ArgParser::find_long(const std::string& name) const {
  for (const Spec& s : specs_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const ArgParser::Spec* ArgParser::find_short(char c) const {
  for (const Spec& s : specs_) {
    if (s.short_name != 0 && s.short_name == c) return &s;
  }
  return nullptr;
}

std::vector<std::string> ArgParser::parse(const std::vector<std::string>& args,
                                          Diagnostics& diags) const {
  std::vector<std::string> positional;
  auto fail = [&](const std::string& message) { diags.file_error(command_, message); };
  auto apply = [&](const Spec& spec, const std::string& shown, const std::string& value) {
    std::string error = spec.on_value(value);
    if (!error.empty()) fail(fmt::format("{} {}: {}", shown, value, error));
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      positional.insert(positional.end(), args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    if (arg.rfind("--", 0) == 0) {
      std::string name = arg.substr(2);
      std::optional<std::string> inline_value;
      if (size_t eq = name.find('='); eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
      const Spec* spec = find_long(name);
      if (spec == nullptr) {
        std::vector<std::string> names;
        for (const Spec& s : specs_) names.push_back(s.name);
        std::string hint = did_you_mean(name, names);
        fail(fmt::format("unknown flag `--{}`{}", name,
                         hint.empty() ? "" : "; did you mean `--" + hint + "`?"));
        continue;
      }
      if (!spec->takes_value) {
        if (inline_value) {
          fail(fmt::format("flag `--{}` takes no value", name));
          continue;
        }
        spec->on_flag();
        continue;
      }
      if (!inline_value) {
        if (i + 1 >= args.size()) {
          fail(fmt::format("flag `--{}` needs a value ({})", name, spec->metavar));
          continue;
        }
        inline_value = args[++i];
      }
      apply(*spec, "--" + name, *inline_value);
      continue;
    }
    if (arg.size() >= 2 && arg[0] == '-') {
      const Spec* spec = find_short(arg[1]);
      if (spec == nullptr) {
        fail(fmt::format("unknown flag `{}`", arg));
        continue;
      }
      std::string shown = std::string("-") + arg[1];
      if (!spec->takes_value) {
        if (arg.size() > 2) {
          fail(fmt::format("flag `{}` takes no value", shown));
          continue;
        }
        spec->on_flag();
        continue;
      }
      std::string value;
      if (arg.size() > 2) {
        value = arg.substr(2);
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        fail(fmt::format("flag `{}` needs a value ({})", shown, spec->metavar));
        continue;
      }
      apply(*spec, shown, value);
      continue;
    }
    positional.push_back(arg);  // includes "-" (standard input)
  }
  return positional;
}

void ArgParser::argument(std::string name, std::string help) {
  arguments_.push_back(HelpRow{std::move(name), std::move(help)});
}

std::vector<HelpRow> ArgParser::option_rows() const {
  std::vector<HelpRow> rows;
  for (const Spec& s : specs_) {
    if (s.hidden) continue;
    std::string left = s.short_name != 0 ? fmt::format("-{}, --{}", s.short_name, s.name)
                                         : fmt::format("    --{}", s.name);
    if (s.takes_value) left += " " + s.metavar;
    rows.push_back(HelpRow{std::move(left), s.help});
  }
  return rows;
}

std::vector<ArgParser::FlagDoc> ArgParser::flag_docs() const {
  std::vector<FlagDoc> out;
  for (const Spec& s : specs_) {
    if (!s.hidden) out.push_back(FlagDoc{s.name, s.short_name, s.takes_value, s.metavar, s.help});
  }
  return out;
}

std::vector<std::string> ArgParser::FlagDoc::choices() const {
  // The leading words separated by " | ", up to the first ':' or " (" after the last of them.
  size_t end = help.find_first_of(":(");
  std::string head = help.substr(0, end);
  if (head.find(" | ") == std::string::npos) return {};
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t bar = head.find(" | ", start);
    std::string word = head.substr(start, bar == std::string::npos ? bar : bar - start);
    while (!word.empty() && word.back() == ' ') word.pop_back();
    if (word.empty() || word.find(' ') != std::string::npos) return {};
    out.push_back(word);
    if (bar == std::string::npos) break;
    start = bar + 3;
  }
  return out;
}

std::string ArgParser::help() const {
  std::vector<std::vector<std::string>> table;
  for (HelpRow& r : option_rows()) table.push_back({std::move(r.left), std::move(r.help)});
  return text_table(table, "  ");
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string item;
  auto flush = [&] {
    size_t b = item.find_first_not_of(" \t");
    size_t e = item.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
    item.clear();
  };
  for (char c : text) {
    if (c == ',') {
      flush();
    } else {
      item += c;
    }
  }
  flush();
  return out;
}

bool use_color(ColorMode mode, int fd) {
  if (mode == ColorMode::Always) return true;
  if (mode == ColorMode::Never) return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  return isatty(fd) != 0;
}

Format text_or_json_format(const CheckOptions& flags, const std::string& command,
                           Diagnostics& diags) {
  Format format = flags.format.value_or(Format::Text);
  if (format == Format::Text || format == Format::Json) return format;
  diags.file_error(command, "--format: expected text or json");
  return Format::Text;
}

int usage_error(const Diagnostics& diags, const ArgParser& parser) {
  std::cerr << render(diags, use_color(ColorMode::Auto, STDERR_FILENO))
            << "usage: " << command_of(parser).usage << "\nRun `" << parser.command()
            << " --help` for the options.\n";
  return kExitError;
}

namespace {

std::string one_of(const std::string& value, const std::vector<std::string>& choices) {
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + c;
  return fmt::format("expected one of {}{}", list, did_you_mean_hint(value, choices));
}

}  // namespace

void add_check_flags(ArgParser& p, CheckOptions& o, unsigned groups) {
  auto append = [](std::vector<std::string>& to) {
    return [&to](const std::string& v) {
      to.push_back(v);
      return std::string();
    };
  };
  if (groups & kInputFlags) {
    p.option("file", 'f', "FILE", "compose file; repeat to merge like docker compose -f",
             append(o.compose_files));
    p.option("env-file", 0, "FILE", "environment file for interpolation (default: .env)",
             append(o.env_files));
    p.option("profile", 0, "NAME", "enable a compose profile (repeatable)", append(o.profiles));
    p.option("input-format", 0, "FMT", "auto | compose | inspect", [&o](const std::string& v) {
      if (v != "auto" && v != "compose" && v != "inspect") {
        return one_of(v, {"auto", "compose", "inspect"});
      }
      o.input_format = v;
      return std::string();
    });
    p.option("jobs", 'j', "N", "check inputs with N threads (default: all cores)",
             [&o](const std::string& v) {
               char* end = nullptr;
               long n = std::strtol(v.c_str(), &end, 10);
               if (v.empty() || *end != '\0' || n < 1 || n > 1024) {
                 return std::string("expected a number of threads from 1 to 1024");
               }
               o.jobs = static_cast<int>(n);
               return std::string();
             });
  }
  if (groups & kPolicyFlags) {
    p.option("policy", 0, "PATH", "policy file or folder added to the standard library",
             append(o.policy_paths));
    p.flag("no-stdlib", 0, "do not load the embedded standard library",
           [&o] { o.no_stdlib = true; });
    p.option("param", 0, "NAME=VALUE", "set a policy param", [&o](const std::string& v) {
      if (v.find('=') == std::string::npos || v.front() == '=') {
        return std::string("expected NAME=VALUE");
      }
      o.params.push_back(v);
      return std::string();
    });
    p.option("params", 0, "FILE", "params from a YAML or JSON file", append(o.params_files));
    p.option("preset", 0, "NAME", "baseline | restricted: the policies tagged so",
             [&o](const std::string& v) {
               if (v != "baseline" && v != "restricted") {
                 return one_of(v, {"baseline", "restricted"});
               }
               o.preset = v;
               return std::string();
             });
    p.option("only", 0, "IDS", "only these policy ids or tags (comma list, repeatable)",
             [&o](const std::string& v) {
               for (std::string& s : split_list(v)) o.only.push_back(s);
               o.only_set = true;
               return std::string();
             });
    p.option("skip", 0, "IDS", "skip these policy ids or tags (comma list, repeatable)",
             [&o](const std::string& v) {
               for (std::string& s : split_list(v)) o.skip.push_back(s);
               o.skip_set = true;
               return std::string();
             });
    p.option("config", 0, "FILE", "project configuration (default: nearest .capguard.yaml)",
             [&o](const std::string& v) {
               o.config = v;
               return std::string();
             });
    p.flag("no-config", 0, "ignore .capguard.yaml", [&o] { o.no_config = true; });
  }
  if (groups & (kOutputFlags | kFormatFlag)) {
    p.option("format", 0, "FMT",
             (groups & kOutputFlags) ? "text | json | sarif | junit | github" : "text | json",
             [&o](const std::string& v) {
               std::optional<Format> f = parse_format(v);
               if (!f) return one_of(v, format_names());
               o.format = f;
               return std::string();
             });
  }
  if (groups & kOutputFlags) {
    p.option("fail-on", 0, "SEVERITY", "info | low | medium | high | critical (default: low)",
             [&o](const std::string& v) {
               std::optional<Severity> s = parse_severity(v);
               if (!s) return one_of(v, {"info", "low", "medium", "high", "critical"});
               o.fail_on = s;
               return std::string();
             });
    p.option("output", 'o', "FILE", "write the report to FILE instead of standard output",
             [&o](const std::string& v) {
               o.output = v;
               return std::string();
             });
    p.option("waivers", 0, "FILE", "waivers file (YAML)", append(o.waiver_files));
    p.flag("quiet", 'q', "no summary, no waived findings, no warnings", [&o] { o.quiet = true; });
    p.option("color", 0, "WHEN", "auto | always | never (NO_COLOR is honoured)",
             [&o](const std::string& v) {
               if (v == "auto") {
                 o.color = ColorMode::Auto;
               } else if (v == "always") {
                 o.color = ColorMode::Always;
               } else if (v == "never") {
                 o.color = ColorMode::Never;
               } else {
                 return one_of(v, {"auto", "always", "never"});
               }
               return std::string();
             });
    p.option(
        "today", 0, "DATE", "the date waiver expiry is compared with (tests)",
        [&o](const std::string& v) {
          o.today = v;
          return std::string();
        },
        /*hidden=*/true);
  }
  p.flag("help", 'h', "show this help", [&o] { o.help = true; });
}

}  // namespace capguard::cli
