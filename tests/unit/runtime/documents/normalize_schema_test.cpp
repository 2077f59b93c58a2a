// The document schema, the document-model reference (spec/document-model.md) and the
// normalizer's output agree: every object's fields in the same order with the same types.

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/documents/document_schema.hpp"
#include "runtime/documents/inputs.hpp"

using namespace capguard;

namespace {

struct DocRow {
  std::string field;
  std::string type;
};

// Object name -> the rows of its table, from the "## `name`" sections of the reference.
std::map<std::string, std::vector<DocRow>> documented_objects() {
  std::ifstream in(std::string(CAPGUARD_SOURCE_DIR) + "/spec/document-model.md");
  REQUIRE(in);
  std::map<std::string, std::vector<DocRow>> out;
  std::string line, current;
  while (std::getline(in, line)) {
    if (line.rfind("## `", 0) == 0) {
      current = line.substr(4, line.find('`', 4) - 4);
      out[current];
      continue;
    }
    if (line.rfind("## ", 0) == 0) current.clear();
    if (current.empty() || line.rfind("| `", 0) != 0) continue;
    // | `field` | `type` | ...
    size_t f1 = line.find('`') + 1, f2 = line.find('`', f1);
    size_t t1 = line.find('`', f2 + 1) + 1, t2 = line.find('`', t1);
    out[current].push_back({line.substr(f1, f2 - f1), line.substr(t1, t2 - t1)});
  }
  return out;
}

// Checks that `v` has exactly the fields of object type `t`, in order, recursively.
void check_shape(const Value& v, const Type& t, const std::string& path) {
  INFO(path);
  if (v.is_null()) {
    CHECK(t.nullable);
    return;
  }
  switch (t.kind) {
    case TypeKind::Object: {
      REQUIRE(v.is_map());
      EntriesView entries = v.as_map();
      REQUIRE(entries.size() == t.fields.size());
      for (size_t i = 0; i < entries.size(); ++i) {
        CHECK(entries[i].first == t.fields[i].name);
        check_shape(entries[i].second, *t.fields[i].type, path + "." + t.fields[i].name);
      }
      break;
    }
    case TypeKind::List:
      REQUIRE(v.is_list());
      for (const Value& item : v.as_list()) check_shape(item, *t.elem, path + "[]");
      break;
    case TypeKind::Map:
      REQUIRE(v.is_map());
      for (const auto& [k, item] : v.as_map()) check_shape(item, *t.elem, path + "." + k);
      break;
    case TypeKind::Bool:
      CHECK(v.is_bool());
      break;
    case TypeKind::Int:
      CHECK(v.is_int());
      break;
    case TypeKind::Float:
      CHECK(v.is_float());
      break;
    case TypeKind::String:
      CHECK(v.is_string());
      break;
    case TypeKind::Size:
      CHECK(v.kind() == Kind::Size);
      break;
    case TypeKind::Duration:
      CHECK(v.kind() == Kind::Duration);
      break;
    case TypeKind::Caps:
      CHECK(v.kind() == Kind::Caps);
      break;
    default:
      break;
  }
}

const char* kFullCompose = R"(services:
  web:
    image: nginx:1.27
    cap_add: [NET_ADMIN]
    user: "1000:1000"
    security_opt: [no-new-privileges, "label=disable"]
    volumes: ["/srv:/srv:ro", "data:/data"]
    tmpfs: ["/tmp:size=1m"]
    ports: ["8080:80"]
    mem_limit: 1g
    cpus: 0.5
    pids_limit: 100
    devices: ["/dev/fuse"]
    healthcheck: {test: [CMD, true], interval: 10s, retries: 2}
    restart: on-failure:3
    environment: {A: "1"}
    secrets: [token]
    sysctls: {net.core.somaxconn: 1024}
    ulimits: {nofile: {soft: 1, hard: 2}}
    cgroup_parent: /custom
    device_cgroup_rules: ["c 1:3 mr"]
    gpus: [{count: 1}]
    runtime: runsc
    storage_opt: {size: 1G}
)";

const char* kFullInspect = R"([{"Id": "0123456789abcdef", "Name": "/c",
  "Config": {"User": "0", "Image": "alpine", "Env": ["A=1"],
             "Healthcheck": {"Test": ["NONE"]}},
  "HostConfig": {"Privileged": true, "CapAdd": null, "CapDrop": ["ALL"], "Memory": 1048576,
                 "NanoCpus": 500000000, "PidsLimit": 10, "Binds": ["/a:/b:ro"],
                 "PortBindings": {"53/udp": [{"HostIp": "127.0.0.1", "HostPort": "53"}]},
                 "Devices": [{"PathOnHost": "/dev/kvm", "PathInContainer": "/dev/kvm",
                              "CgroupPermissions": "rw"}],
                 "RestartPolicy": {"Name": "always", "MaximumRetryCount": 0},
                 "Sysctls": {"a.b": "1"}, "Ulimits": [{"Name": "nproc", "Soft": 5, "Hard": 6}],
                 "CgroupParent": "/p", "DeviceCgroupRules": ["c 1:3 mr"],
                 "Runtime": "runc", "StorageOpt": {"size": "1G"},
                 "DeviceRequests": [{"Count": 1, "Capabilities": [["gpu"]]}]}}])";

}  // namespace

TEST_CASE("every schema object and field is documented, in order, with its type") {
  auto docs = documented_objects();
  const Schema& schema = document_schema();
  for (const auto& [name, type] : schema.objects) {
    INFO("object " << name);
    REQUIRE(docs.count(name) == 1);
    const std::vector<DocRow>& rows = docs[name];
    REQUIRE(rows.size() == type->fields.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      CHECK(rows[i].field == type->fields[i].name);
      CHECK(rows[i].type == type_name(*type->fields[i].type));
    }
  }
  // ... and nothing is documented that the schema lacks.
  for (const auto& [name, rows] : docs) {
    INFO("documented object " << name);
    CHECK(schema.objects.count(name) == 1);
  }
}

TEST_CASE("the schema's root is a list of services") {
  const Schema& schema = document_schema();
  REQUIRE(schema.roots.count("services") == 1);
  const Type& root = *schema.roots.at("services");
  CHECK(root.kind == TypeKind::List);
  CHECK(root.elem == service_type());
  CHECK(service_type()->slot_of("name") == 0);
  CHECK(service_type()->slot_of("raw") == static_cast<int>(service_type()->fields.size()) - 1);
}

TEST_CASE("normalized compose services have exactly the schema's fields in slot order") {
  Diagnostics diags;
  LoadedInput in = load_input_text("full.yaml", kFullCompose, InputFormat::Compose, diags);
  INFO(render(diags));
  REQUIRE(in.ok);
  const Value& services = *in.document.get("services");
  REQUIRE(services.as_list().size() == 1);
  check_shape(services, *document_schema().roots.at("services"), "services");
}

TEST_CASE("normalized inspect containers have exactly the schema's fields in slot order") {
  Diagnostics diags;
  LoadedInput in = load_input_text("full.json", kFullInspect, InputFormat::Auto, diags);
  INFO(render(diags));
  REQUIRE(in.ok);
  const Value& services = *in.document.get("services");
  REQUIRE(services.as_list().size() == 1);
  check_shape(services, *document_schema().roots.at("services"), "services");
}
