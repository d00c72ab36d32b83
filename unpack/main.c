// SPDX-License-Identifier: GPL-2.0-or-later
/* unpack: image layers -> OCI runtime bundle (rootfs/ + config.json); also
 * applies a single layer tar from stdin and prints the generated config. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "unpack.h"

struct unpack_global unpack_global;

static const struct dk_cmd cmds[] = {
    {"layer", unpack_cmd_layer, "[--overlay] [--rootless] DIR: apply a layer tar from stdin"},
    {"config", unpack_cmd_config, "IMAGE: print the generated runtime config.json"},
    {NULL, NULL, NULL},
};

/* Options (of any command) whose value is the next argument. */
static bool takes_value(const char *opt)
{
	static const char *const with[] = {"--root",	"--platform", "--uid-map",
					   "--gid-map", "--digest",   "--diff-id",
					   "--lower",	"--rootfs",   NULL};

	for (const char *const *w = with; *w; w++)
		if (strcmp(opt, *w) == 0)
			return true;
	return false;
}

int main(int argc, char **argv)
{
	int i;

	dk_tool_name = "unpack";
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (argv[i][0] != '-')
			break;
		if (takes_value(argv[i]))
			i++;
	}
	if (i >= argc || (strcmp(argv[i], "layer") && strcmp(argv[i], "config")))
		return unpack_cmd_image(argc, argv);
	/* COMMAND first, then the options given before it, then the rest */
	char **nargv = calloc((size_t)argc + 1, sizeof(*nargv));
	if (!nargv)
		return DK_EXIT_FAIL;
	nargv[0] = argv[i];
	memcpy(nargv + 1, argv + 1, (size_t)(i - 1) * sizeof(*nargv));
	memcpy(nargv + i, argv + i + 1, (size_t)(argc - i - 1) * sizeof(*nargv));
	int r = dk_dispatch(cmds, argc - 1, nargv);
	free(nargv);
	return r;
}
