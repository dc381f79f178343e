/*
 * read_output.c — the readable one-line form of a gatecv_read (JSON: read_json.c).
 */
#include "read_output.h"

static const char *kind_name(gatecv_read_kind kind)
{
    return kind == READ_PLATE ? "plate" : "container";
}

void read_print_line(FILE *out, const gatecv_read *r)
{
    const char *country = r->kind == READ_PLATE ? gatecv_country_name(r->country) : NULL;
    fprintf(out, "  %-9s %-12s %-14s %-3s %-10s conf %.2f  %s", kind_name(r->kind), r->text,
            r->display, country ? country : "-", gatecv_layout_name(r->layout), r->confidence,
            r->valid ? "valid" : "NOT VALID");
    for (int i = 0; i < r->fix.n_subs; i++)
        fprintf(out, "%s%s->%s@%d", i ? "," : "  corrected ", r->fix.subs[i].from,
                r->fix.subs[i].to, r->fix.subs[i].pos);
    if (r->kind == READ_CONTAINER && r->size_type[0])
        fprintf(out, "  size-type %s", r->size_type);
    fprintf(out, "  [read: %s]\n", r->raw);
}
