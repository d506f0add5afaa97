# The README's commands. CMake + Ninja do the building; this file only
# names the steps.
BUILD       ?= build
BUILD_ASAN  ?= build-asan
BUILD_FUZZ  ?= build-fuzz
FUZZ_SECONDS ?= 30
SHARED_DATA ?= $(CURDIR)/../shared/data
JOBS        ?= $(shell nproc)

.PHONY: all deps build ui run demo test test-unit test-asan bench fuzz clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# The web UI (ui/dist), served by the daemon at /.
ui: deps
	@scripts/build-ui.sh

run: build ui
	$(BUILD)/bgpsentry run

# Real RIS data replayed as a live system (no network needed).
demo: build ui
	$(BUILD)/bgpsentry run --demo

test: build ui
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Unit tests only (used by CI for the sanitizer pass).
test-unit: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L unit

test-asan: deps ui
	@cmake -S . -B $(BUILD_ASAN) -G Ninja -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_C_COMPILER=clang -DBGPS_SANITIZE=ON >/dev/null
	@cmake --build $(BUILD_ASAN) -j $(JOBS)
	cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) $(ASAN_CTEST_ARGS)

bench: build ui
	bench/run.sh $(BUILD) $(SHARED_DATA)
	bench/run_mrt.sh $(BUILD) $(SHARED_DATA)
	bench/run_rib.sh $(BUILD) $(SHARED_DATA)
	bench/run_api.sh $(BUILD) $(SHARED_DATA)
	bench/run_bgp.sh $(BUILD) $(SHARED_DATA)
	bench/run_bmp.sh $(BUILD) $(SHARED_DATA)
	bench/run_rislive.sh $(BUILD) $(SHARED_DATA)
	bench/run_rpki.sh $(BUILD) $(SHARED_DATA)
	bench/run_ui.sh $(BUILD) $(SHARED_DATA)

# Each libFuzzer target for FUZZ_SECONDS, seeded from real messages.
fuzz: deps
	@cmake -S . -B $(BUILD_FUZZ) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_C_COMPILER=clang -DBGPS_FUZZ=ON >/dev/null
	@cmake --build $(BUILD_FUZZ) -j $(JOBS)
	tests/fuzz/run.sh $(BUILD_FUZZ) $(FUZZ_SECONDS) $(SHARED_DATA)

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ)
