# Closer: `make demo` runs it, `make test` tests it. Both install missing system packages first.
PREFIX ?= /usr/local
SWIFT ?= swift
CONFIG ?= debug

.PHONY: all deps build release demo test bench install clean

all: build

deps:
	@scripts/install-deps.sh build

build: deps
	$(SWIFT) build -c $(CONFIG)

release: deps
	$(SWIFT) build -c release

# The demo on the embedded SQLite: a server seeded with a rep, 40 leads and 30 days of threads.
demo: deps
	@scripts/demo.sh

# Every test, on SQLite and on a throwaway PostgreSQL cluster started for the run.
test:
	@scripts/install-deps.sh test
	$(SWIFT) build --build-tests
	scripts/with-postgres.sh $(SWIFT) test --skip-build

bench:
	@scripts/install-deps.sh bench
	bench/run-all.sh

install: release
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 .build/release/closer-server $(DESTDIR)$(PREFIX)/bin/closer-server

clean:
	$(SWIFT) package clean
