# Thin wrapper over Meson for the common jobs.
#   make          build (release-ish, in build/)
#   make run      start a throwaway local cluster and show `siphon status` against it
#                 (scripts/demo)
#   make check    install what is missing, build with ASan/UBSan, run every test
#   make stop     stop the throwaway cluster started by `make run`
#   make fuzz     run each fuzz target for FUZZ_SECONDS (default 60)

BUILD ?= build
RUNDIR ?= $(CURDIR)/run/demo
FUZZ_SECONDS ?= 60

.PHONY: all deps build run stop check fuzz clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

run:
	@scripts/demo

stop:
	@scripts/cluster stop --dir $(RUNDIR)

check: deps
	@scripts/check

fuzz: deps
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz

clean:
	rm -rf $(BUILD) build-check build-fuzz
