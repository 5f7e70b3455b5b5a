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

# Static Swift runtime, lld, packed relocations, no exported symbols: see scripts/swift-release-build.sh.
release: deps
	SWIFT=$(SWIFT) scripts/swift-release-build.sh

# closer --demo: the real server in process on the embedded SQLite, a seeded rep, simulated leads.
demo: deps
	@scripts/demo.sh

# Every test, on SQLite and on a throwaway PostgreSQL cluster started for the run. The suite takes
# about a minute on 2 cores; a hung test stops the run after TEST_DEADLINE seconds and is named.
TEST_DEADLINE ?= 1200
test:
	@scripts/install-deps.sh test
	$(SWIFT) build --build-tests
	scripts/with-postgres.sh scripts/with-deadline.py $(TEST_DEADLINE) $(SWIFT) test --skip-build

bench:
	@scripts/install-deps.sh bench
	bench/run-all.sh

# Both programs, their man pages and the themes (found by closer at ../share/closer/themes).
install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/closer/themes
	install -s -m 0755 .build/release/closer .build/release/closer-server $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 docs/man/closer.1 docs/man/closer-server.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0644 Themes/*.toml $(DESTDIR)$(PREFIX)/share/closer/themes/

clean:
	$(SWIFT) package clean
