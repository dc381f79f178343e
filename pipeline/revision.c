/*
 * revision.c — what a vehicle's revisions told, and keeping it in the next (see revision.h).
 */
#include "revision.h"

#include <string.h>

#include "lane_text.h"

void revisions_init(vehicle_revisions *r)
{
    *r = (vehicle_revisions){.items = g_array_new(FALSE, FALSE, sizeof(lane_item))};
}

void revisions_clear(vehicle_revisions *r)
{
    if (r->items)
        g_array_free(r->items, TRUE);
    g_free(r->said);
    *r = (vehicle_revisions){0};
}

/* Whether two items are the same plate of the same camera, or the same container code (one
 * item per code, whichever camera read it best). */
static bool same_item(const lane_item *a, const lane_item *b)
{
    if (a->read.kind != b->read.kind || strcmp(a->read.text, b->read.text) != 0)
        return false;
    return a->read.kind == READ_CONTAINER || strcmp(a->camera, b->camera) == 0;
}

static bool crossing_has(const lane_crossing *c, const lane_item *it)
{
    const lane_item *items = it->read.kind == READ_PLATE ? c->plates : c->containers;
    int n = it->read.kind == READ_PLATE ? c->n_plates : c->n_containers;
    for (int i = 0; i < n; i++)
        if (same_item(&items[i], it))
            return true;
    return false;
}

/* Whether the vehicle's texts still hold the item's text (a plate: read by its camera). */
static bool texts_hold(const lane_config *config, GPtrArray *texts, const lane_item *it)
{
    for (guint i = 0; i < texts->len; i++) {
        const lane_text *v = g_ptr_array_index(texts, i);
        if (v->best.kind == it->read.kind && strcmp(v->best.text, it->read.text) == 0 &&
            (it->read.kind == READ_CONTAINER ||
             strcmp(config->cameras[v->camera].name, it->camera) == 0))
            return true;
    }
    return false;
}

int revisions_keep(const vehicle_revisions *r, const lane_config *config, GPtrArray *texts,
                   lane_crossing *c)
{
    int lost = 0;
    for (guint i = 0; i < r->items->len; i++) {
        const lane_item *told = &g_array_index(r->items, lane_item, i);
        if (crossing_has(c, told))
            continue;
        lane_item *items = told->read.kind == READ_PLATE ? c->plates : c->containers;
        int *n = told->read.kind == READ_PLATE ? &c->n_plates : &c->n_containers;
        if (*n == LANE_MAX_ITEMS) {
            lost++;
            continue;
        }
        lane_item kept = *told;
        kept.told = texts_hold(config, texts, told) ? ITEM_OUTVOTED : ITEM_UNCONFIRMED;
        items[(*n)++] = kept;
    }
    return lost;
}

/* Status and texts, as far as they matter to the clearance system: a frame more of the same
 * text is no news. */
static char *what_it_says(const lane_crossing *c)
{
    GString *s = g_string_new(c->status);
    for (int pass = 0; pass < 2; pass++) {
        const lane_item *items = pass == 0 ? c->plates : c->containers;
        int n = pass == 0 ? c->n_plates : c->n_containers;
        for (int i = 0; i < n; i++)
            g_string_append_printf(s, "|%s:%s:%d:%d:%d", items[i].camera, items[i].read.text,
                                   items[i].read.valid, items[i].enough_votes, items[i].told);
    }
    for (int i = 0; i < c->n_reasons; i++)
        g_string_append_printf(s, "|%s", c->reasons[i]);
    return g_string_free(s, FALSE);
}

bool revisions_news(const vehicle_revisions *r, const lane_crossing *c)
{
    if (!r->said)
        return true;
    char *now = what_it_says(c);
    bool news = strcmp(now, r->said) != 0;
    g_free(now);
    return news;
}

static void note_items(vehicle_revisions *r, const lane_item *items, int n)
{
    for (int i = 0; i < n; i++) {
        bool known = false;
        for (guint k = 0; k < r->items->len && !known; k++)
            known = same_item(&g_array_index(r->items, lane_item, k), &items[i]);
        if (known)
            continue;
        lane_item copy = items[i];
        copy.evidence = NULL; /* the picture went out with the revision that had it */
        copy.told = ITEM_OWN;
        g_array_append_val(r->items, copy);
    }
}

void revisions_note(vehicle_revisions *r, const lane_crossing *c)
{
    r->revision = c->revision;
    note_items(r, c->plates, c->n_plates);
    note_items(r, c->containers, c->n_containers);
    g_free(r->said);
    r->said = what_it_says(c);
}
