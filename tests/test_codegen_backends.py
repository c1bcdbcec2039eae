"""Every backend runs the same generated program: numba, C99 and the array-API path return what
nusym.numeric returns, bit for bit, over each kernel's accuracy domain, its stress region and its whole
allowed domain (extremes included); the scalar backends raise no floating-point exception but underflow.

numpy's own accuracy against mpmath is measured by tests/test_checks_floatcheck.py and `nusym verify`; bit
identity carries that measurement to the other backends point for point.  Backends whose library or
compiler is missing here are skipped with the reason.
"""
import ctypes
import errno
import ctypes.util
import importlib.util
import math

import numpy
import pytest

from nusym import numeric
from nusym import codegen
from nusym.codegen import c_library as cbackend
from nusym.checks import floatcheck
from nusym.numeric import ARGUMENTS

KERNELS = codegen.all_kernels()
NAMES = [k.name for k in KERNELS]


def _whole_domain(name: str, n: int, seed: int) -> list:
    """n points per argument, log-uniform over the whole allowed range (down to the smallest positive float
    where the range starts at 0), with the range's ends and a few exact powers of two mixed in."""
    rng = numpy.random.default_rng(seed)
    out = []
    for _, lo, hi, lo_open in ARGUMENTS[name]:
        low = max(lo, 5e-324)
        x = numpy.exp(rng.uniform(math.log(low), math.log(hi), n))
        ends = [v for v in (lo if not lo_open else None, low, hi, 2.0**-1022, 2.0**-960, 1.0) if v is not None and lo <= v <= hi]
        x[: len(ends)] = ends
        if lo == 0 and not lo_open:
            x[len(ends)] = 0.0
        out.append(x)
    return out


def _points(kernel) -> list:
    pts = floatcheck.samples(kernel, 3000, 3000)
    domain = [pts[a.name] for a in kernel.args]
    whole = _whole_domain(kernel.name, 6000, 7)
    return [numpy.concatenate([d, w]) for d, w in zip(domain, whole)]


def _same_bits(a, b) -> bool:
    a, b = numpy.asarray(a), numpy.asarray(b)
    return a.shape == b.shape and numpy.array_equal(a.view(numpy.int64), b.view(numpy.int64))


# ------------------------------------------------------------------------------------------------ C99
@pytest.fixture(scope="module")
def c_kernels():
    if cbackend.compiler() is None:
        pytest.skip("no C compiler here (set CC to test the C99 backend)")
    return cbackend.load()


@pytest.mark.parametrize("name", NAMES)
def test_c_returns_the_bits_of_numpy(c_kernels, name):
    args = _points(next(k for k in KERNELS if k.name == name))
    assert _same_bits(getattr(c_kernels, name)(*args), getattr(numeric, name)(*args))


def test_c_scalar_function_sets_edom_and_returns_nan(c_kernels):
    lib = ctypes.CDLL(str(cbackend.build()), use_errno=True)
    f = lib.nusym_q_minus
    f.restype, f.argtypes = ctypes.c_double, [ctypes.c_double, ctypes.c_double]
    ctypes.set_errno(0)
    assert f(1.0, 2.0) == numeric.q_minus(1.0, 2.0) and ctypes.get_errno() == 0
    for bad in ((-1.0, 2.0), (float("nan"), 2.0), (1.0, 1e101)):
        ctypes.set_errno(0)
        assert math.isnan(f(*bad)) and ctypes.get_errno() == errno.EDOM


def test_c_compiles_without_warnings_and_links_from_cpp(tmp_path):
    """The C files compile with -Wall -Wextra as errors, and a C++ translation unit (a Geant4 physics list, say)
    includes the header and links against them: the header carries the extern "C" guard."""
    import shutil
    import subprocess
    cc = cbackend.compiler()
    if cc is None:
        pytest.skip("no C compiler here")
    src = cbackend.generated_dir()
    obj = tmp_path / "k.o"
    done = subprocess.run([cc, "-std=c99", "-O2", "-ffp-contract=off", "-Wall", "-Wextra", "-Werror", "-c",
                           str(src / "nusym_kernels.c"), "-o", str(obj)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    cxx = shutil.which("g++") or shutil.which("c++") or shutil.which("clang++")
    if cxx is None:
        pytest.skip("no C++ compiler here")
    (tmp_path / "use.cpp").write_text(
        '#include <cstdio>\n#include "nusym_kernels.h"\n'
        'int main() { std::printf("%.17g %.17g\\n", nusym_q_minus(1.0, 2.0), nusym_dsigma_mu_fe_enu(2e3, 1e6, 1e-11));'
        ' return 0; }\n')
    exe = tmp_path / "use"
    done = subprocess.run([cxx, "-Wall", "-Wextra", "-Werror", "-I", str(src), str(tmp_path / "use.cpp"), str(obj),
                           "-o", str(exe), "-lm"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    out = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout.split()
    assert float(out[0]) == numeric.q_minus(1.0, 2.0)
    assert float(out[1]) == numeric.dsigma_mu_fe_enu(2e3, 1e6, 1e-11)


def test_c_errors_are_those_of_numpy(c_kernels):
    with pytest.raises(ValueError, match=r"q_minus: argument T=-1.0 is outside the allowed range \(0, 1e\+100\]"):
        c_kernels.q_minus(numpy.array([1.0, -1.0]), 1.0)
    with pytest.raises(TypeError, match="argument p"):
        c_kernels.q_minus(1.0, "2")
    assert _same_bits(c_kernels.q_minus([[1.0], [2.0]], [3.0, 4.0]), numeric.q_minus([[1.0], [2.0]], [3.0, 4.0]))


def _libm():
    name = ctypes.util.find_library("m")
    if name is None:
        pytest.skip("no libm to read the floating-point exception flags")
    lib = ctypes.CDLL(name)
    for fn in ("feclearexcept", "fetestexcept"):
        getattr(lib, fn).argtypes, getattr(lib, fn).restype = [ctypes.c_int], ctypes.c_int
    return lib


@pytest.mark.parametrize("name", NAMES)
def test_c_raises_no_floating_point_exception_but_underflow(c_kernels, name):
    """The C loop runs only the branch that holds at each point: over the whole allowed domain no invalid
    operation, division by zero or overflow is flagged (x86-64 and aarch64 glibc flag values)."""
    libm = _libm()
    invalid_divzero_overflow = {"x86_64": 1 | 4 | 8, "aarch64": 1 | 2 | 4}.get(__import__("platform").machine())
    if invalid_divzero_overflow is None:
        pytest.skip("floating-point flag values known for x86-64 and aarch64 only")
    kernel = next(k for k in KERNELS if k.name == name)
    args = [numpy.ascontiguousarray(a) for a in _points(kernel)]
    cfunc = getattr(c_kernels.library, f"nusym_{name}_array")
    dp = ctypes.POINTER(ctypes.c_double)
    out = numpy.empty(args[0].size)
    call = [args[0].size] + [x for a in args for x in (a.ctypes.data_as(dp), 1)] + [out.ctypes.data_as(dp)]
    libm.feclearexcept(0x3F)
    bad = cfunc(*call)
    flags = libm.fetestexcept(0x3F)
    assert bad == 0 and (flags & invalid_divzero_overflow) == 0, f"flags {flags:#x}"
    assert _same_bits(out, getattr(numeric, name)(*args))


# ------------------------------------------------------------------------------------------------ numba
@pytest.fixture(scope="module")
def numba_backend():
    if importlib.util.find_spec("numba") is None:
        pytest.skip("numba is not installed (pip install numba)")
    from nusym.generated import numba_backend
    return numba_backend


@pytest.mark.parametrize("name", NAMES)
def test_numba_returns_the_bits_of_numpy(numba_backend, name):
    args = _points(next(k for k in KERNELS if k.name == name))
    assert _same_bits(getattr(numba_backend, name)(*args), getattr(numeric, name)(*args))


def test_numba_errors_and_broadcasting_are_those_of_numpy(numba_backend):
    with pytest.raises(ValueError, match=r"recoil_factor_mu: argument I=nan is outside"):
        numba_backend.recoil_factor_mu(numpy.full(5, 2e4), 1e5, numpy.array([1.0, 2.0, numpy.nan, 1.0, 1.0]), 6.7e10)
    with pytest.raises(TypeError, match="argument T"):
        numba_backend.q_minus(True, 1.0)
    assert _same_bits(numba_backend.q_minus([[1.0], [2.0]], [3.0, 4.0]), numeric.q_minus([[1.0], [2.0]], [3.0, 4.0]))
    assert _same_bits(numba_backend.dsigma_weak_fe(1e3), numeric.dsigma_weak_fe(1e3))


# ------------------------------------------------------------------------------------------------ array API
def test_array_api_on_numpy_is_nusym_numeric():
    from nusym.generated import array_api_backend
    args = _points(KERNELS[3])
    assert _same_bits(array_api_backend.recoil_factor_weak(*args), numeric.recoil_factor_weak(*args))


def _torch_xp():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed")
    pytest.importorskip("array_api_compat", reason="array-api-compat is not installed")
    from nusym.generated import array_api_backend
    return torch, array_api_backend


@pytest.mark.parametrize("name", NAMES)
def test_array_api_on_torch_is_within_the_float_bar(name):
    """PyTorch's CPU square root is not correctly rounded (about 1 % of float64 results differ from numpy's by
    an ULP), so its results are measured against mpmath like numpy's, not compared bit for bit."""
    torch, array_api_backend = _torch_xp()
    kernel = next(k for k in KERNELS if k.name == name)

    def on_torch(*args):
        got = getattr(array_api_backend, name)(*[torch.from_numpy(numpy.asarray(a, dtype=float)) for a in args])
        assert isinstance(got, torch.Tensor) and got.dtype == torch.float64
        return got.numpy()
    report = floatcheck.measure(kernel, on_torch, floatcheck.samples(kernel, 100, 100))
    assert report.passed, str(report)


def test_array_api_on_torch_refuses_float32_and_names_a_bad_argument():
    torch, array_api_backend = _torch_xp()
    with pytest.raises(TypeError, match="argument T .*float32"):
        array_api_backend.q_minus(torch.ones(3, dtype=torch.float32), torch.ones(3, dtype=torch.float64))
    with pytest.raises(ValueError, match="q_minus: argument p=-1.0 is outside"):
        array_api_backend.q_minus(torch.ones(3, dtype=torch.float64), torch.tensor([1.0, -1.0, 1.0], dtype=torch.float64))


def _jax_xp():
    jax = pytest.importorskip("jax", reason="JAX is not installed")
    jax.config.update("jax_enable_x64", True)
    from nusym.generated import array_api_backend
    return jax, array_api_backend


@pytest.mark.parametrize("name", NAMES)
def test_array_api_on_jax_is_within_the_float_bar(name):
    jax, array_api_backend = _jax_xp()
    kernel = next(k for k in KERNELS if k.name == name)

    def on_jax(*args):
        got = getattr(array_api_backend, name)(*[jax.numpy.asarray(numpy.asarray(a, dtype=float)) for a in args])
        assert isinstance(got, jax.Array) and got.dtype == numpy.float64
        return numpy.asarray(got)
    report = floatcheck.measure(kernel, on_jax, floatcheck.samples(kernel, 100, 100))
    assert report.passed, str(report)


def test_array_api_on_jax_names_a_bad_or_flushed_argument():
    jax, array_api_backend = _jax_xp()
    with pytest.raises(ValueError, match="q_minus: argument p=-1.0 is outside"):
        array_api_backend.q_minus(jax.numpy.ones(3), jax.numpy.asarray([1.0, -1.0, 1.0]))
    tiny = jax.numpy.asarray([1.0, 5e-324])
    if float(tiny[1]) == 0.0 or bool((tiny > 0).all()) is False:   # XLA on this device flushes subnormals
        with pytest.raises(ValueError, match="flushes subnormal numbers"):
            array_api_backend.q_minus(tiny, jax.numpy.ones(2))


def _gpu_reason():
    try:
        import cupy
        if cupy.cuda.runtime.getDeviceCount() > 0:
            return None
        return "CuPy sees no GPU"
    except Exception as exc:  # noqa: BLE001 - any failure to reach a GPU is a reason to skip
        return f"no GPU through CuPy here ({type(exc).__name__})"


@pytest.mark.parametrize("name", NAMES)
def test_cupy_elementwise_kernel_returns_the_bits_of_numpy(name):
    reason = _gpu_reason()
    if reason:
        pytest.skip(reason)
    import cupy
    from nusym.generated import array_api_backend
    args = _points(next(k for k in KERNELS if k.name == name))
    got = getattr(array_api_backend, name)(*[cupy.asarray(a) for a in args])
    assert isinstance(got, cupy.ndarray)
    # the GPU's sqrt and division are correctly rounded in double precision, and nvcc contracts no FMA
    # into the C99 body only with --fmad=false: measured here, not assumed
    assert _same_bits(cupy.asnumpy(got), getattr(numeric, name)(*args))


# ------------------------------------------------------------------------------------------------ one error
def _error(f, *args):
    try:
        f(*args)
    except (TypeError, ValueError) as exc:
        return type(exc), str(exc)
    return None


@pytest.mark.parametrize("args", [(-1.0, "x"), (numpy.array([numpy.nan]), -1.0), (numpy.array([numpy.nan]), numpy.empty(0)),
                                  (float("nan"), numpy.empty(0)), (numpy.ones(3), numpy.ones(4)), ([1.0, None], 1.0),
                                  (10**400, numpy.ones(2)), (True, 1.0)])
def test_every_backend_names_the_argument_numpy_names_first(c_kernels, numba_backend, args):
    """Several bad arguments, or a bad one in a call that computes nothing: one error, the same everywhere."""
    from nusym.generated import array_api_backend
    expected = _error(numeric.q_plus, *args)
    assert expected is not None
    for backend in (c_kernels, numba_backend, array_api_backend):
        assert _error(backend.q_plus, *args) == expected


def test_array_api_checks_host_values_beside_torch_tensors():
    torch, array_api_backend = _torch_xp()
    one = torch.ones(1, dtype=torch.float64)
    assert _same_bits(array_api_backend.q_plus([1.0, 2.0], 1.0), numeric.q_plus([1.0, 2.0], 1.0))        # lists: numpy's path
    assert _error(array_api_backend.q_minus, one, True) == _error(numeric.q_minus, 1.0, True)
    assert _error(array_api_backend.q_minus, one, 10**400) == _error(numeric.q_minus, 1.0, 10**400)
    assert _error(array_api_backend.q_minus, one, "x") == _error(numeric.q_minus, 1.0, "x")
    assert _error(array_api_backend.q_minus, torch.ones(3, dtype=torch.float64), torch.ones(4, dtype=torch.float64)) == \
        _error(numeric.q_minus, numpy.ones(3), numpy.ones(4))
    assert _error(array_api_backend.q_minus, torch.empty(0, dtype=torch.float64), float("nan")) == \
        _error(numeric.q_minus, numpy.empty(0), float("nan"))
    assert _same_bits(array_api_backend.dsigma_mu_fe(one, 1e-11).numpy(), numeric.dsigma_mu_fe(1.0, [1e-11]))  # a number beside
    assert _same_bits(array_api_backend.q_plus(one, 2.0).numpy(), numeric.q_plus(1.0, [2.0]))
    got = array_api_backend.q_minus(one, numpy.array([[1.0], [2.0]]))                                       # numpy moved to torch
    assert isinstance(got, torch.Tensor) and _same_bits(got.numpy(), numeric.q_minus(1.0, numpy.array([[1.0], [2.0]])))
