# gatecv — the two commands a new user needs: `make demo` and `make test`.
# Both first run packaging/install-deps.sh (installs missing Debian packages, fetches and
# converts the models; a no-op when all is there), then configure and build with CMake.

BUILD      ?= build
ASAN_BUILD ?= build-asan
PKG_BUILD  ?= build-pkg
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
JOBS       ?= $(shell nproc)
CMAKE_ARGS ?=

.PHONY: all deps models build demo test test-asan fuzz package bench bench-readers bench-realtime eval clean

all: build

deps:
	@packaging/install-deps.sh

models:
	@models/fetch-models.sh

build: deps
	@cmake -S . -B $(BUILD) $(CMAKE_ARGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@scripts/demo.sh $(BUILD)

test: build
	@ctest --test-dir $(BUILD) --output-on-failure

# The same suite built with AddressSanitizer + UndefinedBehaviorSanitizer. tests/lsan.supp
# names the few one-time GLib/GStreamer allocations that are never freed by design; GLib has
# no frame pointers, so the slow unwinder (10 frames) is what lets those entries match.
test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DGATECV_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug $(CMAKE_ARGS) >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0:malloc_context_size=10 \
	 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 ctest --test-dir $(ASAN_BUILD) --output-on-failure

# Fuzzing (fuzz/): the parsers that take outside input, built alone with clang for libFuzzer
# with ASan + UBSan in $(FUZZ_BUILD) (GATECV_FUZZ=ON: no GStreamer or ZeroMQ; OpenCV's core only,
# uninstrumented, for the calibration file's FileStorage), then
# each fuzzer for FUZZ_SECONDS, seeded from fuzz/corpus/TARGET and fuzz/regressions/TARGET; what
# it learns is kept in $(FUZZ_BUILD)/corpus/TARGET, an input that breaks it in
# $(FUZZ_BUILD)/crash-TARGET-* (one that takes over 10 s too: a hang). (make test replays the
# repo's inputs without clang.)
FUZZ_TARGETS ?= lane_config bus_request journal_record calibration
fuzz: deps
	@cmake -S . -B $(FUZZ_BUILD) -DGATECV_FUZZ=ON -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
	    -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS) >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(FUZZ_BUILD)/corpus/$$t; \
	    echo "== fuzz_$$t: $(FUZZ_SECONDS) s"; \
	    $(FUZZ_BUILD)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
	        -artifact_prefix=$(FUZZ_BUILD)/crash-$$t- $(FUZZ_BUILD)/corpus/$$t fuzz/corpus/$$t \
	        fuzz/regressions/$$t >$(FUZZ_BUILD)/fuzz_$$t.log 2>&1; rc=$$?; \
	    grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)|^INFO|^"|dictionary' $(FUZZ_BUILD)/fuzz_$$t.log \
	        | tail -n 40; \
	    [ $$rc = 0 ] || { echo "fuzz_$$t failed (log: $(FUZZ_BUILD)/fuzz_$$t.log)"; exit 1; }; \
	done

# The Debian package (packaging/): a RelWithDebInfo build of its own in $(PKG_BUILD), for /usr
# (GATECV_PACKAGE=ON: its programs look for the models and the plugin where the package puts
# them), packed by CPack into gatecv_VERSION_ARCH.deb, copied here. tests/test_package.sh
# builds, unpacks and runs the same package.
package: deps
	@cmake -S . -B $(PKG_BUILD) -DGATECV_PACKAGE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS) >/dev/null
	@rm -f $(PKG_BUILD)/gatecv_*.deb
	@cmake --build $(PKG_BUILD) -j $(JOBS) --target package
	@cp $(PKG_BUILD)/gatecv_*.deb . && ls gatecv_*.deb

# Reader speed on one core, today's reader beside the one before its speed-up (--legacy) in
# one run, with the ratio of the medians: the generated 1920x1080 scenes (seeded; the set's
# crops are left out), then each kind of ../shared/data/real when it is there (at most 40
# images a kind; EU and US plates as gatecv-eval reads them: generic, one full-scale pass).
# Then a generated 1080p lane (4 cameras, 3 vehicles; made again when the generator is newer
# than it): one camera's frames per second on one core with and without the motion gate, and
# the event lag of a replay at the recording's own rate with all four cameras on the
# machine's cores. Last, event delivery: crossing events per second through the journal
# (fdatasync), the bus's PUB socket and one subscriber, with three 1080p evidence JPEGs
# each, and the latency from the decision to the subscriber's receipt (p50, p95, max).
# Last, live real time (issue 15): four 1080p25 cameras on a ten-minute gate-traffic lane
# and on a two-minute peak lane (made once: about 45 and 10 minutes), each replayed as fast
# as possible and then with --realtime: vehicles, plates, codes, vehicles verified,
# wrong-but-verified, the lag to the first notice and to the final event, gatecvd's CPU
# against decoding the same recordings alone, peak RSS, and the readers' backlog and drops.
# These two lanes are the measuring lanes: nobody tunes on them.
REAL ?= ../shared/data/real
BENCH_LANE = $(BUILD)/bench-lane
GATE_LANE = $(BUILD)/bench-gate
PEAK_LANE = $(BUILD)/bench-peak
bench: build bench-readers bench-realtime

bench-readers: build
	@$(BUILD)/fixtures/stillgen/gatecv-stillgen --out $(BUILD)/bench-set --seed 2024 --count 24 --size 1920x1080 >/dev/null
	@$(BUILD)/tools/gatecv-bench --compare \
	    $$(awk -F'\t' 'NR > 1 && $$4 ~ /^scene/ {print "$(BUILD)/bench-set/" $$1}' $(BUILD)/bench-set/meta.tsv)
	@for kind in plate_vn plate_cn container plate_eu plate_us; do \
	    [ -d $(REAL)/$$kind ] || continue; \
	    case $$kind in plate_eu|plate_us) opts="--plates generic --coarse-size 0" ;; *) opts= ;; esac; \
	    echo "real $$kind:"; \
	    $(BUILD)/tools/gatecv-bench --compare $$opts $$(ls $(REAL)/$$kind/*.jpg | head -n 40); \
	done
	@[ $(BENCH_LANE)/truth.json -nt $(BUILD)/fixtures/scenegen/gatecv-scenegen ] || \
	    { rm -rf $(BENCH_LANE); $(BUILD)/fixtures/scenegen/gatecv-scenegen --out $(BENCH_LANE) \
	    --seed 11 --vehicles 3 --size 1920x1080 2>&1 | tail -n 1; }
	@roi=$$(sed -n '/^\[camera front\]/,/^\[/s/^roi=//p' $(BENCH_LANE)/lane.conf); \
	 $(BUILD)/tools/gatecv-lanebench --roi "$$roi" $(BENCH_LANE)/front.mkv
	@$(BUILD)/tools/gatecv-eval --replay $(BENCH_LANE) --realtime --report $(BUILD)/bench-lane-report.json
	@$(BUILD)/tools/gatecv-busbench

bench-realtime: build
	@[ $(GATE_LANE)/truth.json -nt $(BUILD)/fixtures/scenegen/gatecv-scenegen ] || \
	    { rm -rf $(GATE_LANE); $(BUILD)/fixtures/scenegen/gatecv-scenegen --out $(GATE_LANE) \
	    --seed 15 --scenario gate --size 1920x1080 2>&1 | tail -n 1; }
	@[ $(PEAK_LANE)/truth.json -nt $(BUILD)/fixtures/scenegen/gatecv-scenegen ] || \
	    { rm -rf $(PEAK_LANE); $(BUILD)/fixtures/scenegen/gatecv-scenegen --out $(PEAK_LANE) \
	    --seed 16 --scenario peak --size 1920x1080 2>&1 | tail -n 1; }
	@for lane in $(GATE_LANE) $(PEAK_LANE); do \
	    echo "== $$lane: as fast as possible"; \
	    $(BUILD)/tools/gatecv-eval --replay $$lane --report $$lane-fast.json 2>/dev/null; \
	    echo "== $$lane: --realtime (against decoding alone)"; \
	    $(BUILD)/tools/gatecv-eval --replay $$lane --realtime --baseline --report $$lane-realtime.json 2>/dev/null; \
	done

# Accuracy: the real development set (if present) and a generated still set.
eval: build
	@if [ -f $(REAL)/labels.tsv ]; then $(BUILD)/tools/gatecv-eval --report $(BUILD)/eval-real.json $(REAL)/labels.tsv; fi
	@$(BUILD)/fixtures/stillgen/gatecv-stillgen --out $(BUILD)/eval-set --seed 7 --count 150 >/dev/null
	@$(BUILD)/tools/gatecv-eval --report $(BUILD)/eval-synthetic.json $(BUILD)/eval-set/labels.tsv

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(PKG_BUILD) $(FUZZ_BUILD)
