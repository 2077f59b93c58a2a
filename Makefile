# capguard: the two commands of the quick start are `make run` and `make test`.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
DEB_PACKAGES := g++ cmake make pkg-config tao-pegtl-dev libyaml-cpp-dev nlohmann-json3-dev \
                libfmt-dev catch2 libre2-dev libcpp-httplib-dev python3 man-db
# What the tests use besides the build: completions in each shell, the CI integrations' hosts and
# the schema validators (tests/docs, tests/ci).
TEST_PACKAGES := python3-yaml python3-jsonschema libxml2-utils pre-commit git zsh fish
BENCH_PACKAGES := libbenchmark-dev

.PHONY: all deps build run test test-engine bench format format-check clean install deb test-install \
        test-authz-engine
PREFIX ?= /usr/local

all: build

# Install whichever Debian packages are missing: with apt-get when root, otherwise print the one
# command to run and stop.
deps:
	@./scripts/ensure-deps.sh $(DEB_PACKAGES)

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	@./scripts/run-examples.sh $(BUILD_DIR)/cli/capguard

test: build
	@./scripts/ensure-deps.sh $(TEST_PACKAGES)
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# capguard against a real Docker Engine (tests/engine/README.md): a private dockerd, containers
# created from every compose file of tests/engine/corpus, the policy ids of both sides compared.
test-engine: build
	tests/engine/run.sh $(BUILD_DIR)/cli/capguard

bench: deps
	@./scripts/ensure-deps.sh $(BENCH_PACKAGES)
	cmake -S . -B $(BUILD_DIR)-bench -DCMAKE_BUILD_TYPE=Release -DCAPGUARD_BUILD_BENCH=ON \
	      -DCAPGUARD_BUILD_TESTS=OFF $(CMAKE_FLAGS)
	cmake --build $(BUILD_DIR)-bench -j $(JOBS)
	@for b in $(BUILD_DIR)-bench/bench/bench_*; do [ -x "$$b" ] && "$$b" || exit 1; done

# Installs the binary, man pages, completions and spec/ under PREFIX (default /usr/local).
install: build
	cmake --install $(BUILD_DIR) --prefix $(PREFIX)

# The Debian package, $(BUILD_DIR)/capguard_<version>_<arch>.deb (CPack; cmake/Packaging.cmake).
deb: build
	cd $(BUILD_DIR) && cpack -G DEB

# Installs that package with apt in a fresh Debian 12 root (debootstrap) and runs it from there.
test-install: deb
	@./scripts/ensure-deps.sh debootstrap lintian
	bash tests/install/install_test.sh $(BUILD_DIR)

# capguard authz in front of a real dockerd (root, dockerd, docker CLI, curl; about 15 s).
test-authz-engine: build
	bash tests/authz/engine_test.sh $(BUILD_DIR)/cli/capguard

format:
	find lang runtime cli tests bench \( -name '*.cpp' -o -name '*.hpp' \) -print0 | xargs -0 clang-format -i

format-check:
	find lang runtime cli tests bench \( -name '*.cpp' -o -name '*.hpp' \) -print0 | xargs -0 clang-format --dry-run --Werror

clean:
	rm -rf $(BUILD_DIR) $(BUILD_DIR)-bench
