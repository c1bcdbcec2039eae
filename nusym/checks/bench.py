"""`nusym bench`: points per second of every kernel on every backend, against hand-written baselines.

Inputs are those of a germanium K shell in a reactor experiment: T log-uniform over 0.2..30 keV (across
the K edge), p = sqrt(2 m_e I) with I = 11.103 keV, M_a of germanium, mu_nu = 1e-11 mu_B.  Each path is
timed in this process on the same arrays: the best of ``repeats`` calls after one warm-up call.

Baselines (typed in by hand, as a user would, with no argument checking): the formula in numpy, the
same in ``numba.vectorize(target="parallel")``.  Ratios: every CPU path against hand numpy, the numba
path also against hand numba; a GPU path against the memory-bandwidth bound (the bytes each call must read
and write over the device's copy bandwidth, measured in the same run).
"""
from __future__ import annotations

import math
import os
import platform
import time
from dataclasses import dataclass

import mpmath
import numpy

from nusym import constants as K
from nusym.atoms import shells
from nusym.runner.budget import cores

__all__ = ["inputs", "HAND", "run", "render", "Row", "check_points", "MAX_POINTS", "BYTES_PER_POINT",
           "I_K", "M_E", "M_GE", "S2W", "machine", "numba_threads"]

MAX_POINTS = 10**8                 # the GPU rows are measured up to 1e8 points
BYTES_PER_POINT = 120              # peak memory of a run per point, measured (109 B between 1e6 and 4e6 points)

M_E = float(K.M_E.value)
_GE = shells.atom("Ge")
M_GE = _GE.mass                           # eV: Elam's molar mass times m_u (CODATA 2022)
I_K = _GE.shell("K").binding              # eV: Elam's K edge
with mpmath.workdps(30):
    # G_F^2 m_e/(2 pi) (hbar c)^2 [cm^2/eV] and pi r_e^2 [cm^2], from the defining constants: the baselines type the
    # formulas by hand, not the constants
    C_WEAK = float(K.G_F.mpf() ** 2 * K.M_E.mpf() / (2 * mpmath.pi) * K.hbar_c(mpmath) ** 2)
    C_MU = float(mpmath.pi * K.classical_electron_radius(mpmath) ** 2)
S2W = float(K.SIN2_THETA_W_MSBAR.value)


def check_points(n) -> int:
    """``n`` as a number of points per call: an integer in [1, MAX_POINTS] whose run fits in this machine's memory
    (BYTES_PER_POINT each); ValueError saying what is allowed otherwise."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_POINTS:
        raise ValueError(f"{n!r} is outside [1, {MAX_POINTS}]")
    try:
        memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        memory = None
    if memory and n * BYTES_PER_POINT > memory:
        raise ValueError(f"{n} points need about {n * BYTES_PER_POINT / 2**30:.1f} GiB of memory ({BYTES_PER_POINT} "
                         f"bytes each), more than this machine's {memory / 2**30:.1f} GiB")
    return n


def inputs(n: int, seed: int = 1) -> dict:
    rng = numpy.random.default_rng(seed)
    T = numpy.exp(rng.uniform(math.log(200.0), math.log(3.0e4), n))
    E = numpy.exp(rng.uniform(math.log(5.0e5), math.log(8.0e6), n))       # reactor antineutrinos
    return {"T": T, "p": numpy.full(n, math.sqrt(2 * M_E * I_K)), "I": numpy.full(n, I_K),
            "M_a": numpy.full(n, M_GE), "sin2_theta_w": S2W, "mu_nu": 1e-11, "E_nu": E}


def _couplings(s2w):
    """g_L^2, g_R^2, g_L g_R of nu_e (g_L = 1/2 + s2w, g_R = s2w), as Vogel & Engel write them."""
    return (0.5 + s2w) ** 2, s2w * s2w, (0.5 + s2w) * s2w


# ---------------------------------------------------------------------------------- hand-written baselines
def _qpm(T, p, sqrt):
    """q_- in the stable form nusym derives (no cancellation), q_+ as printed."""
    s = p + sqrt(p * p + 2 * M_E * T)
    return 2 * M_E * T / s, s


def _hand_numpy():
    w = numpy.where
    sq = numpy.sqrt

    def factor(T, p, I, M_a, middle, exact=False):
        lam = 1 + M_E / M_a if exact else 1.0
        s = p + sq(p * p + 2 * M_E * lam * T)
        qm, qp = 2 * M_E * T / s, s / lam
        qa = sq(2 * M_a * (T - I))
        top = (M_a / (M_a + M_E)) if exact else 1.0
        return w(T <= I, 0.0, w(qa <= qm, 0.0, w(qa >= qp, top, middle(T, p, qm, qp, qa))))
    weak = lambda T, p, qm, qp, qa: (qa - qm) / (2 * p)
    mu = lambda T, p, qm, qp, qa: qp * (qa - qm) / (2 * p * qa)
    mu_x = lambda T, p, qm, qp, qa: M_E * T * (qa - qm) / (p * qa * qm)
    return {
        "q_plus": lambda T, p: _qpm(T, p, sq)[1],
        "q_minus": lambda T, p: _qpm(T, p, sq)[0],
        "q_a": lambda T, I, M_a: w(T <= I, 0.0, sq(2 * M_a * (T - I))),
        "recoil_factor_weak": lambda T, p, I, M_a: factor(T, p, I, M_a, weak),
        "recoil_factor_mu": lambda T, p, I, M_a: factor(T, p, I, M_a, mu),
        "recoil_factor_weak_exact": lambda T, p, I, M_a: factor(T, p, I, M_a, weak, True),
        "recoil_factor_mu_exact": lambda T, p, I, M_a: factor(T, p, I, M_a, mu_x, True),
        "dsigma_weak_fe": lambda T, s2w: numpy.full(T.shape, C_WEAK * (1 + 4 * s2w + 8 * s2w * s2w)),
        "dsigma_mu_fe": lambda T, mu_nu: C_MU * mu_nu * mu_nu / T,
        "dsigma_weak_fe_nue": lambda T, E_nu, s2w: _full(w, T, E_nu, s2w, False),
        "dsigma_weak_fe_nuebar": lambda T, E_nu, s2w: _full(w, T, E_nu, s2w, True),
        "dsigma_mu_fe_enu": lambda T, E_nu, mu_nu: w(T >= 2 * E_nu * E_nu / (M_E + 2 * E_nu), 0.0,
                                                      C_MU * mu_nu * mu_nu * (1 / T - 1 / E_nu)),
    }


def _full(where, T, E, s2w, anti):
    """Vogel & Engel's weak formula as printed, zero from the end point on."""
    gl2, gr2, glr = _couplings(s2w)
    if anti:
        gl2, gr2 = gr2, gl2
    y = 1 - T / E
    return where(T >= 2 * E * E / (M_E + 2 * E), 0.0, 4 * C_WEAK * (gl2 + gr2 * y * y - glr * M_E * T / (E * E)))


HAND = _hand_numpy()


def _hand_numba():
    import numba
    sig = lambda n: [f"float64({', '.join(['float64'] * n)})"]
    vec = lambda n: numba.vectorize(sig(n), target="parallel")
    sq = math.sqrt

    def fac(kind_code):
        # one specialised scalar per factor, as a user would write it
        @numba.njit
        def f(T, p, I, M_a):
            if T <= I:
                return 0.0
            exact = kind_code >= 2
            lam = 1 + M_E / M_a if exact else 1.0
            s = p + sq(p * p + 2 * M_E * lam * T)
            qm, qp = 2 * M_E * T / s, s / lam
            qa = sq(2 * M_a * (T - I))
            if qa <= qm:
                return 0.0
            if qa >= qp:
                return M_a / (M_a + M_E) if exact else 1.0
            if kind_code == 0 or kind_code == 2:
                return (qa - qm) / (2 * p)
            if kind_code == 1:
                return qp * (qa - qm) / (2 * p * qa)
            return M_E * T * (qa - qm) / (p * qa * qm)
        return vec(4)(lambda T, p, I, M_a: f(T, p, I, M_a))

    @numba.njit
    def full(T, E, s2w, anti):
        if T >= 2 * E * E / (M_E + 2 * E):
            return 0.0
        gl2, gr2, glr = (0.5 + s2w) ** 2, s2w * s2w, (0.5 + s2w) * s2w
        if anti:
            gl2, gr2 = gr2, gl2
        y = 1 - T / E
        return 4 * C_WEAK * (gl2 + gr2 * y * y - glr * M_E * T / (E * E))

    return {
        "q_plus": vec(2)(lambda T, p: sq(p * p + 2 * M_E * T) + p),
        "q_minus": vec(2)(lambda T, p: 2 * M_E * T / (p + sq(p * p + 2 * M_E * T))),
        "q_a": vec(3)(lambda T, I, M_a: 0.0 if T <= I else sq(2 * M_a * (T - I))),
        "recoil_factor_weak": fac(0), "recoil_factor_mu": fac(1),
        "recoil_factor_weak_exact": fac(2), "recoil_factor_mu_exact": fac(3),
        "dsigma_weak_fe": vec(2)(lambda T, s2w: C_WEAK * (1 + 4 * s2w + 8 * s2w * s2w)),
        "dsigma_mu_fe": vec(2)(lambda T, mu_nu: C_MU * mu_nu * mu_nu / T),
        "dsigma_weak_fe_nue": vec(3)(lambda T, E, s2w: full(T, E, s2w, False)),
        "dsigma_weak_fe_nuebar": vec(3)(lambda T, E, s2w: full(T, E, s2w, True)),
        "dsigma_mu_fe_enu": vec(3)(lambda T, E, mu_nu: 0.0 if T >= 2 * E * E / (M_E + 2 * E)
                                   else C_MU * mu_nu * mu_nu * (1 / T - 1 / E)),
    }


# ---------------------------------------------------------------------------------- timing
@dataclass
class Row:
    kernel: str
    path: str
    seconds: float
    points: int
    baseline: str = ""
    ratio: float | None = None             # baseline time / this time (> 1: faster than the baseline)
    note: str = ""

    @property
    def rate(self) -> float:
        return self.points / self.seconds


def _best(fn, args, repeats: int, sync=lambda r: r) -> float:
    sync(fn(*args))
    best = math.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        sync(fn(*args))
        best = min(best, time.perf_counter() - t0)
    return best


def _names(kernel: str) -> list:
    from nusym.numeric import ARGUMENTS
    return [a[0] for a in ARGUMENTS[kernel]]


def run(n: int = 10**6, repeats: int = 5, kernels=None, paths=("numpy", "numba", "c", "torch", "cupy", "jax"),
        progress=lambda m: None) -> list[Row]:
    from nusym import numeric
    data = inputs(n)
    kernels = list(kernels or numeric.ARGUMENTS)
    rows = []
    hand_numba = None
    if "numba" in paths:
        try:
            hand_numba = _hand_numba()
            progress("compiled the hand-written numba baselines")
            from nusym.generated import numba_backend
        except ImportError:
            hand_numba = None
    c = None
    if "c" in paths:
        from nusym.codegen import c_library as cbackend
        try:
            c = cbackend.load()
        except (cbackend.CompilerMissing, RuntimeError, OSError):
            c = None
    for name in kernels:
        args = [data[a] for a in _names(name)]
        progress(f"bench {name}")
        with numpy.errstate(all="ignore"):              # the hand-written code computes sqrt(T - I < 0)
            t_hand = _best(HAND[name], args, repeats)
        rows.append(Row(name, "hand numpy", t_hand, n))
        t = _best(getattr(numeric, name), args, repeats)
        rows.append(Row(name, "nusym numpy", t, n, "hand numpy", t_hand / t))
        if hand_numba is not None:
            t_hn = _best(hand_numba[name], args, repeats)
            rows.append(Row(name, "hand numba.vectorize(parallel)", t_hn, n, "hand numpy", t_hand / t_hn))
            t = _best(getattr(numba_backend, name), args, repeats)
            rows.append(Row(name, "nusym numba", t, n, "hand numba", t_hn / t,
                            f"{t_hand / t:.2f}x hand numpy; {numba_threads()} threads"))
        if c is not None:
            t = _best(getattr(c, name), args, repeats)
            rows.append(Row(name, "nusym C99 (1 thread, ctypes)", t, n, "hand numpy", t_hand / t))
    # the array-API libraries last: PyTorch's and XLA's thread pools keep spinning after a call and would
    # take the cores from the CPU paths timed after them
    for name in kernels:
        progress(f"bench {name} (array API)")
        args = [data[a] for a in _names(name)]
        t_hand = next(r.seconds for r in rows if r.kernel == name and r.path == "hand numpy")
        rows += _array_api_rows(name, args, data, n, repeats, t_hand, paths)
    return rows


def numba_threads() -> int:
    try:
        import numba
        return numba.config.NUMBA_NUM_THREADS
    except ImportError:
        return 0


def _array_api_rows(name, args, data, n, repeats, t_hand, paths) -> list[Row]:
    from nusym.generated import array_api_backend
    rows = []
    if "torch" in paths:
        try:
            import array_api_compat  # noqa: F401
            import torch
            targs = [torch.from_numpy(a) if isinstance(a, numpy.ndarray) else a for a in args]
            t = _best(getattr(array_api_backend, name), targs, repeats)
            rows.append(Row(name, "nusym array API, PyTorch CPU", t, n, "hand numpy", t_hand / t))
        except ImportError:
            pass
    if "cupy" in paths:
        rows += _cupy_rows(name, args, n, repeats)
    if "jax" in paths:
        rows += _jax_rows(name, args, n, repeats)
    return rows


def _gpu_bound(lib, args, n) -> tuple[float, float]:
    """(seconds the call must take at the device's copy bandwidth, that bandwidth in bytes/s), measured
    by a device-to-device copy of 8 n bytes; the call reads each array argument and writes one array."""
    x = lib.ones(8 * n, dtype=lib.float64) if lib.__name__ == "cupy" else None
    y = lib.empty_like(x)
    sync = lambda r: lib.cuda.Stream.null.synchronize()
    t = _best(lambda: lib.copyto(y, x), [], 5, sync)
    bandwidth = 2 * x.nbytes / t
    moved = 8 * n * (sum(isinstance(a, numpy.ndarray) and a.size == n for a in args) + 1)
    return moved / bandwidth, bandwidth


def _cupy_rows(name, args, n, repeats) -> list[Row]:
    try:
        import cupy
        if cupy.cuda.runtime.getDeviceCount() == 0:
            return []
    except Exception:  # noqa: BLE001 - no GPU: no row
        return []
    from nusym.generated import array_api_backend
    gargs = [cupy.asarray(a) if isinstance(a, numpy.ndarray) else a for a in args]
    sync = lambda r: cupy.cuda.Stream.null.synchronize()
    t = _best(getattr(array_api_backend, name), gargs, repeats, sync)
    bound, bw = _gpu_bound(cupy, args, n)
    return [Row(name, "nusym array API, CuPy ElementwiseKernel", t, n, "memory bound", bound / t,
                f"copy bandwidth {bw / 1e12:.2f} TB/s")]


def _jax_rows(name, args, n, repeats) -> list[Row]:
    try:
        import jax
        if not any(d.platform == "gpu" for d in jax.devices()):
            return []
    except Exception:  # noqa: BLE001 - no JAX GPU: no row
        return []
    jax.config.update("jax_enable_x64", True)
    from nusym.generated import array_api_backend
    gargs = [jax.numpy.asarray(a) if isinstance(a, numpy.ndarray) else a for a in args]
    t = _best(getattr(array_api_backend, name), gargs, repeats, lambda r: r.block_until_ready())
    return [Row(name, "nusym array API, jax.jit", t, n)]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), cpu)
    except OSError:
        pass
    return f"{cpu}, {cores()} cores, numpy {numpy.__version__}"


def render(rows: list[Row], n: int | None) -> str:
    head = ("kernel", "path", "points/s", "vs baseline", "note")
    table = [head] + [(r.kernel, r.path, f"{r.rate:.3g}",
                       "" if r.ratio is None else f"{r.ratio:.2f}x {r.baseline}", r.note) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    lines = [f"nusym bench: {n} points per call, best of repeated calls; {machine()}" if n is not None else
             f"nusym bench --atoms: best of repeated calls (a table: one call); {machine()}"]
    for j, row in enumerate(table):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
