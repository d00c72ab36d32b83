// SPDX-License-Identifier: GPL-2.0-or-later
/* test_gotmpl.c: the Go text/template subset of lib/gotmpl.c: every
 * construct against a docker-like inspect object, and every error. */
#include "test.h"
#include "../../lib/gotmpl.h"

static const char doc[] =
    "{\"Id\":\"abc123\",\"Name\":\"/web\",\"RestartCount\":2,\"Args\":[\"-c\",\"sleep 9\"],"
    "\"State\":{\"Status\":\"running\",\"Running\":true,\"Pid\":42,\"Health\":null,"
    "\"ExitCode\":0},"
    "\"Config\":{\"Labels\":{\"com.example\":\"yes\",\"b\":\"2\",\"a\":\"1\"},\"Env\":[],"
    "\"Hostname\":\"web\",\"Ratio\":1.5},"
    "\"Mounts\":[{\"Source\":\"/s1\",\"Destination\":\"/d1\"},{\"Source\":\"/s2\","
    "\"Destination\":\"/d2\"}],"
    "\"NetworkSettings\":{\"IPAddress\":\"10.0.0.2\",\"Networks\":{\"bridge\":{\"IPAddress\":"
    "\"10.0.0.2\"}}}}";

struct tcase {
	const char *tmpl;
	const char *want; /* output, or NULL when an error is expected */
	const char *err;  /* substring of the error */
	int flags;
};

static void run_cases(const struct tcase *c, size_t n)
{
	struct dk_err err = {0};
	struct dk_json *v = dk_json_parse(doc, sizeof(doc) - 1, "doc", &err);

	CHECK(v != NULL);
	for (size_t i = 0; v && i < n; i++) {
		struct dk_tmpl *t = dk_tmpl_parse(c[i].tmpl, &err);
		char *out = NULL;
		int rc = t ? dk_tmpl_render(t, v, c[i].flags, &out, &err) : -1;

		if (c[i].want) {
			CHECK_MSG(rc == 0, "%s: %s", c[i].tmpl, err.msg);
			if (rc == 0)
				CHECK_STR(out, c[i].want);
		} else {
			CHECK_MSG(rc < 0, "%s: want an error", c[i].tmpl);
			CHECK_MSG(rc < 0 && strstr(err.msg, c[i].err),
				  "%s: got \"%s\", want \"%s\"", c[i].tmpl, err.msg, c[i].err);
		}
		free(out);
		dk_tmpl_free(t);
	}
	dk_json_free(v);
}

#define RUN(tab) run_cases(tab, sizeof(tab) / sizeof(tab[0]))

static void test_fields(void)
{
	static const struct tcase c[] = {
	    {"plain text", "plain text", NULL, 0},
	    {"{{.State.Status}}", "running", NULL, 0},
	    {"{{.NetworkSettings.IPAddress}}", "10.0.0.2", NULL, 0},
	    {"{{.Name}}", "/web", NULL, 0},
	    {"{{.State.Pid}} {{.State.Running}}", "42 true", NULL, 0},
	    {"{{.Config.Ratio}}", "1.5", NULL, 0},
	    {"{{.Args}}", "[-c sleep 9]", NULL, 0},
	    {"{{.Config.Labels}}", "map[a:1 b:2 com.example:yes]", NULL, 0},
	    {"{{.Mounts}}", "[map[Destination:/d1 Source:/s1] map[Destination:/d2 Source:/s2]]",
	     NULL, 0},
	    {"{{.Nope}}", "<no value>", NULL, 0},
	    {"{{.Nope.Deeper}}", "<no value>", NULL, 0},
	    {"{{.State.Health}}", "<no value>", NULL, 0},
	    {"{{.Config.Labels.a}}", "1", NULL, 0},
	    {"{{.Config.Labels.zz}}", "<no value>", NULL, DK_TMPL_STRUCTS},
	    {"{{with .State}}{{.}}{{end}}",
	     "map[ExitCode:0 Health:<nil> Pid:42 Running:true Status:running]", NULL, 0},
	    {"{{with .State}}{{$.Name}}{{end}}", "/web", NULL, 0},
	};
	RUN(c);
}

static void test_field_errors(void)
{
	static const struct tcase c[] = {
	    {"{{.Nope}}", NULL, "map has no entry for key \"Nope\"", DK_TMPL_STRUCTS},
	    {"{{.State.Status.Foo}}", NULL,
	     "template: :1:2: executing \"\" at <.State.Status.Foo>: can't evaluate field Foo in "
	     "type string",
	     0},
	    {"{{.State.Health.Status}}", NULL, "nil pointer evaluating interface {}.Status", 0},
	    {"a\n{{.Args.X}}", NULL, "template: :2:2: executing", 0},
	    {"{{.Name 1}}", NULL, "can't give argument to non-function .Name 1", 0},
	    {"{{nil}}", NULL, "nil is not a command", 0},
	    {"{{.Name | .Id}}", NULL, "can't give argument to non-function", 0},
	    {"{{range .Name}}x{{end}}", NULL, "range can't iterate over string", 0},
	};
	RUN(c);
}

static void test_control(void)
{
	static const struct tcase c[] = {
	    {"{{if .State.Running}}up{{else}}down{{end}}", "up", NULL, 0},
	    {"{{if .State.ExitCode}}bad{{else}}ok{{end}}", "ok", NULL, 0},
	    {"{{if .Config.Env}}env{{else if .Args}}args{{else}}none{{end}}", "args", NULL, 0},
	    {"{{if .Nope}}a{{else with .State}}{{.Pid}}{{end}}", "42", NULL, 0},
	    {"{{with .State}}{{.Pid}}{{end}}", "42", NULL, 0},
	    {"{{with .Nope}}x{{else}}none{{end}}", "none", NULL, 0},
	    {"{{range .Mounts}}{{.Source}}{{\"\\n\"}}{{end}}", "/s1\n/s2\n", NULL, 0},
	    {"{{range $i, $m := .Mounts}}{{$i}}={{$m.Destination}} {{end}}", "0=/d1 1=/d2 ", NULL,
	     0},
	    {"{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}", "a=1;b=2;com.example=yes;",
	     NULL, 0},
	    {"{{range .Config.Env}}x{{else}}empty{{end}}", "empty", NULL, 0},
	    {"{{range .Nope}}x{{end}}", "", NULL, 0},
	    {"{{range .Mounts}}{{$.Name}}{{end}}", "/web/web", NULL, 0},
	    {"{{range 3}}{{.}}{{end}}", "012", NULL, 0},
	    {"{{$x := .State.Pid}}{{$x}}", "42", NULL, 0},
	    {"{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}", "2", NULL, 0},
	    {"{{range .Mounts -}}\n  {{.Source}}\n{{- end}}", "/s1/s2", NULL, 0},
	    {"a  {{- /* note */ -}}  b", "ab", NULL, 0},
	    {"{{/* only */}}x", "x", NULL, 0},
	    {"{{ .Name }}", "/web", NULL, 0},
	    {"{{(.State).Pid}}", "42", NULL, 0},
	    {"{{-3}}", "-3", NULL, 0},
	};
	RUN(c);
}

static void test_funcs(void)
{
	static const struct tcase c[] = {
	    {"{{json .Config.Labels}}", "{\"a\":\"1\",\"b\":\"2\",\"com.example\":\"yes\"}", NULL,
	     0},
	    {"{{json .State}}",
	     "{\"Status\":\"running\",\"Running\":true,\"Pid\":42,\"Health\":null,\"ExitCode\":0}",
	     NULL, 0},
	    {"{{json .Name}} {{json .Nope}}", "\"/web\" null", NULL, 0},
	    {"{{index .Config.Labels \"com.example\"}}", "yes", NULL, 0},
	    {"[{{index .Config.Labels \"missing\"}}]", "[]", NULL, 0},
	    {"{{index .Mounts 1 \"Source\"}}", "/s2", NULL, 0},
	    {"{{index .Args 1}}", "sleep 9", NULL, 0},
	    {"{{join .Args \" \"}}", "-c sleep 9", NULL, 0},
	    {"{{lower \"RuNNing\"}} {{upper .State.Status}}", "running RUNNING", NULL, 0},
	    {"{{title \"hello big world\"}}", "Hello Big World", NULL, 0},
	    {"{{split \"a,b,c\" \",\"}} {{len (split \"a,b\" \",\")}}", "[a b c] 2", NULL, 0},
	    {"{{index (split .Name \"/\") 1}}", "web", NULL, 0},
	    {"{{truncate .Id 3}}", "abc", NULL, 0},
	    {"[{{pad .State.Status 1 2}}]", "[ running  ]", NULL, 0},
	    {"{{len .Mounts}} {{len .Name}} {{len .Config.Labels}}", "2 4 3", NULL, 0},
	    {"{{println .Id}}", "abc123\n", NULL, 0},
	    {"{{print .Id 1 2 \"x\"}}", "abc1231 2x", NULL, 0},
	    {"{{printf \"%s:%d\" .Name .RestartCount}}", "/web:2", NULL, 0},
	    {"{{printf \"%v %q %x %5s|%-4d|%03d\" .Args .Name \"hi\" \"ab\" 7 5}}",
	     "[-c sleep 9] \"/web\" 6869    ab|7   |005", NULL, 0},
	    {"{{len (printf \"%66666666666666666666d|%.99999999999s\" 1 \"ab\")}}", "10003", NULL,
	     0},
	    {"{{printf \"%d\" .Name}}", "%!d(string=/web)", NULL, 0},
	    {"{{printf \"%s %s\" 1}}", "%!s(int=1) %!s(MISSING)", NULL, 0},
	    {"{{printf \"%t %.2f %%\" .State.Running .Config.Ratio}}", "true 1.50 %", NULL, 0},
	    {"{{.Name | printf \"%s!\"}}", "/web!", NULL, 0},
	    {"{{.State.Status | upper | printf \"<%s>\"}}", "<RUNNING>", NULL, 0},
	    {"{{eq .State.Status \"running\"}} {{ne .State.Pid 42}}", "true false", NULL, 0},
	    {"{{eq .State.Status \"a\" \"running\"}}", "true", NULL, 0},
	    {"{{lt 1 2}} {{le 2 2}} {{gt .State.Pid 50}} {{ge \"b\" \"a\"}}",
	     "true true false true", NULL, 0},
	    {"{{and .State.Running .Name}} {{or .Nope \"\" 0}} {{not .State.Running}}",
	     "/web 0 false", NULL, 0},
	    {"{{if and .State.Running (eq .State.Pid 42)}}yes{{end}}", "yes", NULL, 0},
	    {"{{eq .Nope \"x\"}}", "false", NULL, 0},
	};
	RUN(c);
}

static void test_func_errors(void)
{
	static const struct tcase c[] = {
	    {"{{index .Args 5}}", NULL, "error calling index: index out of range: 5", 0},
	    {"{{index .Nope 1}}", NULL, "index of untyped nil", 0},
	    {"{{index .Name 1}}", NULL, "can't index item of type string", 0},
	    {"{{len .State.Pid}}", NULL, "error calling len", 0},
	    {"{{lt .State.Status 1}}", NULL, "incompatible types for comparison", 0},
	    {"{{lt .Mounts 1}}", NULL, "invalid type for comparison", 0},
	    {"{{eq .Mounts .Args}}", NULL, "non-comparable types", 0},
	    {"{{eq 1}}", NULL, "missing argument for comparison", 0},
	    {"{{not}}", NULL, "wrong number of args for not: want 1 got 0", 0},
	    {"{{lower .State.Pid}}", NULL, "expected string; got json.Number", 0},
	    {"{{join .Mounts \",\"}}", NULL, "expected []string", 0},
	    {"{{truncate .Id \"x\"}}", NULL, "expected int", 0},
	    {"{{printf 1}}", NULL, "error calling printf", 0},
	};
	RUN(c);
}

static void test_parse_errors(void)
{
	static const struct tcase c[] = {
	    {"{{.Foo", NULL, "template: :1: unclosed action", 0},
	    {"{{.Name}", NULL, "template: :1: unexpected \"}\" in operand", 0},
	    {"{{foo .Name}}", NULL, "template: :1: function \"foo\" not defined", 0},
	    {"{{range .Mounts}}x", NULL, "template: :1: unexpected EOF", 0},
	    {"{{if .A}}x{{else}}y{{else}}z{{end}}", NULL, "unexpected {{else}}", 0},
	    {"x{{end}}", NULL, "template: :1: unexpected {{end}}", 0},
	    {"{{if}}x{{end}}", NULL, "missing value for if", 0},
	    {"{{}}", NULL, "missing value for command", 0},
	    {"{{.A | }}", NULL, "missing value for command", 0},
	    {"{{$x}}", NULL, "undefined variable \"$x\"", 0},
	    {"{{$x = 1}}", NULL, "undefined variable \"$x\"", 0},
	    {"{{range $v := .A}}{{end}}{{$v}}", NULL, "undefined variable \"$v\"", 0},
	    {"{{\"abc}}", NULL, "unterminated quoted string", 0},
	    {"{{`abc}}", NULL, "unterminated raw quoted string", 0},
	    {"{{\"\\q\"}}", NULL, "bad escape", 0},
	    {"{{1.5}}", NULL, "bad number syntax", 0},
	    {"{{(.A}}", NULL, "unclosed left paren", 0},
	    {"{{.A)}}", NULL, "unexpected right paren", 0},
	    {"{{#}}", NULL, "unrecognized character in action", 0},
	    {"{{/* x }}", NULL, "unclosed comment", 0},
	    {"{{/* x */ .A}}", NULL, "comment ends before closing delimiter", 0},
	    {"{{range 9999999999}}{{end}}", NULL, "execution too long", 0},
	    {"{{range 100000}}{{range 100000}}{{end}}{{end}}", NULL, "execution too long", 0},
	    {"{{template \"x\"}}", NULL, "{{template}} is not supported", 0},
	    {"a\nb\n{{.Foo", NULL, "template: :3: unclosed action", 0},
	};
	RUN(c);
}

static void test_depth(void)
{
	char deep[2000] = "", parens[1000] = "{{";
	struct dk_err err;
	struct dk_tmpl *t;

	for (int i = 0; i < 101; i++)
		strcat(deep, "{{if 1}}");
	t = dk_tmpl_parse(deep, &err);
	CHECK(t == NULL);
	CHECK(t == NULL && strstr(err.msg, "nesting too deep (limit 100)"));
	for (int i = 0; i < 150; i++)
		strcat(parens, "(");
	t = dk_tmpl_parse(parens, &err);
	CHECK(t == NULL && strstr(err.msg, "nesting too deep"));
	deep[0] = '\0';
	for (int i = 0; i < 50; i++)
		strcat(deep, "{{with .}}");
	strcat(deep, "{{.Name}}");
	for (int i = 0; i < 50; i++)
		strcat(deep, "{{end}}");
	t = dk_tmpl_parse(deep, &err);
	CHECK_MSG(t != NULL, "%s", err.msg);
	dk_tmpl_free(t);
}

T_MAIN(T(test_fields), T(test_field_errors), T(test_control), T(test_funcs), T(test_func_errors),
       T(test_parse_errors), T(test_depth))
