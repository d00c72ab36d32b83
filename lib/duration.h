// SPDX-License-Identifier: GPL-2.0-or-later
/* duration.h: Go duration text ("1m30s", "500ms", "1.5h"). */
#ifndef DK_DURATION_H
#define DK_DURATION_H

#include <stdint.h>

/* "1m30s", "500ms", "1.5h", "0" -> nanoseconds; -1 if malformed. */
int64_t dk_parse_duration(const char *s);

#endif
