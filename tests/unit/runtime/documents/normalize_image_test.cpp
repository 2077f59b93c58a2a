// Docker image reference parsing (runtime/normalize/image_ref).

#include <catch2/catch.hpp>

#include "runtime/documents/normalize/image_ref.hpp"

using namespace capguard;
using capguard::normalize::parse_image_ref;

TEST_CASE("official images get docker.io and library/") {
  std::string error;
  auto r = parse_image_ref("nginx", error);
  REQUIRE(r);
  CHECK(r->registry == "docker.io");
  CHECK(r->repository == "docker.io/library/nginx");
  CHECK(!r->tag);
  CHECK(!r->digest);
  r = parse_image_ref("nginx:1.27-alpine", error);
  REQUIRE(r);
  CHECK(r->tag == "1.27-alpine");
  r = parse_image_ref("index.docker.io/library/redis:7", error);
  REQUIRE(r);
  CHECK(r->registry == "docker.io");
  CHECK(r->repository == "docker.io/library/redis");
}

TEST_CASE("user images on docker.io keep their namespace") {
  std::string error;
  auto r = parse_image_ref("traefik/whoami:v1.10", error);
  REQUIRE(r);
  CHECK(r->repository == "docker.io/traefik/whoami");
  CHECK(r->tag == "v1.10");
}

TEST_CASE("a first component with a dot, a port or localhost is a registry") {
  std::string error;
  auto r = parse_image_ref("ghcr.io/org/app:2", error);
  REQUIRE(r);
  CHECK(r->registry == "ghcr.io");
  CHECK(r->repository == "ghcr.io/org/app");
  r = parse_image_ref("localhost:5000/app", error);
  REQUIRE(r);
  CHECK(r->registry == "localhost:5000");
  CHECK(r->repository == "localhost:5000/app");
  CHECK(!r->tag);  // the port is not a tag
  r = parse_image_ref("localhost/app:dev", error);
  REQUIRE(r);
  CHECK(r->registry == "localhost");
  CHECK(r->tag == "dev");
}

TEST_CASE("digests, with and without a tag") {
  std::string error;
  const std::string digest =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  auto r = parse_image_ref("alpine@" + digest, error);
  REQUIRE(r);
  CHECK(r->digest == digest);
  CHECK(!r->tag);
  r = parse_image_ref("alpine:3.20@" + digest, error);
  REQUIRE(r);
  CHECK(r->tag == "3.20");
  CHECK(r->digest == digest);
}

TEST_CASE("invalid references are rejected with a reason") {
  std::string error;
  CHECK(!parse_image_ref("Nginx", error));
  CHECK(error.find("lowercase") != std::string::npos);
  CHECK(!parse_image_ref("nginx:bad tag", error));
  CHECK(!parse_image_ref("nginx@sha256:xyz", error));
  CHECK(!parse_image_ref("", error));
  CHECK(!parse_image_ref("-nginx", error));
  CHECK(!parse_image_ref("a//b", error));
}
