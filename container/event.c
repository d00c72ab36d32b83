// SPDX-License-Identifier: GPL-2.0-or-later
/* event.c: a container's events (lib/events.c) with docker's attributes:
 * the image and name it has, and one more pair when the action has one
 * (kill's signal, rename's old name). */
#include "events.h"
#include "container.h"

void ctr_event(const struct dk_crec *r, const char *action, const char *key, const char *value)
{
	const char *attrs[] = {
	    "image", r->image ? r->image : "", "name", r->name ? r->name : "", key, value, NULL};

	dk_event(ctr_g.root, "container", action, r->id, attrs);
}
