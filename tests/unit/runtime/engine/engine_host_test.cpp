// Engine hosts as the docker CLI reads them: DOCKER_HOST URLs, the TLS environment, contexts.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>

#include "runtime/engine/host.hpp"

using namespace capguard::engine;
namespace fs = std::filesystem;

namespace {

Getenv fake_env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

struct TempDir {
  fs::path path;
  TempDir() {
    char templ[] = "/tmp/capguard-host-test.XXXXXX";
    path = mkdtemp(templ);
  }
  ~TempDir() { fs::remove_all(path); }
};

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

}  // namespace

TEST_CASE("DOCKER_HOST URLs", "[engine]") {
  std::string error;
  auto h = parse_host_url("unix:///run/user/1000/docker.sock", false, error);
  REQUIRE(h);
  CHECK(h->is_unix);
  CHECK(h->socket_path == "/run/user/1000/docker.sock");
  CHECK(h->label == "unix:///run/user/1000/docker.sock");
  CHECK(parse_host_url("unix://", false, error)->socket_path == "/var/run/docker.sock");
  CHECK(parse_host_url("tcp://10.0.0.5", false, error)->address == "10.0.0.5:2375");
  CHECK(parse_host_url("tcp://10.0.0.5", true, error)->address == "10.0.0.5:2376");
  CHECK(parse_host_url("tcp://:2375", false, error)->url == "tcp://localhost:2375");
  CHECK(parse_host_url("tcp://[::1]:2380/", false, error)->address == "[::1]:2380");
  CHECK_FALSE(parse_host_url("tcp://host:port", false, error));
  CHECK(error == "docker host `tcp://host:port`: the port `port` is not a number");
  CHECK_FALSE(parse_host_url("tcp://host:70000", false, error));
  CHECK_FALSE(parse_host_url("tcp://host:2375/v1", false, error));
  CHECK_FALSE(parse_host_url("ssh://me@host", false, error));
  CHECK(error.find("ssh:// hosts are not supported") != std::string::npos);
  CHECK_FALSE(parse_host_url("/var/run/docker.sock", false, error));
  CHECK(error.find("expected unix:///PATH or tcp://HOST:PORT") != std::string::npos);
}

TEST_CASE("the environment's host and TLS, as the docker CLI reads them", "[engine]") {
  std::string error;
  auto h = host_from_environment("", fake_env({}), error);
  REQUIRE(h);
  CHECK(h->url == "unix:///var/run/docker.sock");
  h = host_from_environment("", fake_env({{"DOCKER_HOST", "tcp://h:1"}}), error);
  CHECK(h->url == "tcp://h:1");
  CHECK_FALSE(h->tls);
  TempDir certs;
  write(certs.path / "cert.pem", "x");
  h = host_from_environment("",
                            fake_env({{"DOCKER_HOST", "tcp://h"},
                                      {"DOCKER_TLS_VERIFY", "1"},
                                      {"DOCKER_CERT_PATH", certs.path.string()}}),
                            error);
  CHECK(h->address == "h:2376");
  CHECK(h->tls);
  CHECK(h->tls_verify);
  CHECK(h->ca_file == (certs.path / "ca.pem").string());
  CHECK(h->cert_file == (certs.path / "cert.pem").string());
  CHECK(h->key_file.empty());  // no key.pem: not used, as the CLI does
  // DOCKER_TLS: TLS without verification; the cert path defaults to the config folder.
  h = host_from_environment("tcp://h:9", fake_env({{"DOCKER_TLS", "1"}, {"HOME", "/home/u"}}),
                            error);
  CHECK(h->tls);
  CHECK_FALSE(h->tls_verify);
  CHECK(h->ca_file == "/home/u/.docker/ca.pem");
  // An empty DOCKER_TLS_VERIFY is unset, as for the CLI.
  h = host_from_environment("tcp://h:9", fake_env({{"DOCKER_TLS_VERIFY", ""}}), error);
  CHECK_FALSE(h->tls);
  CHECK(docker_config_dir(fake_env({{"DOCKER_CONFIG", "/etc/d"}, {"HOME", "/h"}})) == "/etc/d");
}

TEST_CASE("contexts from the docker CLI's store", "[engine]") {
  // Known SHA-256 vectors (FIPS 180-2).
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  TempDir config;
  std::string error;
  // Written as `docker context create remote --docker host=tcp://10.1.2.3:2376` writes it.
  std::string id = sha256_hex("remote");
  write(config.path / "contexts/meta" / id / "meta.json",
        R"({"Name":"remote","Metadata":{},"Endpoints":{"docker":{"Host":"tcp://10.1.2.3:2376",)"
        R"("SkipTLSVerify":false}}})");
  auto h = context_host("remote", config.path.string(), fake_env({}), error);
  REQUIRE(h);
  CHECK(h->label == "remote");
  CHECK(h->url == "tcp://10.1.2.3:2376");
  CHECK_FALSE(h->tls);
  write(config.path / "contexts/tls" / id / "docker/ca.pem", "x");
  write(config.path / "contexts/tls" / id / "docker/key.pem", "x");
  h = context_host("remote", config.path.string(), fake_env({}), error);
  CHECK(h->tls);
  CHECK(h->tls_verify);
  CHECK(h->ca_file == (config.path / "contexts/tls" / id / "docker/ca.pem").string());
  CHECK(h->cert_file.empty());
  CHECK(h->key_file == (config.path / "contexts/tls" / id / "docker/key.pem").string());
  CHECK_FALSE(context_host("nope", config.path.string(), fake_env({}), error));
  CHECK(error.find("docker context `nope` not found") != std::string::npos);
  h = context_host("default", config.path.string(), fake_env({{"DOCKER_HOST", "unix:///s"}}),
                   error);
  CHECK(h->socket_path == "/s");
  CHECK(h->label == "default");
  write(config.path / "contexts/meta" / sha256_hex("broken") / "meta.json", "{\"Name\": 1}");
  CHECK_FALSE(context_host("broken", config.path.string(), fake_env({}), error));
  CHECK(error.find("has no docker endpoint") != std::string::npos);
}
