# SPDX-License-Identifier: GPL-2.0-or-later
# make fuzz: each tests/fuzz/fuzz_*.c under libFuzzer (clang) with ASan and
# UBSan, FUZZ_TIME seconds each (default 60), starting from the seed corpus
# in tests/fuzz/corpus/NAME. Included by the top Makefile.
FUZZ_TIME ?= 60
FUZZ_BUILD := build-fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/fuzz/%)
FUZZ_LIBS := $(shell $(PKG_CONFIG) --libs yajl libcrypto libarchive libseccomp libcap libcurl 2>/dev/null)
DEPS += clang

# A target that #includes a tool's .c files (to reach its static
# functions) links the rest of that tool's objects, never its main.o:
# NAME_TOOL names the tool. Its objects are built with the fuzz flags.
# (A copy of a tool's file, as the include is, cannot go stale: what it
# calls comes from the tool's current objects.)
fuzz_rtspec_TOOL := runtime
fuzz_seccomp_TOOL := runtime
fuzz_creds_TOOL := fetch
fuzz_included = $(patsubst ../../%.c,$(FUZZ_BUILD)/%.o,\
	$(shell sed -n 's|^\#include "\(\.\./\.\./[^"]*\.c\)".*|\1|p' tests/fuzz/$(1).c))
fuzz_tool_objs = $(if $($(1)_TOOL),$(filter-out $(FUZZ_BUILD)/$($(1)_TOOL)/main.o \
	$(call fuzz_included,$(1)),$(patsubst %.c,$(FUZZ_BUILD)/%.o,$(wildcard $($(1)_TOOL)/*.c))))
FUZZ_TOOL_OBJS := $(sort $(foreach t,$(FUZZ_SRC:tests/fuzz/%.c=%),$(call fuzz_tool_objs,$(t))))

fuzz:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang OPT=-O1 HARDEN=-fPIE \
		SAN="$(FUZZ_SAN) -fsanitize=fuzzer-no-link" $(FUZZ_BUILD)/libdk.a $(FUZZ_TOOL_OBJS)
	$(MAKE) fuzz-bins
	tests/fuzz/run $(FUZZ_TIME) $(FUZZ_BIN)

fuzz-bins: $(FUZZ_BIN)

# the tool's objects go in through an archive, so only those the target
# reaches are linked (not the commands that need the tool's main.c)
$(FUZZ_BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(FUZZ_BUILD)/libdk.a
	@mkdir -p $(dir $@)
	rm -f $@.a
	$(if $(call fuzz_tool_objs,$*),$(AR) rcs $@.a $(call fuzz_tool_objs,$*))
	clang -std=gnu11 -D_GNU_SOURCE -g -O1 -Ilib $(FUZZ_SAN) -fsanitize=fuzzer \
		-o $@ $< $(if $(call fuzz_tool_objs,$*),$@.a) $(FUZZ_BUILD)/libdk.a $(FUZZ_LIBS)

.PHONY: fuzz fuzz-bins
