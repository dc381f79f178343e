#!/usr/bin/python3
"""convert.py — rewrite the PP-OCRv4 ONNX models so that OpenCV 4.6 DNN loads and runs them.

Usage: convert.py SRC_DET SRC_REC OUT_DIR

Writes OUT_DIR/det.onnx, OUT_DIR/rec.onnx (input width 320) and one narrower recogniser
OUT_DIR/rec-<W>.onnx per width in REC_NARROW_WIDTHS. A short line is read by the narrowest
recogniser that holds it: the cost of a pass grows with the input width, and a plate line
needs far less than 320.

What OpenCV 4.6 rejects in the models as shipped, and the rewrite done here:
  detector   Clip nodes take min/max as inputs (opset 11 form); OpenCV 4.6 reads
             them only as attributes. Each Clip gets its constant min/max moved to
             attributes and keeps its one data input.
  recogniser The input shape is dynamic ([?,3,48,?]); it is fixed to 1x3x48xW
             (sequence length W/8), once per width. Then 1-D constants that LayerNorm multiplies or
             adds to a [1,40,N] tensor are broadcast to [1,40,N] explicitly, because
             OpenCV 4.6 turns a [N] operand into an axis-1 Scale and fails in forward.
Needs Debian's python3-onnx and python3-numpy.
"""
import os
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper

REC_HEIGHT, REC_WIDTH = 48, 320
REC_NARROW_WIDTHS = (96, 160, 224)    # multiples of 32; keep in step with models.h
REC_EXPECTED_BROADCASTS = 19          # 5 LayerNorm scales + 5 shifts + 9 linear biases


def constant_values(graph):
    """Name -> numpy array for every initializer and Constant node output."""
    values = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    for node in graph.node:
        if node.op_type == "Constant":
            for attr in node.attribute:
                if attr.name == "value":
                    values[node.output[0]] = numpy_helper.to_array(attr.t)
    return values


def fix_clip_nodes(model):
    graph = model.graph
    consts = constant_values(graph)
    changed = 0
    for node in graph.node:
        if node.op_type != "Clip" or len(node.input) == 1:
            continue
        bounds = {}
        for name, idx in (("min", 1), ("max", 2)):
            if idx < len(node.input) and node.input[idx]:
                src = node.input[idx]
                if src not in consts:
                    raise SystemExit(f"convert.py: Clip {node.name}: {name} is not a constant")
                bounds[name] = float(np.asarray(consts[src]).reshape(-1)[0])
        del node.input[1:]
        for name, value in bounds.items():
            node.attribute.append(helper.make_attribute(name, value))
        changed += 1
    return changed


def fix_rec_input(model, width):
    inp = model.graph.input[0]
    dims = inp.type.tensor_type.shape.dim
    for dim, value in zip(dims, (1, 3, REC_HEIGHT, width)):
        dim.Clear()
        dim.dim_value = value
    del model.graph.value_info[:]  # intermediate shapes recorded for the dynamic input


def broadcast_rank1_operands(model, seq_len):
    """Broadcast the [N] constants of the sequence part (LayerNorm scale/shift after
    Div/Mul, linear biases after MatMul) to [1, seq_len, N] (the recogniser downsamples
    its input width by 8). ONNX shape inference cannot
    follow the model's dynamic Reshape, so the sequence tensors are recognised by the
    op that produces them; the count is checked against the known model."""
    graph = model.graph
    consts = constant_values(graph)
    producer = {out: node for node in graph.node for out in node.output}
    changed = 0
    for node in graph.node:
        if node.op_type not in ("Mul", "Add") or len(node.input) != 2:
            continue
        for const_idx in (0, 1):
            cname, other = node.input[const_idx], node.input[1 - const_idx]
            if cname not in consts or other not in producer:
                continue
            value = np.asarray(consts[cname])
            if value.ndim != 1 or value.size == 1:
                continue
            if producer[other].op_type not in ("MatMul", "Div", "Mul"):
                continue
            wide = np.broadcast_to(value, (1, seq_len, value.size)).astype(value.dtype).copy()
            new_name = f"{cname}__bcast{changed}"
            graph.initializer.append(numpy_helper.from_array(wide, new_name))
            node.input[const_idx] = new_name
            changed += 1
    return changed


def convert_rec(src_rec, width, out_rec):
    rec = onnx.load(src_rec)
    fix_rec_input(rec, width)
    clips = fix_clip_nodes(rec)
    wide = broadcast_rank1_operands(rec, width // 8)
    if wide != REC_EXPECTED_BROADCASTS:
        raise SystemExit(f"convert.py: recogniser: broadcast {wide} constants, expected "
                         f"{REC_EXPECTED_BROADCASTS}: not the PP-OCRv4 model this script knows")
    onnx.save(rec, out_rec)
    print(f"convert: recogniser: input fixed to 1x3x{REC_HEIGHT}x{width}, "
          f"{wide} sequence constants broadcast, {clips} Clip nodes fixed -> {out_rec}")


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    src_det, src_rec, out_dir = argv[1:]

    det = onnx.load(src_det)
    clips = fix_clip_nodes(det)
    out_det = os.path.join(out_dir, "det.onnx")
    onnx.save(det, out_det)
    print(f"convert: detector: {clips} Clip nodes moved to attribute form -> {out_det}")

    convert_rec(src_rec, REC_WIDTH, os.path.join(out_dir, "rec.onnx"))
    for width in REC_NARROW_WIDTHS:
        convert_rec(src_rec, width, os.path.join(out_dir, f"rec-{width}.onnx"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
