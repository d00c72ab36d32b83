// SPDX-License-Identifier: GPL-2.0-or-later
/* events.h: docker's event stream without a daemon: every tool that makes
 * or ends an object appends one JSON line (docker's event message shape)
 * to $DK_ROOT/events.log; `container events` reads and follows it. */
#ifndef DK_EVENTS_H
#define DK_EVENTS_H

/* Record that the object id of type ("container", "image", "volume",
 * "network") had action ("create", "start", "die", "pull", ...); attrs
 * are key, value pairs ending in NULL (may be NULL). Best effort: an
 * event that cannot be written never fails the operation. root_opt is
 * --root (NULL: the default root). */
void dk_event(const char *root_opt, const char *type, const char *action, const char *id,
	      const char *const *attrs);

/* The log's name in the root, and the older half kept after a rotation. */
#define DK_EVENTS_LOG	 "events.log"
#define DK_EVENTS_OLD	 "events.log.1"
#define DK_EVENTS_ROTATE (8L << 20) /* bytes before the log is rotated */

#endif
