#include "runtime/authz/json_value.hpp"

#include <algorithm>
#include <map>
#include <vector>

#include "lang/core/json_text.hpp"

namespace capguard::authz {

namespace {
constexpr size_t kMaxDepth = 128;
}  // namespace

Value json_to_value(const nlohmann::ordered_json& j) {
  switch (j.type()) {
    case nlohmann::ordered_json::value_t::object: {
      Entries entries;
      std::map<std::string, size_t> seen;
      for (auto it = j.begin(); it != j.end(); ++it) {
        auto [pos, fresh] = seen.emplace(it.key(), entries.size());
        if (fresh) {
          entries.emplace_back(it.key(), json_to_value(it.value()));
        } else {
          entries[pos->second].second = json_to_value(it.value());
        }
      }
      return Value::map(std::move(entries));
    }
    case nlohmann::ordered_json::value_t::array: {
      List items;
      for (const auto& item : j) items.push_back(json_to_value(item));
      return Value::list(std::move(items));
    }
    case nlohmann::ordered_json::value_t::string:
      return Value::string(j.get<std::string>());
    case nlohmann::ordered_json::value_t::boolean:
      return Value::boolean(j.get<bool>());
    case nlohmann::ordered_json::value_t::number_integer:
      return Value::integer(j.get<int64_t>());
    case nlohmann::ordered_json::value_t::number_unsigned: {
      uint64_t u = j.get<uint64_t>();
      if (u <= static_cast<uint64_t>(INT64_MAX)) return Value::integer(static_cast<int64_t>(u));
      return Value::number(static_cast<double>(u));
    }
    case nlohmann::ordered_json::value_t::number_float:
      return Value::number(j.get<double>());
    default:
      return Value::null();
  }
}

bool parse_json_value(std::string_view text, Value& out, std::string& error) {
  if (json_depth(text, kMaxDepth) > kMaxDepth) {
    error = "JSON nests deeper than 128 levels";
    return false;
  }
  // A key repeated within one object is refused: nlohmann keeps the last value, Go's decoder
  // merges them by rules of its own; neither is worth guessing.
  std::vector<std::vector<std::string>> keys;
  std::string repeated;
  auto track = [&](int, nlohmann::ordered_json::parse_event_t event,
                   nlohmann::ordered_json& parsed) {
    using E = nlohmann::ordered_json::parse_event_t;
    if (event == E::object_start) {
      keys.emplace_back();
    } else if (event == E::object_end && !keys.empty()) {
      keys.pop_back();
    } else if (event == E::key && !keys.empty()) {
      const std::string& k = parsed.get_ref<const std::string&>();
      auto& seen = keys.back();
      if (std::find(seen.begin(), seen.end(), k) != seen.end()) {
        if (repeated.empty()) repeated = k;
      } else {
        seen.push_back(k);
      }
    }
    return true;
  };
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(text.begin(), text.end(), track, false);
  if (j.is_discarded()) {
    error = "not valid JSON";
    return false;
  }
  if (!repeated.empty()) {
    error = "an object repeating the key \"" + repeated + "\"";
    return false;
  }
  out = json_to_value(j);
  return true;
}

}  // namespace capguard::authz
