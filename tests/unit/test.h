// SPDX-License-Identifier: GPL-2.0-or-later
/* test.h: a tiny table-driven unit test harness printing TAP.
 * Write void functions using CHECK*, list them in T_MAIN(T(fn), ...). */
#ifndef DK_TEST_H
#define DK_TEST_H

#include <stdio.h>
#include <string.h>
#include <stdlib.h>

static int t_case_failed;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			t_case_failed = 1;                                                         \
			fprintf(stderr, "# %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
		}                                                                                  \
	} while (0)

#define CHECK_MSG(cond, ...)                                                                       \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			t_case_failed = 1;                                                         \
			fprintf(stderr, "# %s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
		}                                                                                  \
	} while (0)

#define CHECK_STR(got, want)                                                                \
	do {                                                                                \
		const char *g_ = (got), *w_ = (want);                                       \
		if (!g_ || !w_ || strcmp(g_, w_) != 0) {                                    \
			t_case_failed = 1;                                                  \
			fprintf(stderr, "# %s:%d: %s: got \"%s\", want \"%s\"\n", __FILE__, \
				__LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");    \
		}                                                                           \
	} while (0)

#define CHECK_INT(got, want)                                                                      \
	do {                                                                                      \
		long long g_ = (got), w_ = (want);                                                \
		if (g_ != w_) {                                                                   \
			t_case_failed = 1;                                                        \
			fprintf(stderr, "# %s:%d: %s: got %lld, want %lld\n", __FILE__, __LINE__, \
				#got, g_, w_);                                                    \
		}                                                                                 \
	} while (0)

struct t_case {
	const char *name;
	void (*fn)(void);
};

#define T(fn)           \
	{               \
#fn, fn \
	}

#define T_MAIN(...)                                                                   \
	int main(void)                                                                \
	{                                                                             \
		struct t_case cases[] = {__VA_ARGS__};                                \
		size_t n = sizeof(cases) / sizeof(cases[0]);                          \
		int failed = 0;                                                       \
		printf("1..%zu\n", n);                                                \
		for (size_t i = 0; i < n; i++) {                                      \
			t_case_failed = 0;                                            \
			cases[i].fn();                                                \
			printf("%sok %zu - %s\n", t_case_failed ? "not " : "", i + 1, \
			       cases[i].name);                                        \
			failed += t_case_failed;                                      \
		}                                                                     \
		return failed ? 1 : 0;                                                \
	}

#endif
