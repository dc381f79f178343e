/*
 * scenegen_sprite.h — paints one face of one section of a vehicle as an upright
 * picture ("sprite"): the cab with its windscreen and front plate, the chassis with
 * its rear plate and lights, container sides and doors with their ISO 6346 codes, an
 * AGV with its fleet number, a car. Every plate and container code is drawn by the
 * renderer (render_plate, render_container_panel, render_container_code).
 *
 * A sprite is the face seen square-on at `px_per_m` pixels per metre: width × height
 * of the face in metres times the scale. Side sprites (SG_FACE_LEFT / SG_FACE_RIGHT)
 * are drawn as the side camera sees them: the vehicle's front at the left for the
 * left side, at the right for the right side. Text is never mirrored.
 */
#ifndef GATECV_SCENEGEN_SPRITE_H
#define GATECV_SCENEGEN_SPRITE_H

#include "scenegen_camera.h"

/* What painting needs besides the vehicle: the renderer's fonts and a bold font for
 * painted lettering (AGV fleet numbers). Borrowed, not owned. */
typedef struct {
    render_fonts *fonts;
    gcv_font *bold;
} sg_paint_fonts;

/* A new BGR image of the face (caller frees), or NULL + error. */
gcv_image *sg_sprite_face(const sg_vehicle *v, int section, sg_face face, double px_per_m,
                          const sg_paint_fonts *pf, GError **error);

/* The colour of a section's roof as seen from above. */
render_colour sg_sprite_roof_colour(const sg_vehicle *v, int section);

/* Where the headlights of a vehicle's front face are, in metres from the face's left
 * edge (u) and above the road (h), for night glare: fills up to 2, returns the count. */
int sg_sprite_headlights(const sg_vehicle *v, double u[2], double h[2]);

#endif /* GATECV_SCENEGEN_SPRITE_H */
