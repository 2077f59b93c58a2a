# capguard: the two commands of the quick start are `make run` and `make test`.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
# libcurl4-openssl-dev: curl's headers (the library is loaded at run time, when a command talks to
# an engine; runtime/engine/curl_library.hpp).
DEB_PACKAGES := g++ cmake make pkg-config tao-pegtl-dev libyaml-cpp-dev nlohmann-json3-dev \
                libfmt-dev catch2 libre2-dev python3 man-db libcurl4-openssl-dev
# What the tests use besides the build: completions in each shell, the CI integrations' hosts and
# the schema validators (tests/docs, tests/ci).
TEST_PACKAGES := python3-yaml python3-jsonschema libxml2-utils pre-commit git zsh fish
BENCH_PACKAGES := libbenchmark-dev

.PHONY: all deps build run test test-engine test-engine-live test-authz-engine test-asan fuzz bench \
        bench-whole format format-check clean install deb test-install
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

# capguard against a real dockerd that the test starts (its own data root and socket, never the
# system daemon; needs root, dockerd, docker, docker-compose, openssl, setpriv):
# tests/engine-live/run.sh, ~55 s.
test-engine-live: build
	bash tests/engine-live/run.sh $(BUILD_DIR)/cli/capguard

# The whole suite built with AddressSanitizer and UndefinedBehaviorSanitizer, in its own build
# folder. -O1 without debug info: the fastest build that still reports with file and line (via
# the symbolizer); about 12 minutes from scratch on 2 cores, the suite about 2 minutes.
ASAN_DIR ?= $(BUILD_DIR)-asan
SANITIZER_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=0 \
                 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
test-asan: deps
	cmake -S . -B $(ASAN_DIR) -DCMAKE_BUILD_TYPE=Release -DCAPGUARD_SANITIZE=ON \
	      "-DCMAKE_CXX_FLAGS_RELEASE=-O1" $(CMAKE_FLAGS)
	cmake --build $(ASAN_DIR) -j $(JOBS)
	cd $(ASAN_DIR) && $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS)

# Every libFuzzer harness of tests/fuzz for FUZZ_SECONDS each (clang++-14, its own build folder);
# fails when one finds a crash, a leak or a timeout (tests/fuzz/README.md).
FUZZ_DIR ?= $(BUILD_DIR)-fuzz
FUZZ_SECONDS ?= 60
fuzz: deps
	cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
	      -DCAPGUARD_BUILD_FUZZ=ON -DCAPGUARD_BUILD_TESTS=OFF $(CMAKE_FLAGS)
	cmake --build $(FUZZ_DIR) -j $(JOBS)
	./tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS)

bench: deps
	@./scripts/ensure-deps.sh $(BENCH_PACKAGES)
	cmake -S . -B $(BUILD_DIR)-bench -DCMAKE_BUILD_TYPE=Release -DCAPGUARD_BUILD_BENCH=ON \
	      -DCAPGUARD_BUILD_TESTS=OFF $(CMAKE_FLAGS)
	cmake --build $(BUILD_DIR)-bench -j $(JOBS)
	@for b in $(BUILD_DIR)-bench/bench/bench_*; do [ -x "$$b" ] && "$$b" || exit 1; done
	python3 bench/whole.py --build $(BUILD_DIR)-bench $(WHOLE_FLAGS)

# Only the whole-process suite (bench/whole.py; WHOLE_FLAGS=--quick for a short run).
bench-whole: deps
	cmake -S . -B $(BUILD_DIR)-bench -DCMAKE_BUILD_TYPE=Release -DCAPGUARD_BUILD_BENCH=ON \
	      -DCAPGUARD_BUILD_TESTS=OFF $(CMAKE_FLAGS)
	cmake --build $(BUILD_DIR)-bench -j $(JOBS) --target capguard floor
	python3 bench/whole.py --build $(BUILD_DIR)-bench $(WHOLE_FLAGS)

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
	rm -rf $(BUILD_DIR) $(BUILD_DIR)-bench $(ASAN_DIR) $(FUZZ_DIR)
