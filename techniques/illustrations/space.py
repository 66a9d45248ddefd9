"""3D vectors and rotations, in plain Python (the package needs no numpy).

World space is in centimetres with y pointing up. A rotation is a 3x3 matrix stored as a
tuple of rows; its columns are where it sends the x, y and z axes.
"""

from __future__ import annotations

import math

Vec = tuple[float, float, float]
Mat = tuple[Vec, Vec, Vec]

IDENTITY: Mat = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
# Swaps the body's left and right: used to pose the right limbs with the left limbs' angles.
MIRROR_X: Mat = ((-1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))


def add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def sub(a: Vec, b: Vec) -> Vec:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def scale(a: Vec, k: float) -> Vec:
    return (a[0] * k, a[1] * k, a[2] * k)


def dot(a: Vec, b: Vec) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def cross(a: Vec, b: Vec) -> Vec:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def length(a: Vec) -> float:
    return math.sqrt(dot(a, a))


def normalize(a: Vec) -> Vec:
    size = length(a)
    return scale(a, 1 / size) if size > 1e-12 else (0.0, 0.0, 0.0)


def mix(a: Vec, b: Vec, t: float) -> Vec:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)


def apply(m: Mat, v: Vec) -> Vec:
    return (dot(m[0], v), dot(m[1], v), dot(m[2], v))


def matmul(a: Mat, b: Mat) -> Mat:
    cols = list(zip(*b, strict=True))
    return tuple(tuple(dot(row, col) for col in cols) for row in a)  # type: ignore[return-value]


def transpose(m: Mat) -> Mat:
    return tuple(zip(*m, strict=True))  # type: ignore[return-value]


def column(m: Mat, index: int) -> Vec:
    return (m[0][index], m[1][index], m[2][index])


def axis_angle(axis: Vec, degrees: float) -> Mat:
    """Rotation by `degrees` about `axis`, counter-clockwise looking down the axis (Rodrigues)."""
    x, y, z = normalize(axis)
    rad = math.radians(degrees)
    c, s = math.cos(rad), math.sin(rad)
    t = 1 - c
    return (
        (t * x * x + c, t * x * y - s * z, t * x * z + s * y),
        (t * x * y + s * z, t * y * y + c, t * y * z - s * x),
        (t * x * z - s * y, t * y * z + s * x, t * z * z + c),
    )


def rot_x(degrees: float) -> Mat:
    return axis_angle((1, 0, 0), degrees)


def rot_y(degrees: float) -> Mat:
    return axis_angle((0, 1, 0), degrees)


def rot_z(degrees: float) -> Mat:
    return axis_angle((0, 0, 1), degrees)


def chain(*matrices: Mat) -> Mat:
    """The product of the matrices, left to right."""
    result = IDENTITY
    for m in matrices:
        result = matmul(result, m)
    return result


def mirrored(m: Mat) -> Mat:
    """The same joint rotation on the other side of the body."""
    return chain(MIRROR_X, m, MIRROR_X)
