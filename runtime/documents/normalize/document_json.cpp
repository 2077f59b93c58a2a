#include "runtime/documents/normalize/document_json.hpp"

#include "lang/core/caps.hpp"

namespace capguard::normalize {

nlohmann::ordered_json to_json(const Value& v) {
  using json = nlohmann::ordered_json;
  switch (v.kind()) {
    case Kind::Null:
      return nullptr;
    case Kind::Bool:
      return v.as_bool();
    case Kind::Int:
    case Kind::Size:
    case Kind::Duration:
      return v.as_int();
    case Kind::Float:
      return v.as_float();
    case Kind::String:
      return v.as_string();
    case Kind::Caps: {
      json out = json::array();
      for (const std::string& name : caps::names(v.as_caps())) out.push_back(name);
      return out;
    }
    case Kind::List:
    case Kind::Set: {
      json out = json::array();
      for (const Value& item : v.as_list()) out.push_back(to_json(item));
      return out;
    }
    case Kind::Map: {
      // A Value map's keys are unique: append to the ordered map's vector directly, since its
      // operator[] searches it (quadratic in the keys).
      json out = json::object();
      auto& entries = out.get_ref<json::object_t&>();
      entries.reserve(v.as_map().size());
      for (const auto& [key, value] : v.as_map())
        entries.json::object_t::Container::emplace_back(key.str(), to_json(value));
      return out;
    }
  }
  return nullptr;
}

std::string to_pretty_json(const Value& v) {
  return to_json(v).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace capguard::normalize
