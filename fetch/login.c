// SPDX-License-Identifier: GPL-2.0-or-later
/* login.c: fetch login and logout. Login checks the credentials against
 * the registry (its /v2/ endpoint, through whatever auth it asks for)
 * before saving them in the auth file; logout removes the entry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "cleanup.h"
#include "creds.h"
#include "fs.h"
#include "pull.h"

/* "https://index.docker.io/v1/" -> "docker.io", "http://h:5000/" -> "h:5000" */
static void normalise(const char *in, char *out, size_t size)
{
	const char *p = in;
	size_t n;

	if (strncmp(p, "https://", 8) == 0)
		p += 8;
	else if (strncmp(p, "http://", 7) == 0)
		p += 7;
	n = strcspn(p, "/");
	snprintf(out, size, "%.*s", (int)n, p);
	if (strcmp(out, "index.docker.io") == 0 || strcmp(out, "registry-1.docker.io") == 0)
		snprintf(out, size, "docker.io");
}

static char *read_line(FILE *f, bool echo)
{
	struct termios old, quiet;
	bool tty = !echo && tcgetattr(fileno(f), &old) == 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (tty) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fileno(f), TCSAFLUSH, &quiet);
	}
	n = getline(&line, &cap, f);
	if (tty) {
		tcsetattr(fileno(f), TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (n < 0) {
		free(line);
		return NULL;
	}
	line[strcspn(line, "\r\n")] = '\0';
	return line;
}

static char *read_stdin_secret(struct dk_err *err)
{
	char *buf = NULL;
	size_t len;

	if (dk_read_fd(0, 1 << 16, &buf, &len, err) < 0)
		return NULL;
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	return buf;
}

static char *prompt(const char *what, bool echo, struct dk_err *err)
{
	char *v;

	if (!isatty(0))
		return dk_err_set(err, "%s required (no terminal to ask on)", what), NULL;
	fprintf(stderr, "%s: ", what);
	v = read_line(stdin, echo);
	if (!v)
		dk_err_set(err, "%s: nothing read", what);
	return v;
}

static int verify(const struct fx_opts *o, const char *domain, const char *user, const char *secret,
		  struct dk_err *err)
{
	struct fx_client *c = fx_client_new(domain, o, err);
	struct dk_http_req req = {.body_fd = -1};
	struct dk_http_resp resp = {0};
	cleanup_free char *url = c ? fx_client_url(c, "/v2/") : NULL;
	int ret = -1;

	if (!c)
		return -1;
	req.url = url;
	if (url && fx_client_set_creds(c, user, secret, err) == 0 &&
	    fx_client_do(c, NULL, &req, &resp, err) == 0) {
		if (resp.status == 200)
			ret = 0;
		else if (resp.status == 401)
			dk_err_set(err, "unauthorized: invalid username or password");
		else
			fx_client_fail(&resp, err, "GET /v2/");
	}
	dk_http_resp_free(&resp);
	fx_client_free(c);
	return ret;
}

int fx_login(const struct fx_opts *o, const char *registry, const char *user, const char *password,
	     bool from_stdin, struct dk_err *err)
{
	char domain[256];
	cleanup_free char *u = NULL, *p = NULL;

	normalise(registry, domain, sizeof(domain));
	if (!user && !(user = u = prompt("Username", true, err)))
		return dk_err_wrap(err, "login to %s", domain);
	if (!password)
		password = p = from_stdin ? read_stdin_secret(err) : prompt("Password", false, err);
	if (!password)
		return dk_err_wrap(err, "login to %s", domain);
	if (!*user || !*password)
		return dk_err_set(err, "login to %s: empty username or password", domain);
	if (verify(o, domain, user, password, err) < 0 ||
	    fx_creds_store(domain, user, password, err) < 0)
		return dk_err_wrap(err, "login to %s", domain);
	printf("Login Succeeded\n");
	return 0;
}

int fx_logout(const char *registry, struct dk_err *err)
{
	char domain[256];
	int r;

	normalise(registry, domain, sizeof(domain));
	r = fx_creds_erase(domain, err);
	if (r < 0)
		return -1;
	if (r == 1)
		fprintf(stderr, "fetch: not logged in to %s\n", domain);
	else
		printf("Removing login credentials for %s\n", domain);
	return 0;
}
