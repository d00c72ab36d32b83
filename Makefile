# SPDX-License-Identifier: GPL-2.0-or-later
# dk: plain Makefile. Every folder with a main.c is a tool built into bin/;
# a folder may add its own pkg-config libraries in its tool.mk as
# <tool>_PKGS := ... and extra link flags as <tool>_LDLIBS := ...; a tool
# linked statically names its own libdk libraries as <tool>_LIB_LDLIBS

VERSION := 0.1.0
PREFIX ?= /usr/local
DESTDIR ?=
PROGRAM_PREFIX ?=
BINDIR := $(PREFIX)/bin
MANDIR := $(PREFIX)/share/man

CC ?= cc
PKG_CONFIG ?= pkg-config
LIB_PKGS := yajl libcrypto
# lib/http.c includes libcurl; only the tools using it link it (<tool>_PKGS)
lib_PKGS := libcurl

OPT ?= -O2
HARDEN := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
HARDEN_LD := -pie -Wl,-z,relro,-z,now
SAN ?=
CFLAGS ?=
override CFLAGS += -std=gnu11 -D_GNU_SOURCE $(OPT) -g -Wall -Wextra $(HARDEN) $(SAN) \
	-DDK_VERSION=\"$(VERSION)\" -Ilib $(shell $(PKG_CONFIG) --cflags $(LIB_PKGS))
override LDFLAGS += $(HARDEN_LD) $(SAN)

BUILD ?= build
BIN ?= bin
TOOLS := $(patsubst %/main.c,%,$(wildcard */main.c))
-include $(wildcard */tool.mk)

LIB_SRC := $(wildcard lib/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIBDK := $(BUILD)/libdk.a
LIB_LDLIBS := $(shell $(PKG_CONFIG) --libs $(LIB_PKGS))

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
HELPER_SRC := $(wildcard tests/helpers/*.c)
HELPER_BIN := $(HELPER_SRC:tests/helpers/%.c=$(BUILD)/helpers/%)

all: $(addprefix $(BIN)/,$(TOOLS)) $(if $(wildcard shell/dk),$(BIN)/dk) $(HELPER_BIN)

HEADERS := $(wildcard lib/*.h */*.h)
pkg_cflags = $(if $($(1)_PKGS),$(shell $(PKG_CONFIG) --cflags $($(1)_PKGS)))

$(BUILD)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(call pkg_cflags,$(firstword $(subst /, ,$*))) -c -o $@ $<

$(LIBDK): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# bin/<tool>: the objects of <tool>/*.c linked with libdk and its libraries
.SECONDEXPANSION:
tool_objs = $(patsubst %.c,$(BUILD)/%.o,$(wildcard $(1)/*.c))
$(BIN)/%: $$(call tool_objs,$$*) $(LIBDK)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBDK) \
		$(if $($*_PKGS),$(shell $(PKG_CONFIG) --libs $($*_PKGS))) $($*_LDLIBS) \
		$(or $($*_LIB_LDLIBS),$(LIB_LDLIBS))

$(BIN)/dk: shell/dk
	@mkdir -p $(BIN)
	cp shell/dk $@
	chmod 755 $@

$(BUILD)/tests/%: tests/unit/%.c tests/unit/test.h $(LIBDK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBDK) $(UNIT_LDLIBS) $(LIB_LDLIBS)

$(BUILD)/helpers/%: tests/helpers/%.c $(LIBDK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBDK) $(LIB_LDLIBS)

unit: $(UNIT_BIN)

include tests/fuzz/fuzz.mk

# make check: unit tests, then the bats suites; one summary line at the end.
check: all unit
	@DK_BIN=$(abspath $(BIN)) tests/run $(BUILD) $(TESTS)

# make torture: every writing operation killed at 50 points over its run,
# the store and state checked after each (tests/integration/torture.bats)
torture: all unit
	@rm -f $(BUILD)/torture.report
	@TORTURE_N=50 TORTURE_REPORT=$(abspath $(BUILD))/torture.report DK_BIN=$(abspath $(BIN)) \
		tests/run $(BUILD) tests/integration/torture.bats
	@cat $(BUILD)/torture.report

asan:
	$(MAKE) BUILD=build-asan BIN=build-asan/bin OPT=-O1 SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
		HARDEN="-fPIE" all unit
	$(MAKE) BUILD=build-asan BIN=build-asan/bin OPT=-O1 SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
		HARDEN="-fPIE" check-asan-run

check-asan-run: all unit
	@DK_BIN=$(abspath $(BIN)) ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 tests/run $(BUILD) $(TESTS)

demo: all
	@demo/run

bench: all
	@bench/run

# tool.mk files add their own test peers with DEPS += ...
DEPS += build-essential pkg-config libarchive-dev libcurl4-openssl-dev libyajl-dev \
	libseccomp-dev libcap-dev libssl-dev bats busybox-static jq docker-registry \
	skopeo umoci runc crun apache2-utils dash hyperfine iproute2 util-linux \
	libcap2-bin uidmap curl openssl procps file ca-certificates \
	tini slirp4netns
deps:
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(DEPS)
	@# the package's own registry service would listen on all addresses
	-systemctl disable --now docker-registry.service >/dev/null 2>&1

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	for t in $(TOOLS); do install -m 755 bin/$$t $(DESTDIR)$(BINDIR)/$(PROGRAM_PREFIX)$$t; done
	install -m 755 shell/dk $(DESTDIR)$(BINDIR)/dk
	if [ -n "$(PROGRAM_PREFIX)" ]; then \
		sed -i 's/^DK_PROGRAM_PREFIX=.*/DK_PROGRAM_PREFIX=$(PROGRAM_PREFIX)/' $(DESTDIR)$(BINDIR)/dk; fi
	for m in man/*.1; do [ -f "$$m" ] && install -m 644 $$m $(DESTDIR)$(MANDIR)/man1/; done; true
	for m in man/*.5; do [ -f "$$m" ] && install -m 644 $$m $(DESTDIR)$(MANDIR)/man5/; done; true

fmt-check:
	clang-format --dry-run --Werror $(wildcard */*.[ch] tests/*/*.[ch])

clean:
	rm -rf build build-asan bin

.PHONY: all demo unit check torture asan check-asan-run bench deps install fmt-check clean
