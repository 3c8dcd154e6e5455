# Reference principal angles for engine/geometry/geometry.test.ts, made with SciPy:
#   python3 test/refs/grassmann/make.py   (numpy 2.4.6, scipy 1.17.1 on the dev machine)
# Each case: bases A (m × p) and B (m × q) as nested lists (float64), and
# scipy.linalg.subspace_angles(A, B) sorted ascending.
import json
import numpy as np
from scipy.linalg import subspace_angles

rng = np.random.default_rng(20261206)
cases = []

def add(name, a, b):
    cases.append({"name": name, "a": a.tolist(), "b": b.tolist(), "angles": sorted(subspace_angles(a, b).tolist())})

# Random Gaussian bases of different sizes.
add("gaussian_30x4_30x6", rng.standard_normal((30, 4)), rng.standard_normal((30, 6)))
add("gaussian_12x5_12x5", rng.standard_normal((12, 5)), rng.standard_normal((12, 5)))
# Nearby subspaces: B = A + 1e-7 noise, then mixed by a random (non-orthogonal) 3 × 3 matrix.
a = rng.standard_normal((40, 3))
b = (a + 1e-7 * rng.standard_normal((40, 3))) @ rng.standard_normal((3, 3))
add("nearby_40x3", a, b)
# Badly scaled columns (1e-6 … 1e6) in a non-orthonormal basis.
a = rng.standard_normal((25, 4)) * np.array([1e-6, 1.0, 1e3, 1e6])
add("scaled_25x4_25x2", a, rng.standard_normal((25, 2)))

with open(__file__.replace("make.py", "angles.json"), "w") as f:
    json.dump({"made_with": "scipy.linalg.subspace_angles (scipy 1.17.1, numpy 2.4.6); see make.py", "cases": cases}, f)
