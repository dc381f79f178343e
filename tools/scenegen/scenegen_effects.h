/*
 * scenegen_effects.h — the look of a condition applied to a finished output frame:
 * day as drawn; dusk darker and bluer with headlight glow; night under infrared (grey,
 * low contrast, lifted blacks) with glare blobs round the headlights; rain darker with
 * streaks and sensor noise. Also the motion blur of a moving vehicle in a side view.
 *
 * All randomness comes from the caller's rng (one per frame), so frames are the same
 * for the same seed. Functions work in place and never print.
 */
#ifndef GATECV_SCENEGEN_EFFECTS_H
#define GATECV_SCENEGEN_EFFECTS_H

#include "scenegen_world.h"

/* Sensor noise: a tile of gaussian noise made once (render_add_noise on flat grey)
 * and added at a random offset each frame, which costs a small part of drawing fresh
 * noise for every pixel. Owned by the caller (sg_noise_free). */
typedef struct sg_noise sg_noise;
sg_noise *sg_noise_new(int width, int height, uint64_t seed);
void sg_noise_free(sg_noise *nz);
/* Adds noise of standard deviation sigma (grey levels, same on all channels). */
void sg_noise_apply(const sg_noise *nz, gcv_image *img, double sigma, render_rng *rng);

/* A lit headlight in the output image. */
typedef struct {
    gcv_point at;
    double radius; /* px */
} sg_light;

void sg_effects_apply(gcv_image *img, sg_condition cond, const sg_light *lights, int n_lights,
                      const sg_noise *nz, render_rng *rng);

/* Exposure time of the camera in a condition (s): longer in the dark, more blur. */
double sg_effects_exposure(sg_condition cond);

/* Blurs the rectangle (clipped to img) horizontally over `length` px. 0 or -1 + error. */
int sg_effects_motion_blur(gcv_image *img, int x, int y, int w, int h, int length, GError **error);

#endif /* GATECV_SCENEGEN_EFFECTS_H */
