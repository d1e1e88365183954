# Thin wrapper over Meson for the common jobs.
#   make          build (release-ish, in build/)
#   make run      start a throwaway local cluster and show `siphon status` against it
#                 (scripts/demo)
#   make check    install what is missing, build with ASan/UBSan, run every test
#   make stop     stop the throwaway cluster started by `make run`
#   make fuzz     run each fuzz target for FUZZ_SECONDS (default 60)
#   make install  build, then install the siphon command, libsiphon, libsiphon-cephfs,
#                 their headers and pkg-config files under PREFIX (default /usr/local;
#                 DESTDIR is honoured)

BUILD ?= build
RUNDIR ?= $(CURDIR)/run/demo
FUZZ_SECONDS ?= 60
PREFIX ?= /usr/local

.PHONY: all deps build install run stop check fuzz clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

install: build
	meson configure $(BUILD) -Dprefix=$(PREFIX)
	meson install -C $(BUILD) $(if $(DESTDIR),--destdir $(DESTDIR))

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
