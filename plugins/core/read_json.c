/*
 * read_json.c — the JSON forms of reads (json-glib), shared by the tools and the daemon:
 * a read as an object, a polygon, confidences rounded for people, a node as text.
 */
#include "read_json.h"

void read_json_add_polygon(JsonBuilder *b, const gcv_point quad[4])
{
    json_builder_set_member_name(b, "polygon");
    json_builder_begin_array(b);
    for (int i = 0; i < 4; i++) {
        json_builder_begin_array(b);
        json_builder_add_int_value(b, (gint64)(quad[i].x + 0.5f));
        json_builder_add_int_value(b, (gint64)(quad[i].y + 0.5f));
        json_builder_end_array(b);
    }
    json_builder_end_array(b);
}

double read_json_round(float v)
{
    return (int)(v * 1000 + 0.5f) / 1000.0;
}

JsonNode *read_to_json(const gatecv_read *r)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "kind");
    json_builder_add_string_value(b, r->kind == READ_PLATE ? "plate" : "container");
    json_builder_set_member_name(b, "text");
    json_builder_add_string_value(b, r->text);
    json_builder_set_member_name(b, "display");
    json_builder_add_string_value(b, r->display);
    json_builder_set_member_name(b, "country");
    if (r->kind == READ_PLATE && gatecv_country_name(r->country))
        json_builder_add_string_value(b, gatecv_country_name(r->country));
    else
        json_builder_add_null_value(b);
    json_builder_set_member_name(b, "layout");
    json_builder_add_string_value(b, gatecv_layout_name(r->layout));
    read_json_add_polygon(b, r->quad);
    json_builder_set_member_name(b, "confidence");
    json_builder_add_double_value(b, read_json_round(r->confidence));
    json_builder_set_member_name(b, "min_char_confidence");
    json_builder_add_double_value(b, read_json_round(r->min_char_confidence));
    json_builder_set_member_name(b, "valid");
    json_builder_add_boolean_value(b, r->valid);
    json_builder_set_member_name(b, "corrections");
    json_builder_begin_array(b);
    for (int i = 0; i < r->fix.n_subs; i++) {
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "position");
        json_builder_add_int_value(b, r->fix.subs[i].pos);
        json_builder_set_member_name(b, "from");
        json_builder_add_string_value(b, r->fix.subs[i].from);
        json_builder_set_member_name(b, "to");
        json_builder_add_string_value(b, r->fix.subs[i].to);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    if (r->kind == READ_CONTAINER) {
        json_builder_set_member_name(b, "size_type");
        if (r->size_type[0])
            json_builder_add_string_value(b, r->size_type);
        else
            json_builder_add_null_value(b);
    }
    if (r->kind == READ_PLATE) { /* the plate's background: blue, green, yellow, ... */
        json_builder_set_member_name(b, "colour");
        if (plate_colour_name(r->colour))
            json_builder_add_string_value(b, plate_colour_name(r->colour));
        else
            json_builder_add_null_value(b);
    }
    json_builder_set_member_name(b, "raw");
    json_builder_add_string_value(b, r->raw);
    json_builder_end_object(b);
    JsonNode *node = json_builder_get_root(b);
    g_object_unref(b);
    return node;
}

char *json_node_to_string(JsonNode *node, gboolean pretty)
{
    JsonGenerator *gen = json_generator_new();
    json_generator_set_root(gen, node);
    json_generator_set_pretty(gen, pretty);
    char *s = json_generator_to_data(gen, NULL);
    g_object_unref(gen);
    return s;
}
