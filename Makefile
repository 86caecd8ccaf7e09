# GlassDynamics: two commands for a new machine.
#   make demo   installs what is missing, builds in release, runs a small TLS job
#   make test   installs what is missing, builds and runs every test
SHELL := /bin/bash
DEBS := libopenblas-dev liblapacke-dev gnuplot-nox
SWIFT ?= swift
RELEASE_BIN := .build/release/glassdyn
DEMO_OUT ?= runs/demo

.PHONY: all deps build release demo test bench docs clean slurm-check html-check

all: release

# Debian packages: LAPACKE/OpenBLAS for the eigensolvers and BLAS kernels, gnuplot for plots.
deps:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# The main jobs on small defaults: one TLS run, one electron-glass run, then every figure of
# the paper and Table I at the quick preset (about 2 minutes in all on 2 cores).
demo: release
	$(RELEASE_BIN) tls --n 1000 --t 0.05 --realizations 20 --out $(DEMO_OUT)/tls --force
	$(RELEASE_BIN) eg --n 1000 --t 0.1 --xi 0.1 --realizations 20 --out $(DEMO_OUT)/eg --force
	$(RELEASE_BIN) reproduce --preset quick --out $(DEMO_OUT)/reproduce --force
	@echo
	@echo "demo: results in $(DEMO_OUT)/:"
	@echo "  $(DEMO_OUT)/tls/        TLS glass: summary.json, dos.csv, rates.csv, rates_linear.csv, relaxation.csv"
	@echo "  $(DEMO_OUT)/eg/         electron glass: the same files"
	@echo "  $(DEMO_OUT)/reproduce/  REPORT.md and REPORT.html (figures 1-16, verdicts, Table I) and figNN/ folders with PNG, SVG, CSV, gnuplot scripts"
	@echo "  README.md lists every file and its columns."

# Tests run in release: the physics tests solve real systems (N = 1000); the command tests run
# in-process and a few end-to-end tests use the release binary. Tests reach the targets'
# internals through Swift's `package` access (no @testable), so the test build reuses the
# release build instead of compiling everything again with testability.
test: deps
	$(SWIFT) build -c release
	GLASSDYN_BIN=$(CURDIR)/$(RELEASE_BIN) $(SWIFT) test -c release --disable-testable-imports

# examples/slurm on a real, private single-node Slurm (installs slurm-wlm and munge if missing,
# runs as root, stops its daemons at the end): shards, cancel + resubmit, SIGTERM + requeue,
# a refused --mem job and the merges, compared byte for byte with single-process runs.
slurm-check: release
	GLASSDYN_BIN=$(CURDIR)/$(RELEASE_BIN) scripts/slurm-check.sh

# REPORT.html in a real browser: installs Debian's chromium if missing (apt-get), runs a small
# reproduction (quick preset, Figs. 2 and 14, into runs/html-check), opens REPORT.html from file://
# in headless Chromium with every host name unresolvable, and checks that each figure's inline SVG
# is drawn with a non-zero size, that every in-page link resolves and that nothing was fetched;
# leaves a screenshot, runs/html-check/REPORT.png (about 40 s after the release build).
html-check: release
	GLASSDYN_BIN=$(CURDIR)/$(RELEASE_BIN) scripts/html-check.sh

# The NumPy reference runs beside glassdyn when numpy is importable (pip-installed if possible).
bench: release
	@python3 -c 'import numpy' 2>/dev/null || python3 -m pip install --quiet --user numpy >/dev/null 2>&1 \
	  || echo "bench: numpy is not installed (pip install numpy); the NumPy reference will be skipped"
	$(RELEASE_BIN) bench

# The DocC catalog of the core library (Sources/GlassDynamics/GlassDynamics.docc); CI builds it
# after the tests, so a broken symbol link fails CI.
docs:
	$(SWIFT) package generate-documentation --target GlassDynamics --warnings-as-errors

clean:
	rm -rf .build runs
