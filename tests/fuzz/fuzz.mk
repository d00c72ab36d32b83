# SPDX-License-Identifier: GPL-2.0-or-later
# make fuzz: each tests/fuzz/fuzz_*.c under libFuzzer (clang) with ASan and
# UBSan, FUZZ_TIME seconds each (default 60), starting from the seed corpus
# in tests/fuzz/corpus/NAME. Included by the top Makefile.
FUZZ_TIME ?= 60
FUZZ_BUILD := build-fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/fuzz/%)
FUZZ_LIBS := $(shell $(PKG_CONFIG) --libs yajl libcrypto libarchive libseccomp 2>/dev/null)
DEPS += clang

fuzz:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang OPT=-O1 HARDEN=-fPIE \
		SAN="$(FUZZ_SAN) -fsanitize=fuzzer-no-link" $(FUZZ_BUILD)/libdk.a
	$(MAKE) fuzz-bins
	tests/fuzz/run $(FUZZ_TIME) $(FUZZ_BIN)

fuzz-bins: $(FUZZ_BIN)

$(FUZZ_BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(FUZZ_BUILD)/libdk.a
	@mkdir -p $(dir $@)
	clang -std=gnu11 -D_GNU_SOURCE -g -O1 -Ilib $(FUZZ_SAN) -fsanitize=fuzzer \
		-o $@ $< $(FUZZ_BUILD)/libdk.a $(FUZZ_LIBS)

.PHONY: fuzz fuzz-bins
