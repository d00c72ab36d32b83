#include "pull.h"
int fx_push(const struct fx_opts *o, const char *l, const char *r, struct dk_err *err) { (void)o;(void)l;(void)r; return dk_err_set(err, "todo"); }
int fx_login(const struct fx_opts *o, const char *g, const char *u, const char *p, bool s, struct dk_err *err) { (void)o;(void)g;(void)u;(void)p;(void)s; return dk_err_set(err, "todo"); }
int fx_logout(const char *g, struct dk_err *err) { (void)g; return dk_err_set(err, "todo"); }
int fx_tags(const struct fx_opts *o, const char *r, struct dk_err *err) { (void)o;(void)r; return dk_err_set(err, "todo"); }
int fx_inspect(const struct fx_opts *o, const char *r, bool a, bool b, struct dk_err *err) { (void)o;(void)r;(void)a;(void)b; return dk_err_set(err, "todo"); }
int fx_search(const struct fx_opts *o, const char *t, long l, bool j, struct dk_err *err) { (void)o;(void)t;(void)l;(void)j; return dk_err_set(err, "todo"); }
