#include "cli/common/manpage.hpp"

#include <fmt/format.h>

#include "lang/core/version.hpp"

namespace capguard::cli {

namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return s;
}

std::string header(const std::string& name, int section) {
  return fmt::format(".TH {} {} \"\" \"capguard {}\" \"capguard manual\"\n", upper(name), section,
                     kVersion);
}

// The usage line without its leading "capguard COMMAND": "[OPTIONS] [PATH...]".
std::string usage_tail(const Command& c) {
  std::string usage = c.usage;
  std::string prefix = std::string("capguard ") + c.name;
  if (usage.compare(0, prefix.size(), prefix) == 0) usage = usage.substr(prefix.size());
  while (!usage.empty() && usage.front() == ' ') usage.erase(0, 1);
  return usage;
}

const char* kExitStatus =
    ".SH EXIT STATUS\n"
    ".TP\n.B 0\nnothing at or above \\-\\-fail\\-on (tests: every test passed)\n"
    ".TP\n.B 1\nan unwaived finding at or above \\-\\-fail\\-on (tests: a test failed)\n"
    ".TP\n.B 2\na usage error, an unreadable or invalid input, or a policy that does not compile; "
    "every other input is still checked and reported\n";

}  // namespace

std::string roff_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out.front() == '.' || out.front() == '\'')) out.insert(0, "\\&");
  return out;
}

std::string main_man_page(const std::vector<CommandDoc>& docs) {
  std::string out = header("capguard", 1);
  out +=
      ".SH NAME\ncapguard \\- container\\-security policies for Compose files and docker "
      "inspect output\n";
  out +=
      ".SH SYNOPSIS\n.B capguard\n.I COMMAND\n[ARGS...]\n.br\n.B capguard\n"
      "\\-\\-help | \\-\\-version\n";
  out +=
      ".SH DESCRIPTION\ncapguard checks what containers are allowed to do: capabilities, "
      "privileged mode, users, read\\-only root filesystems, security options, host namespaces, "
      "devices, mounts and resources. Policies are written in a small declarative language "
      "(capguard\\-policy(5)); a standard library of policies is built in.\n";
  out += ".SH COMMANDS\n";
  for (const CommandDoc& d : docs) {
    out += fmt::format(".TP\n.B {}\n{} (capguard\\-{}(1))\n", roff_escape(d.command->name),
                       roff_escape(d.command->summary), roff_escape(d.command->name));
  }
  out += kExitStatus;
  out +=
      ".SH FILES\n.TP\n.I .capguard.yaml\nthe project configuration, searched for from the "
      "current folder up to the repository root\n";
  out += ".SH SEE ALSO\ncapguard\\-policy(5)";
  for (const CommandDoc& d : docs) out += ", capguard\\-" + roff_escape(d.command->name) + "(1)";
  out += "\n";
  return out;
}

std::string command_man_page(const CommandDoc& doc) {
  const Command& c = *doc.command;
  std::string name = std::string("capguard-") + c.name;
  std::string out = header(name, 1);
  out += fmt::format(".SH NAME\n{} \\- {}\n", roff_escape(name), roff_escape(c.summary));
  out += fmt::format(".SH SYNOPSIS\n.B capguard {}\n{}\n", roff_escape(c.name),
                     roff_escape(usage_tail(c)));
  if (!doc.arguments.empty()) {
    out += ".SH ARGUMENTS\n";
    for (const HelpRow& r : doc.arguments) {
      out += fmt::format(".TP\n.I {}\n{}\n", roff_escape(r.left), roff_escape(r.help));
    }
  }
  if (!doc.flags.empty()) {
    out += ".SH OPTIONS\n";
    for (const ArgParser::FlagDoc& f : doc.flags) {
      out += ".TP\n";
      std::string forms;
      if (f.short_name != 0) forms += fmt::format("\\fB\\-{}\\fR, ", f.short_name);
      forms += "\\fB" + roff_escape("--" + f.name) + "\\fR";
      if (f.takes_value) forms += " \\fI" + roff_escape(f.metavar) + "\\fR";
      out += forms + "\n" + roff_escape(f.help) + "\n";
    }
  }
  out += kExitStatus;
  out += ".SH SEE ALSO\ncapguard(1), capguard\\-policy(5)\n";
  return out;
}

}  // namespace capguard::cli
