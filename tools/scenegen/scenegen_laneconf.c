/*
 * scenegen_laneconf.c — builds lane.conf with GKeyFile: [gate] and one
 * [camera ROLE] group per rendered camera.
 */
#include "scenegen_laneconf.h"

#define GATE_NAME "huu-nghi"
#define LANE_NAME "freight-1"

static const char *const HEADER =
    " Written by gatecv-scenegen for a generated lane.\n"
    " roi=x,y,w,h: the part of the image where vehicles of the lane appear.\n"
    " tripwire=x1,y1,x2,y2: a vehicle that passes from the left of the directed line\n"
    " (x1,y1)->(x2,y2) to its right (left and right as seen on the screen, y down)\n"
    " moves in positive_direction.\n"
    " metres_per_pixel (side cameras): one pixel's size along the lane at a truck's side.";

static bool add_camera(GKeyFile *kf, const sg_camera *cam, const char *out_dir, GError **error)
{
    const char *role = sg_role_name(cam->role);
    char *group = g_strdup_printf("camera %s", role);
    char *file = g_strdup_printf("%s/%s.mkv", out_dir, role);
    char *uri = g_filename_to_uri(file, NULL, error);
    if (uri) {
        int roi[4], line[4];
        sg_camera_roi(cam, roi);
        sg_camera_tripwire(cam, line);
        char *roi_s = g_strdup_printf("%d,%d,%d,%d", roi[0], roi[1], roi[2], roi[3]);
        char *line_s = g_strdup_printf("%d,%d,%d,%d", line[0], line[1], line[2], line[3]);
        g_key_file_set_string(kf, group, "role", role);
        g_key_file_set_string(kf, group, "uri", uri);
        g_key_file_set_string(kf, group, "roi", roi_s);
        g_key_file_set_string(kf, group, "tripwire", line_s);
        double mpp = sg_camera_metres_per_pixel(cam);
        if (mpp > 0) {
            char num[G_ASCII_DTOSTR_BUF_SIZE];
            g_key_file_set_string(kf, group, "metres_per_pixel",
                                  g_ascii_formatd(num, sizeof num, "%.5f", mpp));
        }
        g_free(roi_s);
        g_free(line_s);
    }
    g_free(uri);
    g_free(file);
    g_free(group);
    return uri != NULL;
}

bool sg_laneconf_write(const char *path, const char *out_dir, const sg_camera cams[SG_N_CAMERAS],
                       const bool rendered[SG_N_CAMERAS], GError **error)
{
    GKeyFile *kf = g_key_file_new();
    g_key_file_set_string(kf, "gate", "name", GATE_NAME);
    g_key_file_set_string(kf, "gate", "lane", LANE_NAME);
    g_key_file_set_string(kf, "gate", "positive_direction", "VN_TO_CN");
    g_key_file_set_comment(kf, "gate", NULL, HEADER, NULL);
    bool ok = true;
    for (int c = 0; ok && c < SG_N_CAMERAS; c++)
        if (rendered[c])
            ok = add_camera(kf, &cams[c], out_dir, error);
    ok = ok && g_key_file_save_to_file(kf, path, error);
    g_key_file_free(kf);
    return ok;
}
