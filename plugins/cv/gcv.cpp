// gcv.cpp — the implementation of gcv.h: gatecv's only C++, a thin wrapper over OpenCV 4.6.
//
// Every function converts between gcv_image and cv::Mat at the boundary, catches every
// OpenCV exception (none may cross into C) and reports failures through gcv_last_error().
#include "gcv.h"
#include "gcv_internal.hpp"

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/freetype.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <vector>

namespace {

thread_local char last_error[512];

void set_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
}

// A cv::Mat header over a gcv_image's pixels (no copy).
cv::Mat view(const gcv_image *img)
{
    return cv::Mat(img->height, img->width, CV_8UC(img->channels), img->data, img->stride);
}

// Copy a cv::Mat (8-bit, 1 or 3 channels) into a new gcv_image.
gcv_image *from_mat(const cv::Mat &m)
{
    if (m.empty() || m.depth() != CV_8U || (m.channels() != 1 && m.channels() != 3)) {
        set_error("unsupported image (empty, or not 8-bit grey/BGR)");
        return nullptr;
    }
    gcv_image *img = gcv_image_new(m.cols, m.rows, m.channels());
    if (!img)
        return nullptr;
    cv::Mat dst = view(img);
    m.copyTo(dst);
    return img;
}

bool valid_image(const gcv_image *img)
{
    if (!img || !img->data || img->width <= 0 || img->height <= 0 ||
        (img->channels != 1 && img->channels != 3)) {
        set_error("invalid image argument");
        return false;
    }
    return true;
}

} // namespace

// For the wrapper's other C++ files (gcv_internal.hpp): the same error slot and conversions.
namespace gcv_detail {
void set_error_text(const char *text)
{
    set_error("%s", text);
}
cv::Mat view(const gcv_image *img)
{
    return ::view(img);
}
gcv_image *from_mat(const cv::Mat &m)
{
    return ::from_mat(m);
}
bool valid_image(const gcv_image *img)
{
    return ::valid_image(img);
}
} // namespace gcv_detail

struct gcv_net {
    cv::dnn::Net net;
};

struct gcv_font {
    cv::Ptr<cv::freetype::FreeType2> ft;
};

extern "C" {

const char *gcv_last_error(void)
{
    return last_error;
}

gcv_image *gcv_image_new(int width, int height, int channels)
{
    if (width <= 0 || height <= 0 || (channels != 1 && channels != 3) || width > 65536 ||
        height > 65536) {
        set_error("bad image size %dx%d with %d channels", width, height, channels);
        return nullptr;
    }
    gcv_image *img = static_cast<gcv_image *>(std::calloc(1, sizeof *img));
    if (!img) {
        set_error("out of memory");
        return nullptr;
    }
    img->width = width;
    img->height = height;
    img->channels = channels;
    img->stride = static_cast<size_t>(width) * channels;
    img->data = static_cast<uint8_t *>(std::calloc(img->stride, height));
    if (!img->data) {
        std::free(img);
        set_error("out of memory for a %dx%d image", width, height);
        return nullptr;
    }
    return img;
}

void gcv_image_free(gcv_image *img)
{
    if (!img)
        return;
    std::free(img->data);
    std::free(img);
}

gcv_image *gcv_image_clone(const gcv_image *img)
{
    if (!valid_image(img))
        return nullptr;
    return from_mat(view(img));
}

gcv_image *gcv_image_crop(const gcv_image *img, int x, int y, int width, int height)
{
    if (!valid_image(img))
        return nullptr;
    cv::Rect r = cv::Rect(x, y, width, height) & cv::Rect(0, 0, img->width, img->height);
    if (r.area() <= 0) {
        set_error("crop %dx%d+%d+%d is outside the %dx%d image", width, height, x, y, img->width,
                  img->height);
        return nullptr;
    }
    return from_mat(view(img)(r));
}

gcv_image *gcv_image_read(const char *path)
{
    try {
        cv::Mat m = cv::imread(path, cv::IMREAD_COLOR);
        if (m.empty()) {
            set_error("cannot decode '%s' as an image", path);
            return nullptr;
        }
        return from_mat(m);
    } catch (const std::exception &e) {
        set_error("cannot read '%s': %s", path, e.what());
        return nullptr;
    }
}

gcv_image *gcv_image_decode(const uint8_t *bytes, size_t len)
{
    if (!bytes || len == 0) {
        set_error("no bytes to decode");
        return nullptr;
    }
    try {
        cv::Mat buf(1, static_cast<int>(len), CV_8U, const_cast<uint8_t *>(bytes));
        cv::Mat m = cv::imdecode(buf, cv::IMREAD_COLOR);
        if (m.empty()) {
            set_error("cannot decode %zu bytes as an image", len);
            return nullptr;
        }
        return from_mat(m);
    } catch (const std::exception &e) {
        set_error("cannot decode image: %s", e.what());
        return nullptr;
    }
}

int gcv_image_write(const gcv_image *img, const char *path)
{
    if (!valid_image(img))
        return -1;
    try {
        if (!cv::imwrite(path, view(img))) {
            set_error("cannot write '%s'", path);
            return -1;
        }
        return 0;
    } catch (const std::exception &e) {
        set_error("cannot write '%s': %s", path, e.what());
        return -1;
    }
}

gcv_image *gcv_resize(const gcv_image *src, int width, int height, enum gcv_interp interp)
{
    if (!valid_image(src))
        return nullptr;
    if (width <= 0 || height <= 0) {
        set_error("bad resize target %dx%d", width, height);
        return nullptr;
    }
    try {
        cv::Mat out;
        cv::resize(view(src), out, cv::Size(width, height), 0, 0, static_cast<int>(interp));
        return from_mat(out);
    } catch (const std::exception &e) {
        set_error("resize failed: %s", e.what());
        return nullptr;
    }
}

gcv_image *gcv_to_gray(const gcv_image *src)
{
    if (!valid_image(src))
        return nullptr;
    if (src->channels == 1)
        return gcv_image_clone(src);
    cv::Mat out;
    cv::cvtColor(view(src), out, cv::COLOR_BGR2GRAY);
    return from_mat(out);
}

gcv_image *gcv_to_bgr(const gcv_image *src)
{
    if (!valid_image(src))
        return nullptr;
    if (src->channels == 3)
        return gcv_image_clone(src);
    cv::Mat out;
    cv::cvtColor(view(src), out, cv::COLOR_GRAY2BGR);
    return from_mat(out);
}

/* OpenCV converts 4:2:0 only from one contiguous block (Y rows, then the chroma rows),
 * so the rectangle's rows are gathered into one first: a copy of 1.5 bytes a pixel, small
 * beside the conversion itself. */
gcv_image *gcv_yuv420_to_bgr(enum gcv_yuv_layout layout, const uint8_t *const planes[3],
                             const size_t strides[3], int frame_width, int frame_height, int x,
                             int y, int width, int height)
{
    cv::Rect r = cv::Rect(x & ~1, y & ~1, width, height) & cv::Rect(0, 0, frame_width, frame_height);
    r.width &= ~1;
    r.height &= ~1;
    if (r.width <= 0 || r.height <= 0 || !planes[0] || !planes[1] ||
        (layout == GCV_YUV_I420 && !planes[2])) {
        set_error("yuv crop %dx%d+%d+%d is outside the %dx%d frame", width, height, x, y,
                  frame_width, frame_height);
        return nullptr;
    }
    try {
        const int w = r.width, h = r.height;
        cv::Mat block(h * 3 / 2, w, CV_8UC1);
        uint8_t *out = block.data;
        for (int row = 0; row < h; row++, out += w)
            memcpy(out, planes[0] + (size_t)(r.y + row) * strides[0] + r.x, (size_t)w);
        if (layout == GCV_YUV_NV12) {
            for (int row = 0; row < h / 2; row++, out += w)
                memcpy(out, planes[1] + (size_t)(r.y / 2 + row) * strides[1] + r.x, (size_t)w);
        } else {
            for (int p = 1; p <= 2; p++)
                for (int row = 0; row < h / 2; row++, out += w / 2)
                    memcpy(out, planes[p] + (size_t)(r.y / 2 + row) * strides[p] + r.x / 2,
                           (size_t)w / 2);
        }
        cv::Mat bgr;
        cv::cvtColor(block, bgr,
                     layout == GCV_YUV_NV12 ? cv::COLOR_YUV2BGR_NV12 : cv::COLOR_YUV2BGR_I420);
        return from_mat(bgr);
    } catch (const std::exception &e) {
        set_error("yuv to bgr: %s", e.what());
        return nullptr;
    }
}

int gcv_perspective_transform(const gcv_point src[4], const gcv_point dst[4], double h_out[9])
{
    try {
        std::vector<cv::Point2f> s, d;
        for (int i = 0; i < 4; i++) {
            s.emplace_back(src[i].x, src[i].y);
            d.emplace_back(dst[i].x, dst[i].y);
        }
        cv::Mat h = cv::getPerspectiveTransform(s, d);
        for (int i = 0; i < 9; i++)
            h_out[i] = h.at<double>(i / 3, i % 3);
        return 0;
    } catch (const std::exception &e) {
        set_error("no perspective transform for these points: %s", e.what());
        return -1;
    }
}

gcv_image *gcv_warp_perspective(const gcv_image *src, const double h[9], int out_width,
                                int out_height, int border)
{
    if (!valid_image(src))
        return nullptr;
    if (out_width <= 0 || out_height <= 0) {
        set_error("bad warp target %dx%d", out_width, out_height);
        return nullptr;
    }
    try {
        cv::Mat hm(3, 3, CV_64F, const_cast<double *>(h));
        cv::Mat out;
        cv::warpPerspective(view(src), out, hm, cv::Size(out_width, out_height), cv::INTER_LINEAR,
                            cv::BORDER_CONSTANT, cv::Scalar::all(border));
        return from_mat(out);
    } catch (const std::exception &e) {
        set_error("perspective warp failed: %s", e.what());
        return nullptr;
    }
}

gcv_image *gcv_warp_quad(const gcv_image *src, const gcv_point quad[4], int out_width,
                         int out_height)
{
    const gcv_point dst[4] = {{0, 0},
                              {(float)out_width, 0},
                              {(float)out_width, (float)out_height},
                              {0, (float)out_height}};
    double h[9];
    if (gcv_perspective_transform(quad, dst, h) < 0)
        return nullptr;
    return gcv_warp_perspective(src, h, out_width, out_height, 0);
}

gcv_image *gcv_morph(const gcv_image *src, enum gcv_morph_op op, int kw, int kh)
{
    if (!valid_image(src))
        return nullptr;
    if (src->channels != 1 || kw <= 0 || kh <= 0) {
        set_error("morphology needs a 1-channel image and a positive kernel");
        return nullptr;
    }
    static const int ops[] = {cv::MORPH_ERODE, cv::MORPH_DILATE, cv::MORPH_OPEN, cv::MORPH_CLOSE};
    cv::Mat kernel = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(kw, kh));
    cv::Mat out;
    cv::morphologyEx(view(src), out, ops[op], kernel);
    return from_mat(out);
}

int gcv_connected_components(const gcv_image *binary, gcv_component *out, int max_out,
                             int32_t **labels_out)
{
    if (labels_out)
        *labels_out = nullptr;
    if (!valid_image(binary))
        return -1;
    if (binary->channels != 1) {
        set_error("connected components need a 1-channel image");
        return -1;
    }
    cv::Mat labels, stats, centroids;
    int n = cv::connectedComponentsWithStats(view(binary), labels, stats, centroids, 8, CV_32S);
    for (int i = 1; i < n && i - 1 < max_out; i++) {
        out[i - 1].x = stats.at<int>(i, cv::CC_STAT_LEFT);
        out[i - 1].y = stats.at<int>(i, cv::CC_STAT_TOP);
        out[i - 1].width = stats.at<int>(i, cv::CC_STAT_WIDTH);
        out[i - 1].height = stats.at<int>(i, cv::CC_STAT_HEIGHT);
        out[i - 1].area = stats.at<int>(i, cv::CC_STAT_AREA);
    }
    if (labels_out) {
        size_t bytes = sizeof(int32_t) * binary->width * binary->height;
        *labels_out = static_cast<int32_t *>(std::malloc(bytes));
        if (!*labels_out) {
            set_error("out of memory for a label map");
            return -1;
        }
        for (int y = 0; y < binary->height; y++)
            std::memcpy(*labels_out + (size_t)y * binary->width, labels.ptr<int32_t>(y),
                        sizeof(int32_t) * binary->width);
    }
    return n - 1;
}

int gcv_min_area_rect(const gcv_point *pts, int n, gcv_rotated_rect *out)
{
    if (!pts || n <= 0) {
        set_error("no points for a rotated rectangle");
        return -1;
    }
    std::vector<cv::Point2f> v;
    v.reserve(n);
    for (int i = 0; i < n; i++)
        v.emplace_back(pts[i].x, pts[i].y);
    cv::RotatedRect r = cv::minAreaRect(v);
    out->center = {r.center.x, r.center.y};
    out->width = r.size.width;
    out->height = r.size.height;
    out->angle = r.angle;
    return 0;
}

void gcv_rotated_rect_corners(const gcv_rotated_rect *r, gcv_point out[4])
{
    cv::RotatedRect rr(cv::Point2f(r->center.x, r->center.y), cv::Size2f(r->width, r->height),
                       r->angle);
    cv::Point2f p[4];
    rr.points(p);
    // Order by position: the two smallest y are the top pair, each pair sorted by x.
    std::sort(p, p + 4, [](const cv::Point2f &a, const cv::Point2f &b) { return a.y < b.y; });
    if (p[0].x > p[1].x)
        std::swap(p[0], p[1]);
    if (p[2].x < p[3].x)
        std::swap(p[2], p[3]);
    for (int i = 0; i < 4; i++)
        out[i] = {p[i].x, p[i].y};
}

gcv_image *gcv_gaussian_blur(const gcv_image *src, int ksize, double sigma)
{
    if (!valid_image(src))
        return nullptr;
    if (ksize <= 0 || ksize % 2 == 0) {
        set_error("gaussian kernel size must be odd and positive, got %d", ksize);
        return nullptr;
    }
    cv::Mat out;
    cv::GaussianBlur(view(src), out, cv::Size(ksize, ksize), sigma);
    return from_mat(out);
}

gcv_image *gcv_motion_blur(const gcv_image *src, int length, double angle_deg)
{
    if (!valid_image(src))
        return nullptr;
    if (length <= 1)
        return gcv_image_clone(src);
    cv::Mat kernel = cv::Mat::zeros(length, length, CV_32F);
    double c = (length - 1) / 2.0;
    double dx = std::cos(angle_deg * CV_PI / 180.0), dy = std::sin(angle_deg * CV_PI / 180.0);
    cv::line(kernel, cv::Point2d(c - dx * c, c - dy * c), cv::Point2d(c + dx * c, c + dy * c),
             cv::Scalar(1.0), 1, cv::LINE_AA);
    kernel /= cv::sum(kernel)[0];
    cv::Mat out;
    cv::filter2D(view(src), out, -1, kernel);
    return from_mat(out);
}

void gcv_fill_rect(gcv_image *img, int x, int y, int width, int height, int b, int g, int r)
{
    if (!valid_image(img))
        return;
    cv::Mat m = view(img);
    cv::rectangle(m, cv::Rect(x, y, width, height), cv::Scalar(b, g, r), cv::FILLED);
}

void gcv_fill_poly(gcv_image *img, const gcv_point *pts, int n, int b, int g, int r)
{
    if (!valid_image(img) || n < 3)
        return;
    std::vector<cv::Point> v;
    for (int i = 0; i < n; i++)
        v.emplace_back(cvRound(pts[i].x), cvRound(pts[i].y));
    cv::Mat m = view(img);
    cv::fillPoly(m, std::vector<std::vector<cv::Point>>{v}, cv::Scalar(b, g, r), cv::LINE_AA);
}

void gcv_draw_line(gcv_image *img, gcv_point a, gcv_point b, int thickness, int cb, int cg,
                   int cr)
{
    if (!valid_image(img))
        return;
    cv::Mat m = view(img);
    cv::line(m, cv::Point2f(a.x, a.y), cv::Point2f(b.x, b.y), cv::Scalar(cb, cg, cr), thickness,
             cv::LINE_AA);
}

gcv_font *gcv_font_load(const char *path)
{
    try {
        auto ft = cv::freetype::createFreeType2();
        ft->loadFontData(cv::String(path), 0);
        return new gcv_font{ft};
    } catch (const std::exception &e) {
        set_error("cannot load font '%s': %s", path, e.what());
        return nullptr;
    }
}

void gcv_font_free(gcv_font *font)
{
    delete font;
}

int gcv_font_text_size(gcv_font *font, const char *utf8, int height, int *width_out,
                       int *height_out, int *baseline_out)
{
    try {
        int baseline = 0;
        cv::Size s = font->ft->getTextSize(utf8, height, -1, &baseline);
        *width_out = s.width;
        *height_out = s.height;
        if (baseline_out)
            *baseline_out = baseline;
        return 0;
    } catch (const std::exception &e) {
        set_error("cannot measure text: %s", e.what());
        return -1;
    }
}

int gcv_font_draw(gcv_font *font, gcv_image *img, const char *utf8, int x, int y, int height,
                  int b, int g, int r)
{
    if (!valid_image(img))
        return -1;
    try {
        cv::Mat m = view(img);
        // FreeType2::putText draws on BGR only: a grey image goes through a BGR copy.
        cv::Mat canvas = m;
        if (img->channels == 1)
            cv::cvtColor(m, canvas, cv::COLOR_GRAY2BGR);
        // putText's origin is the top-left when bottomLeftOrigin is false.
        font->ft->putText(canvas, utf8, cv::Point(x, y), height, cv::Scalar(b, g, r), cv::FILLED,
                          cv::LINE_AA, false);
        if (img->channels == 1)
            cv::cvtColor(canvas, m, cv::COLOR_BGR2GRAY);
        return 0;
    } catch (const std::exception &e) {
        set_error("cannot draw text: %s", e.what());
        return -1;
    }
}

gcv_net *gcv_net_load_onnx(const char *path)
{
    FILE *f = std::fopen(path, "rb");
    if (!f) {
        set_error("cannot open model '%s': %s", path, std::strerror(errno));
        return nullptr;
    }
    std::fclose(f);
    try {
        cv::dnn::Net net = cv::dnn::readNetFromONNX(path);
        if (net.empty()) {
            set_error("OpenCV loaded no layers from '%s'", path);
            return nullptr;
        }
        net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        return new gcv_net{net};
    } catch (const std::exception &e) {
        // OpenCV's messages are long and multi-line: keep the first line.
        char msg[256];
        std::snprintf(msg, sizeof msg, "%s", e.what());
        char *nl = std::strchr(msg, '\n');
        if (nl)
            *nl = '\0';
        set_error("OpenCV rejects model '%s' (corrupt or not converted?): %s", path, msg);
        return nullptr;
    }
}

void gcv_net_free(gcv_net *net)
{
    delete net;
}

int gcv_net_forward(gcv_net *net, const float *input, const int in_shape[4], float **out,
                    int out_shape[8], int *out_dims)
{
    *out = nullptr;
    try {
        cv::Mat blob(4, in_shape, CV_32F, const_cast<float *>(input));
        net->net.setInput(blob);
        cv::Mat res = net->net.forward();
        if (res.dims > 8 || !res.isContinuous()) {
            set_error("unexpected network output (%d dims)", res.dims);
            return -1;
        }
        *out_dims = res.dims;
        for (int i = 0; i < res.dims; i++)
            out_shape[i] = res.size[i];
        size_t n = res.total();
        *out = static_cast<float *>(std::malloc(n * sizeof(float)));
        if (!*out) {
            set_error("out of memory for network output");
            return -1;
        }
        std::memcpy(*out, res.ptr<float>(), n * sizeof(float));
        return 0;
    } catch (const std::exception &e) {
        char msg[256];
        std::snprintf(msg, sizeof msg, "%s", e.what());
        char *nl = std::strchr(msg, '\n');
        if (nl)
            *nl = '\0';
        set_error("forward pass failed: %s", msg);
        return -1;
    }
}

void gcv_set_num_threads(int n)
{
    cv::setNumThreads(n);
}

int gcv_image_to_blob(const gcv_image *bgr, float *blob, const float mean[3], const float std_[3])
{
    if (!valid_image(bgr) || bgr->channels != 3) {
        set_error("blob needs a 3-channel image");
        return -1;
    }
    const size_t plane = static_cast<size_t>(bgr->width) * bgr->height;
    for (int y = 0; y < bgr->height; y++) {
        const uint8_t *row = bgr->data + y * bgr->stride;
        for (int x = 0; x < bgr->width; x++)
            for (int c = 0; c < 3; c++)
                blob[c * plane + (size_t)y * bgr->width + x] =
                    (row[x * 3 + c] / 255.0f - mean[c]) / std_[c];
    }
    return 0;
}

} // extern "C"
