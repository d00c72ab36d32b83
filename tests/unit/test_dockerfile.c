// SPDX-License-Identifier: GPL-2.0-or-later
/* test_dockerfile.c: the Dockerfile instruction parser, word expansion and
 * applying instructions to a run config. */
#include "test.h"
#include "dockerfile.h"

static struct dk_df_instr parse_ok(const char *line)
{
	struct dk_df_instr in;
	struct dk_err err = {0};

	if (dk_df_parse_line(line, 1, &in, &err) < 0) {
		fprintf(stderr, "# parse \"%s\": %s\n", line, err.msg);
		t_case_failed = 1;
		memset(&in, 0, sizeof(in));
	}
	return in;
}

static void parse_bad(const char *line, const char *want_msg)
{
	struct dk_df_instr in;
	struct dk_err err = {0};

	CHECK_MSG(dk_df_parse_line(line, 7, &in, &err) < 0, "%s parsed", line);
	CHECK_MSG(strstr(err.msg, want_msg) != NULL, "\"%s\": %s", line, err.msg);
	CHECK_MSG(strncmp(err.msg, "line 7: ", 8) == 0, "%s", err.msg);
}

static void test_keywords(void)
{
	struct dk_df_instr in = parse_ok("  cmd echo hi  ");

	CHECK_INT(in.cmd, DK_DF_CMD);
	CHECK(!in.json);
	CHECK_STR(in.args[0], "echo hi");
	CHECK_STR(in.text, "cmd echo hi");
	dk_df_instr_free(&in);
	CHECK_INT(dk_df_cmd_lookup("healthcheck"), DK_DF_HEALTHCHECK);
	CHECK_INT(dk_df_cmd_lookup("nope"), -1);
	CHECK_STR(dk_df_cmd_name(DK_DF_WORKDIR), "WORKDIR");
}

static void test_json_form(void)
{
	struct dk_df_instr in = parse_ok("ENTRYPOINT [\"/bin/echo\", \"a b\", \"\\\"q\\\"\"]");

	CHECK(in.json);
	CHECK_INT(dk_strv_len(in.args), 3);
	CHECK_STR(in.args[1], "a b");
	CHECK_STR(in.args[2], "\"q\"");
	dk_df_instr_free(&in);
	/* not valid JSON: shell form, as docker */
	in = parse_ok("CMD [not json");
	CHECK(!in.json);
	CHECK_STR(in.args[0], "[not json");
	dk_df_instr_free(&in);
	in = parse_ok("CMD [\"a\", 1]"); /* not all strings */
	CHECK(!in.json);
	dk_df_instr_free(&in);
}

static void test_env_forms(void)
{
	struct dk_df_instr in = parse_ok("ENV a=1 b=\"two words\" c=x\\ y");

	CHECK_INT(dk_strv_len(in.kv), 6);
	CHECK_STR(in.kv[0], "a");
	CHECK_STR(in.kv[1], "1");
	CHECK_STR(in.kv[3], "\"two words\"");
	CHECK_STR(in.kv[5], "x\\ y");
	dk_df_instr_free(&in);
	in = parse_ok("ENV LEGACY value with   spaces");
	CHECK_INT(dk_strv_len(in.kv), 2);
	CHECK_STR(in.kv[0], "LEGACY");
	CHECK_STR(in.kv[1], "value with   spaces");
	dk_df_instr_free(&in);
	in = parse_ok("LABEL \"com.example.x\"=\"v 1\" y=");
	CHECK_STR(in.kv[0], "\"com.example.x\"");
	CHECK_STR(in.kv[3], "");
	dk_df_instr_free(&in);
}

static void test_bad_input(void)
{
	parse_bad("FOO bar", "unknown instruction \"FOO\"");
	parse_bad("CMD", "CMD requires at least one argument");
	parse_bad("ENV", "ENV requires at least one argument");
	parse_bad("ENV onlykey", "missing value for \"onlykey\"");
	parse_bad("ENV a=1 b", "\"b\" is not of the form key=value");
	parse_bad("ENV =1", "empty key");
	parse_bad("ENV a=\"open", "unterminated double quote");
	parse_bad("LABEL a='open", "unterminated single quote");
	parse_bad("SHELL /bin/bash -c", "JSON form");
	parse_bad("ONBUILD ONBUILD RUN x", "ONBUILD ONBUILD is not allowed");
	parse_bad("ONBUILD FROM x", "ONBUILD FROM is not allowed");
	parse_bad("ONBUILD BOGUS x", "unknown instruction \"BOGUS\"");
	parse_bad("HEALTHCHECK RUN x", "expected NONE or CMD");
	parse_bad("   ", "empty instruction");
	parse_bad("COPY --from=a", "COPY requires at least one argument");
}

/* Found by fuzz_dockerfile: looking for here-document markers in a RUN
 * with an unterminated quote leaked the words split before it (make asan
 * runs this with leak detection). */
static void test_heredoc_bad_quote(void)
{
	struct dk_df_file f;
	struct dk_err err = {0};

	CHECK(dk_df_parse_file("FROM a\nRUN echo \"r# x=${V:-6}\n", &f, &err) < 0);
	CHECK(strstr(err.msg, "unterminated double quote") != NULL);
}

static void test_flags_and_words(void)
{
	struct dk_df_instr in = parse_ok("COPY --from=build --chown=1:1 --link a 'b c' /d/");

	CHECK_INT(dk_strv_len(in.flags), 6);
	CHECK_STR(in.flags[0], "from");
	CHECK_STR(in.flags[1], "build");
	CHECK_STR(in.flags[4], "link");
	CHECK_STR(in.flags[5], "");
	CHECK_INT(dk_strv_len(in.args), 3);
	CHECK_STR(in.args[1], "'b c'");
	dk_df_instr_free(&in);
	in = parse_ok("EXPOSE 80 443/udp");
	CHECK_INT(dk_strv_len(in.args), 2);
	CHECK(in.flags == NULL);
	dk_df_instr_free(&in);
	in = parse_ok("VOLUME [\"/a\", \"/b\"]");
	CHECK(in.json);
	CHECK_STR(in.args[1], "/b");
	dk_df_instr_free(&in);
	in = parse_ok("ONBUILD run echo x");
	CHECK_INT(in.trigger->cmd, DK_DF_RUN);
	CHECK_STR(in.args[0], "run echo x");
	dk_df_instr_free(&in);
	in = parse_ok("HEALTHCHECK --interval=5s CMD [\"true\"]");
	CHECK_STR(in.flags[1], "5s");
	CHECK(in.trigger && in.trigger->json);
	dk_df_instr_free(&in);
}

static void test_file(void)
{
	const char *text = "# comment\n"
			   "FROM busybox AS b\n"
			   "\n"
			   "RUN echo a \\\n"
			   "  # inside\n"
			   "    && echo b\n"
			   "ENV X=1\n";
	struct dk_df_instr *v = NULL;
	size_t n = 0;
	struct dk_err err = {0};

	CHECK_MSG(dk_df_parse(text, &v, &n, &err) == 0, "%s", err.msg);
	CHECK_INT(n, 3);
	if (n == 3) {
		CHECK_INT(v[0].line, 2);
		CHECK_INT(dk_strv_len(v[0].args), 3);
		CHECK_INT(v[1].line, 4);
		CHECK_STR(v[1].args[0], "echo a     && echo b"); /* joined as BuildKit: no space */
		CHECK_INT(v[2].line, 7);
	}
	dk_df_instrs_free(v, n);
	CHECK(dk_df_parse("FROM a\n\nBOGUS x\n", &v, &n, &err) < 0);
	CHECK_MSG(strstr(err.msg, "line 3: unknown instruction") != NULL, "%s", err.msg);
}

static void check_word(const char *raw, const char *want)
{
	char *env[] = {"A=1", "B=two words", "E=", "A=last", "P=a/b/c.tar.gz", NULL};
	struct dk_err err = {0};
	char *got = dk_df_word(raw, env, &err);

	CHECK_STR(got, want);
	free(got);
}

static void test_words(void)
{
	check_word("plain", "plain");
	check_word("$A", "last");
	check_word("${A}x", "lastx");
	check_word("'$A'", "$A");
	check_word("\"$B\"", "two words");
	check_word("\\$A", "$A");
	check_word("${E:-dflt}", "dflt");
	check_word("${NOPE:-d}", "d");
	check_word("${A:+alt}", "alt");
	check_word("${NOPE:+alt}", "");
	check_word("$NOPE", "");
	check_word("a\\ b", "a b");
	check_word("\"a\\\"b\"", "a\"b");
	check_word("cost $5", "cost $5");
	check_word("${E-set}", "");
	check_word("${NOPE-unset}", "unset");
	check_word("${E+yes}", "yes");
	check_word("${NOPE+yes}", "");
	check_word("${NOPE:-$A}", "last");
	check_word("${NOPE:-\"a b\"}", "a b");
	check_word("${P#*/}", "b/c.tar.gz");
	check_word("${P##*/}", "c.tar.gz");
	check_word("${P%.*}", "a/b/c.tar");
	check_word("${P%%.*}", "a/b/c");
	check_word("${P/b/x}", "a/x/c.tar.gz");
	check_word("${P//[abc]/_}", "_/_/_.t_r.gz");
	check_word("${P/nomatch/x}", "a/b/c.tar.gz");
	check_word("${A:?must}", "last");

	struct dk_err err = {0};
	CHECK(dk_df_word("${A", NULL, &err) == NULL);
	CHECK(strstr(err.msg, "bad substitution") != NULL);
	CHECK(dk_df_word("${A?x}", NULL, &err) == NULL);
	CHECK(dk_df_word("'x", NULL, &err) == NULL);
	CHECK(dk_df_word("${A:?is required}", NULL, &err) == NULL);
	CHECK_MSG(strstr(err.msg, "A: is required") != NULL, "%s", err.msg);
	CHECK(dk_df_word("${A:-x", NULL, &err) == NULL);
	CHECK(dk_df_word("${A!x}", NULL, &err) == NULL);
	CHECK(strstr(err.msg, "unsupported substitution") != NULL);
	/* escape=`: backslashes are plain, the backtick escapes */
	char *w = dk_df_word_esc("C:\\dir `$A", NULL, '`', &err);
	CHECK_STR(w, "C:\\dir $A");
	free(w);
	char *henv[] = {"N=7", NULL};
	w = dk_df_heredoc_expand("n=$N '$N' \\$N \"q\"\n", henv, '\\', &err);
	CHECK_STR(w, "n=7 '7' $N \"q\"\n");
	free(w);
}

static struct dk_df_file parse_file_ok(const char *text)
{
	struct dk_df_file f;
	struct dk_err err = {0};

	if (dk_df_parse_file(text, &f, &err) < 0) {
		fprintf(stderr, "# parse: %s\n", err.msg);
		t_case_failed = 1;
		memset(&f, 0, sizeof(f));
	}
	return f;
}

static void test_directives(void)
{
	struct dk_df_file f = parse_file_ok("# syntax=docker/dockerfile:1\n"
					    "#  escape = `\n"
					    "# check=skip=all\n"
					    "FROM busybox\n"
					    "RUN echo a `\n"
					    "  b \\c\n"
					    "# escape=\\\n"
					    "COPY a\\b /d\n");

	CHECK_STR(f.syntax, "docker/dockerfile:1");
	CHECK_STR(f.check, "skip=all");
	CHECK_INT(f.escape, '`');
	CHECK_INT(f.n, 3);
	if (f.n == 3) {
		CHECK_STR(f.v[1].args[0], "echo a   b \\c");
		CHECK_INT(f.v[1].line, 5);
		CHECK_INT(f.v[2].line, 8);
		CHECK_STR(f.v[2].args[0], "a\\b");
	}
	dk_df_file_free(&f);
	/* an unknown directive is a comment and ends the directives */
	f = parse_file_ok("# unknown=x\n# escape=`\nFROM a\nRUN x \\\n y\n");
	CHECK_INT(f.escape, '\\');
	CHECK_INT(f.n, 2);
	dk_df_file_free(&f);
	struct dk_err err = {0};
	CHECK(dk_df_parse_file("# escape=x\nFROM a\n", &f, &err) < 0);
	CHECK_MSG(strstr(err.msg, "invalid escape token") != NULL, "%s", err.msg);
	CHECK(dk_df_parse_file("# syntax=a\n# syntax=b\nFROM a\n", &f, &err) < 0);
	CHECK_MSG(strstr(err.msg, "only one syntax") != NULL, "%s", err.msg);
}

static void test_heredocs(void)
{
	struct dk_df_file f = parse_file_ok("FROM a\n"
					    "RUN <<EOF\n"
					    "echo one\n"
					    "  echo $HOME\n"
					    "EOF\n"
					    "RUN <<-'X' cat >/f && cat <<Y >>/f\n"
					    "\t\tindented\n"
					    "\tX\n"
					    "# not a comment\n"
					    "Y\n"
					    "COPY <<a <<\"b\" /dst/\n"
					    "file a $V\n"
					    "a\n"
					    "b\n"
					    "RUN <<EOF\n"
					    "#!/bin/sh\n"
					    "EOF\n"
					    "RUN echo '<<not' <<<here\n");

	CHECK_INT(f.n, 6);
	if (f.n != 6) {
		dk_df_file_free(&f);
		return;
	}
	CHECK(f.v[1].heredoc_run && !f.v[1].heredoc_script);
	CHECK_STR(f.v[1].args[0], "echo one\n  echo $HOME\n");
	CHECK_STR(f.v[1].text, "RUN <<EOF\necho one\n  echo $HOME\nEOF");
	CHECK_INT(f.v[2].line, 6);
	CHECK(!f.v[2].heredoc_run);
	CHECK_INT(f.v[2].n_heredocs, 2);
	CHECK(f.v[2].heredocs[0].chomp && !f.v[2].heredocs[0].expand);
	CHECK_STR(f.v[2].heredocs[0].content, "indented\n");
	CHECK_STR(f.v[2].args[0],
		  "<<-'X' cat >/f && cat <<Y >>/f\nindented\nX\n# not a comment\nY");
	CHECK_INT(f.v[3].line, 11);
	CHECK_INT(f.v[3].n_heredocs, 2);
	CHECK_STR(f.v[3].heredocs[0].name, "a");
	CHECK(f.v[3].heredocs[0].expand && !f.v[3].heredocs[1].expand);
	CHECK_STR(f.v[3].heredocs[0].content, "file a $V\n");
	CHECK_STR(f.v[3].heredocs[1].content, "");
	CHECK(f.v[4].heredoc_script);
	CHECK_INT(f.v[5].n_heredocs, 0);
	dk_df_file_free(&f);
	struct dk_err err = {0};
	CHECK(dk_df_parse_file("FROM a\nRUN <<EOF\necho\n", &f, &err) < 0);
	CHECK_MSG(strstr(err.msg, "line 2: here-document <<EOF is not terminated") != NULL, "%s",
		  err.msg);
}

static int apply(struct dk_run_config *rc, struct dk_df_state *st, const char *line,
		 struct dk_err *err)
{
	struct dk_df_instr in;
	int ret;

	if (dk_df_parse_line(line, 1, &in, err) < 0)
		return -1;
	ret = dk_df_apply(&in, rc, st, err);
	dk_df_instr_free(&in);
	return ret;
}

static void free_rc(struct dk_run_config *rc)
{
	char **v[] = {rc->env,		 rc->entrypoint, rc->cmd,   rc->onbuild,
		      rc->exposed_ports, rc->volumes,	 rc->labels};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		dk_strv_free(v[i]);
	free(rc->user);
	free(rc->working_dir);
	free(rc->stop_signal);
}

static void test_apply_config(void)
{
	struct dk_run_config rc = {0};
	struct dk_df_state st = {0};
	struct dk_err err = {0};

	CHECK(apply(&rc, &st, "ENV PATH=/bin HOME=/root", &err) == 0);
	CHECK(apply(&rc, &st, "ENV PATH=$PATH:/usr/bin X=$HOME", &err) == 0);
	CHECK_INT(dk_strv_len(rc.env), 3);
	CHECK_STR(rc.env[0], "PATH=/bin:/usr/bin");
	CHECK_STR(rc.env[2], "X=/root");
	CHECK(apply(&rc, &st, "CMD echo $HOME", &err) == 0);
	CHECK_INT(dk_strv_len(rc.cmd), 3);
	CHECK_STR(rc.cmd[2], "echo $HOME");
	CHECK(apply(&rc, &st, "ENTRYPOINT [\"/init\"]", &err) == 0);
	CHECK(rc.cmd && rc.cmd[0]); /* CMD came first: kept */
	CHECK(apply(&rc, NULL, "ENTRYPOINT [\"/init2\"]", &err) == 0);
	CHECK(rc.cmd == NULL && !rc.has_cmd); /* inherited CMD cleared */
	CHECK_STR(rc.entrypoint[0], "/init2");
	CHECK(apply(&rc, &st, "EXPOSE 80 53/UDP 8000-8001", &err) == 0);
	CHECK(apply(&rc, &st, "EXPOSE 80/tcp", &err) == 0);
	CHECK_INT(dk_strv_len(rc.exposed_ports), 4);
	CHECK_STR(rc.exposed_ports[1], "53/udp");
	CHECK_STR(rc.exposed_ports[3], "8001/tcp");
	CHECK(apply(&rc, &st, "LABEL a=1 \"b c\"=\"d e\"", &err) == 0);
	CHECK_STR(dk_kv_get(rc.labels, "b c"), "d e");
	CHECK(apply(&rc, &st, "WORKDIR /app", &err) == 0);
	CHECK(apply(&rc, &st, "WORKDIR sub/../src", &err) == 0);
	CHECK_STR(rc.working_dir, "/app/src");
	CHECK(apply(&rc, &st, "USER ${HOME:+1000}:100", &err) == 0);
	CHECK_STR(rc.user, "1000:100");
	CHECK(apply(&rc, &st, "VOLUME /data /logs", &err) == 0);
	CHECK(apply(&rc, &st, "VOLUME [\"/data\"]", &err) == 0);
	CHECK_INT(dk_strv_len(rc.volumes), 2);
	CHECK(apply(&rc, &st, "STOPSIGNAL SIGRTMIN+3", &err) == 0);
	CHECK(apply(&rc, &st, "STOPSIGNAL 9", &err) == 0);
	CHECK_STR(rc.stop_signal, "9");
	CHECK(apply(&rc, &st, "ONBUILD RUN make", &err) == 0);
	CHECK_STR(rc.onbuild[0], "RUN make");
	free_rc(&rc);
}

static void apply_bad(const char *line, const char *want)
{
	struct dk_run_config rc = {0};
	struct dk_err err = {0};

	CHECK_MSG(apply(&rc, NULL, line, &err) < 0, "%s applied", line);
	CHECK_MSG(strstr(err.msg, want) != NULL, "\"%s\": %s", line, err.msg);
	free_rc(&rc);
}

static void test_apply_bad(void)
{
	apply_bad("EXPOSE 0", "not a port");
	apply_bad("EXPOSE 70000", "not a port");
	apply_bad("EXPOSE 80/icmp", "protocol must be tcp, udp or sctp");
	apply_bad("EXPOSE 90-80", "range ends before it starts");
	apply_bad("EXPOSE http", "not a port");
	apply_bad("STOPSIGNAL SIGNOPE", "is not a signal");
	apply_bad("STOPSIGNAL 99", "is not a signal");
	apply_bad("RUN echo", "RUN: does not change the image config");
	apply_bad("USER \"\"", "empty value");
	apply_bad("ENV a=${b", "bad substitution");
	CHECK(dk_df_commit_allowed(DK_DF_ENV));
	CHECK(!dk_df_commit_allowed(DK_DF_RUN));
	CHECK(!dk_df_commit_allowed(DK_DF_FROM));
}

/* Build args are seen by expansion below the config's env, never kept. */
static void test_apply_args(void)
{
	char *args[] = {"V=arg", "W=only-arg", NULL};
	struct dk_run_config rc = {0};
	struct dk_df_state st = {.args = args};
	struct dk_err err = {0};

	CHECK(apply(&rc, &st, "ENV A=$V B=${W}", &err) == 0);
	CHECK_STR(rc.env[0], "A=arg");
	CHECK_STR(rc.env[1], "B=only-arg");
	CHECK(apply(&rc, &st, "ENV V=env", &err) == 0);
	CHECK(apply(&rc, &st, "WORKDIR /$V/$W", &err) == 0);
	CHECK_STR(rc.working_dir, "/env/only-arg"); /* ENV wins over ARG */
	CHECK_INT(dk_strv_len(rc.env), 3);
	dk_strv_free(rc.env);
	free(rc.working_dir);
}

/* SHELL and HEALTHCHECK land in the config as docker stores them. */
static void test_apply_shell_health(void)
{
	struct dk_run_config rc = {0};
	struct dk_err err = {0};

	CHECK(apply(&rc, NULL, "SHELL [\"/bin/bash\", \"-c\"]", &err) == 0);
	CHECK(apply(&rc, NULL, "CMD echo hi", &err) == 0);
	CHECK_STR(rc.cmd[0], "/bin/bash");
	CHECK_STR(rc.cmd[2], "echo hi");
	CHECK(apply(&rc, NULL,
		    "HEALTHCHECK --interval=1m30s --timeout=500ms --retries=2 CMD [\"true\"]",
		    &err) == 0);
	CHECK(rc.healthcheck != NULL);
	CHECK_STR(rc.healthcheck->test[0], "CMD");
	CHECK_STR(rc.healthcheck->test[1], "true");
	CHECK(rc.healthcheck->interval == 90000000000LL);
	CHECK(rc.healthcheck->timeout == 500000000LL);
	CHECK(rc.healthcheck->retries == 2);
	CHECK(apply(&rc, NULL, "HEALTHCHECK NONE", &err) == 0);
	CHECK_STR(rc.healthcheck->test[0], "NONE");
	CHECK(apply(&rc, NULL, "HEALTHCHECK --interval=5 CMD true", &err) < 0);
	CHECK(strstr(err.msg, "duration") != NULL);
	CHECK(apply(&rc, NULL, "HEALTHCHECK --bogus=1 CMD true", &err) < 0);
	CHECK(strstr(err.msg, "unknown flag") != NULL);
	dk_strv_free(rc.shell);
	dk_strv_free(rc.cmd);
	dk_healthcheck_free(rc.healthcheck);
}

T_MAIN(T(test_apply_shell_health), T(test_apply_args), T(test_keywords), T(test_json_form),
       T(test_env_forms), T(test_bad_input), T(test_flags_and_words), T(test_file), T(test_words),
       T(test_directives), T(test_heredocs), T(test_heredoc_bad_quote), T(test_apply_config),
       T(test_apply_bad))
