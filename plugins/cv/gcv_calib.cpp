// gcv_calib.cpp — gcv_calib.h: a camera_calib to and from an OpenCV FileStorage YAML file.
// Every OpenCV exception is caught here (none may cross into C) and told as the field it was
// reading.
#include "gcv_calib.h"

#include <opencv2/core.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <fstream>
#include <vector>

namespace {

constexpr size_t MAX_FILE_BYTES = 1 << 20;

// Why a field cannot be read: its node path and what is wrong.
struct field_error {
    std::string path, what;
};

[[noreturn]] void bad(const std::string &path, const std::string &what)
{
    throw field_error{path, what};
}

double number(const cv::FileNode &n, const std::string &path)
{
    if (!n.isReal() && !n.isInt())
        bad(path, "expected a number");
    double v = (double)n;
    if (!std::isfinite(v))
        bad(path, "expected a finite number");
    return v + 0.0; // -0 as 0: FileStorage writes -0 as 0 (found by fuzzing the round trip)
}

int whole_number(const cv::FileNode &n, const std::string &path)
{
    if (!n.isInt())
        bad(path, "expected a whole number");
    return (int)n;
}

// A !!opencv-matrix of doubles (or a plain sequence of numbers): its elements, row-major.
std::vector<double> matrix(const cv::FileNode &n, const std::string &path)
{
    std::vector<double> v;
    if (n.isSeq()) {
        for (int i = 0; i < (int)n.size(); i++)
            v.push_back(number(n[i], path + "[" + std::to_string(i) + "]"));
        return v;
    }
    if (!n.isMap())
        bad(path, "expected a matrix (!!opencv-matrix) or a sequence of numbers");
    // its size before OpenCV allocates it: rows: 1000000 would ask for gigabytes (found by
    // fuzzing); no field of the file holds more than 3x3 or 14 numbers
    int rows = whole_number(n["rows"], path + ".rows"), cols = whole_number(n["cols"], path + ".cols");
    if (rows < 1 || cols < 1 || rows > 16 || cols > 16)
        bad(path, std::to_string(rows) + "x" + std::to_string(cols) + " is not the size of this field");
    if (!n["data"].isSeq() || (int)n["data"].size() != rows * cols)
        bad(path + ".data", "expected rows x cols = " + std::to_string(rows * cols) + " numbers");
    cv::Mat m;
    try {
        n >> m;
    } catch (const cv::Exception &) {
        bad(path, "not a readable matrix (rows, cols, dt, data)");
    }
    if (m.empty() || m.channels() != 1)
        bad(path, "not a readable matrix (rows, cols, dt, data)");
    cv::Mat d;
    m.convertTo(d, CV_64F);
    d = d.reshape(1, 1);
    for (int i = 0; i < d.cols; i++)
        v.push_back(d.at<double>(0, i) + 0.0); // -0 as 0, as number() does
    return v;
}

calib_point point(const cv::FileNode &n, const std::string &path)
{
    if (!n.isSeq() || n.size() != 2)
        bad(path, "expected a point [x, y]");
    return {number(n[0], path + "[0]"), number(n[1], path + "[1]")};
}

void read_intrinsics(const cv::FileNode &root, camera_calib *c)
{
    cv::FileNode k = root["camera_matrix"], d = root["distortion_coefficients"];
    if (k.empty() && d.empty())
        return;
    if (k.empty())
        bad("camera_matrix", "missing (distortion_coefficients is given: both or neither)");
    if (d.empty())
        bad("distortion_coefficients", "missing (camera_matrix is given: both or neither)");
    std::vector<double> km = matrix(k, "camera_matrix");
    if (km.size() != 9)
        bad("camera_matrix", std::to_string(km.size()) + " elements; a camera matrix is 3x3");
    std::copy(km.begin(), km.end(), c->camera_matrix);
    std::vector<double> dv = matrix(d, "distortion_coefficients");
    if (dv.empty() || dv.size() > CALIB_MAX_DIST)
        bad("distortion_coefficients",
            std::to_string(dv.size()) + " coefficients; OpenCV takes 4, 5, 8, 12 or 14");
    c->n_dist = (int)dv.size();
    std::copy(dv.begin(), dv.end(), c->dist);
    c->has_intrinsics = true;
}

void read_lane(const cv::FileNode &root, camera_calib *c)
{
    cv::FileNode roi = root["roi_polygon"];
    if (!roi.empty()) {
        if (!roi.isSeq() || roi.size() < 3 || roi.size() > CALIB_MAX_ROI_POINTS)
            bad("roi_polygon", "expected a sequence of 3.." + std::to_string(CALIB_MAX_ROI_POINTS) +
                                   " points [x, y]");
        c->n_roi = (int)roi.size();
        for (int i = 0; i < c->n_roi; i++)
            c->roi[i] = point(roi[i], "roi_polygon[" + std::to_string(i) + "]");
    }
    cv::FileNode wire = root["tripwire"];
    if (!wire.empty()) {
        if (!wire.isSeq() || wire.size() != 2)
            bad("tripwire", "expected two points [[x1, y1], [x2, y2]]");
        c->tripwire[0] = point(wire[0], "tripwire[0]");
        c->tripwire[1] = point(wire[1], "tripwire[1]");
        c->has_tripwire = true;
    }
}

// An optional number: 0 when the field is absent.
double optional_number(const cv::FileNode &root, const char *name)
{
    cv::FileNode n = root[name];
    return n.empty() ? 0 : number(n, name);
}

void read_root(const cv::FileStorage &fs, camera_calib *c)
{
    std::memset(c, 0, sizeof *c); // padding too: a calibration compares with memcmp
    cv::FileNode root = fs.root();
    if (!root.isMap())
        bad("(top level)", "expected a map of fields");
    for (const char *name : {"image_width", "image_height"})
        if (root[name].empty())
            bad(name, "missing (required)");
    c->image_width = whole_number(root["image_width"], "image_width");
    c->image_height = whole_number(root["image_height"], "image_height");
    read_intrinsics(root, c);
    read_lane(root, c);
    c->metres_per_pixel = optional_number(root, "metres_per_pixel");
    c->plate_height_px = optional_number(root, "plate_height_px");
    c->rms_px = optional_number(root, "rms_reprojection_error");
}

// Why a line of the file is refused before OpenCV's YAML reader sees it, or nullptr. That
// reader (OpenCV 4.6) never returns on some malformed text (found by fuzzing: a document
// marker with text after it, "---h: 1"; a line at the top level that is not a field, "x --",
// below an indented one), so the file must keep to the plain YAML a calibration is written in:
// printable ASCII, an optional %YAML directive first, "---" alone on its line, comments, and
// at the top level only "field:" lines, whose values may go on over indented lines.
const char *line_refused(const std::string &line, size_t number)
{
    for (unsigned char ch : line)
        if (ch < 0x20 || ch > 0x7e)
            return ch == '\t' ? "a tab (YAML indents with spaces)"
                               : "a character that is not printable ASCII";
    if (number == 1 && line.compare(0, 5, "%YAML") == 0)
        return nullptr;
    if (line.compare(0, 3, "---") == 0 || line.compare(0, 3, "...") == 0)
        return line.find_first_not_of(' ', 3) == std::string::npos
                   ? nullptr
                   : "the document marker must stand alone on its line";
    size_t first = line.find_first_not_of(' ');
    if (first == std::string::npos || line[first] == '#' || first > 0)
        return nullptr; // blank, a comment, or the rest of a field's value
    size_t key = 0;
    while (key < line.size() && (std::isalnum((unsigned char)line[key]) || line[key] == '_'))
        key++;
    size_t colon = line.find_first_not_of(' ', key);
    bool field = key > 0 && !std::isdigit((unsigned char)line[0]) && colon != std::string::npos &&
                 line[colon] == ':' && (colon + 1 == line.size() || line[colon + 1] == ' ');
    return field ? nullptr : "expected 'field: value' at the start of a line";
}

bool text_refused(const std::string &text, char *why, size_t why_len)
{
    if (text.size() > MAX_FILE_BYTES) {
        std::snprintf(why, why_len, "%zu bytes: larger than a calibration file (at most %zu)",
                      text.size(), MAX_FILE_BYTES);
        return true;
    }
    size_t number = 1;
    for (size_t at = 0; at < text.size(); number++) {
        size_t end = std::min(text.find('\n', at), text.size());
        std::string line = text.substr(at, end - at);
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (const char *what = line_refused(line, number)) {
            std::snprintf(why, why_len, "line %zu: %s", number, what);
            return true;
        }
        at = end + 1;
    }
    return false;
}

int read_storage(const std::string &text, camera_calib *out, char *why, size_t why_len)
{
    if (text.empty()) {
        std::snprintf(why, why_len, "empty");
        return -1;
    }
    if (text_refused(text, why, why_len))
        return -1;
    try {
        cv::FileStorage fs(text, cv::FileStorage::READ | cv::FileStorage::MEMORY |
                                     cv::FileStorage::FORMAT_YAML);
        if (!fs.isOpened()) {
            std::snprintf(why, why_len, "cannot open it as a FileStorage YAML file");
            return -1;
        }
        read_root(fs, out);
        return 0;
    } catch (const field_error &e) {
        std::snprintf(why, why_len, "field %s: %s", e.path.c_str(), e.what.c_str());
    } catch (const cv::Exception &e) {
        std::snprintf(why, why_len, "not a FileStorage YAML file: %s", e.err.c_str());
    } catch (const std::exception &e) {
        std::snprintf(why, why_len, "cannot be read: %s", e.what());
    }
    return -1;
}

void write_points(cv::FileStorage &fs, const char *name, const calib_point *p, int n)
{
    fs << name << "[";
    for (int i = 0; i < n; i++)
        fs << "[:" << p[i].x << p[i].y << "]";
    fs << "]";
}

} // namespace

extern "C" {

int gcv_calib_read_file(const char *path, camera_calib *out, char *why, size_t why_len)
{
    // read here, not by FileStorage: the text is checked first (text_refused), for a file as
    // for the fuzzer's bytes
    std::ifstream in(path, std::ios::binary);
    std::string text;
    char chunk[4096];
    while (in && text.size() <= MAX_FILE_BYTES) {
        in.read(chunk, sizeof chunk);
        text.append(chunk, (size_t)in.gcount());
    }
    if (in.bad() || (!in.eof() && text.size() <= MAX_FILE_BYTES)) {
        std::snprintf(why, why_len, "cannot be read");
        return -1;
    }
    return gcv_calib_read_memory(text.data(), text.size(), out, why, why_len);
}

int gcv_calib_read_memory(const char *text, size_t len, camera_calib *out, char *why,
                          size_t why_len)
{
    // FileStorage reads a memory buffer up to its first NUL
    std::string s(text, len);
    s.resize(std::strlen(s.c_str()));
    return read_storage(s, out, why, why_len);
}

int gcv_calib_write_file(const char *path, const camera_calib *c, char *why, size_t why_len)
{
    try {
        cv::FileStorage fs(path, cv::FileStorage::WRITE | cv::FileStorage::FORMAT_YAML);
        if (!fs.isOpened()) {
            std::snprintf(why, why_len, "cannot write %s", path);
            return -1;
        }
        fs << "image_width" << c->image_width << "image_height" << c->image_height;
        if (c->has_intrinsics) {
            fs << "camera_matrix" << cv::Mat(3, 3, CV_64F, (void *)c->camera_matrix);
            fs << "distortion_coefficients" << cv::Mat(1, c->n_dist, CV_64F, (void *)c->dist);
        }
        if (c->rms_px > 0)
            fs << "rms_reprojection_error" << c->rms_px;
        if (c->n_roi > 0)
            write_points(fs, "roi_polygon", c->roi, c->n_roi);
        if (c->has_tripwire)
            write_points(fs, "tripwire", c->tripwire, 2);
        if (c->metres_per_pixel > 0)
            fs << "metres_per_pixel" << c->metres_per_pixel;
        if (c->plate_height_px > 0)
            fs << "plate_height_px" << c->plate_height_px;
        fs.release();
        return 0;
    } catch (const cv::Exception &e) {
        std::snprintf(why, why_len, "cannot write %s: %s", path, e.err.c_str());
        return -1;
    }
}

} // extern "C"
