"""The private cache: nothing is loaded from a folder or file another user could have written, and a library
that is not what was built is built again, never run."""
import os
import subprocess

import pytest

from nusym import cache
from nusym.codegen import c_library as cbackend

pytestmark = pytest.mark.skipif(os.name != "posix", reason="owners and modes are POSIX")

needs_cc = pytest.mark.skipif(cbackend.compiler() is None, reason="no C compiler here")


def _planted(folder, name, marker):
    """A shared library at folder/name whose constructor writes ``marker`` when it is loaded."""
    src = folder / "evil.c"
    src.write_text('#include <stdio.h>\n__attribute__((constructor)) static void planted(void) {\n'
                   f'  FILE *f = fopen("{marker}", "w"); if (f) {{ fputs("ran", f); fclose(f); }}\n}}\n')
    subprocess.run([cbackend.compiler(), "-shared", "-fPIC", str(src), "-o", str(folder / name)], check=True)
    src.unlink()


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """NUSYM_CACHE in a new folder, and no library loaded yet in this process."""
    monkeypatch.setenv("NUSYM_CACHE", str(tmp_path / "cache"))
    cbackend.load.cache_clear()
    yield tmp_path
    cbackend.load.cache_clear()


def test_new_cache_is_private(fresh):
    folder = cache.directory("c")
    assert oct(os.stat(folder).st_mode & 0o777) == oct(0o700)
    assert oct(os.stat(fresh / "cache").st_mode & 0o777) == oct(0o700)


@needs_cc
def test_folder_writable_by_others_is_refused_and_nothing_runs(fresh):
    top = fresh / "cache"
    (top / "c").mkdir(parents=True)
    os.chmod(top, 0o777)
    os.chmod(top / "c", 0o777)
    marker = fresh / "ran"
    # the attacker plants every name the library could have
    _planted(top / "c", "nusym_kernels-planted.so", marker)
    with pytest.raises(cache.UnsafeCache, match="writable by other users"):
        cbackend.load()
    assert not marker.exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_folder_of_another_user_is_refused(fresh):
    top = fresh / "cache"
    top.mkdir(mode=0o700)
    os.chown(top, 4242, 4242)
    with pytest.raises(cache.UnsafeCache, match="belongs to user id 4242"):
        cache.directory("c")


@needs_cc
def test_planted_library_under_the_right_name_is_rebuilt_not_run(fresh):
    path = cbackend.build()                        # a genuine build records its hash
    marker = fresh / "ran"
    path.unlink()
    _planted(path.parent, path.name, marker)       # same name, same owner, mode 0600: only the hash tells
    os.chmod(path, 0o600)
    kernels = cbackend.load()
    assert not marker.exists()
    assert float(kernels.q_minus(1.0, 2.0)) > 0


@needs_cc
def test_zero_byte_library_is_rebuilt(fresh):
    path = cbackend.build()
    path.write_bytes(b"")
    assert cache.read_verified(path) is None
    kernels = cbackend.load()
    assert path.stat().st_size > 0 and float(kernels.q_a(2.0, 1.0, 1e9)) > 0


def test_symbolic_link_in_the_cache_is_refused(fresh):
    folder = cache.directory("c")
    (fresh / "elsewhere").write_bytes(b"x")
    os.symlink(fresh / "elsewhere", folder / "table.bin")
    with pytest.raises(cache.UnsafeCache, match="not a regular file"):
        cache.read_verified(folder / "table.bin")


def test_file_writable_by_others_is_refused(fresh):
    folder = cache.directory("tables")
    cache.write_verified(folder / "t.bin", b"data")
    assert cache.read_verified(folder / "t.bin") == b"data"
    os.chmod(folder / "t.bin", 0o666)
    with pytest.raises(cache.UnsafeCache, match="writable by other users"):
        cache.read_verified(folder / "t.bin")


def test_changed_bytes_are_not_returned(fresh):
    folder = cache.directory("tables")
    cache.write_verified(folder / "t.bin", b"data")
    (folder / "t.bin").write_bytes(b"DATA")
    assert cache.read_verified(folder / "t.bin") is None


def test_c_backend_reports_an_unsafe_cache_as_the_reason_it_is_not_run(fresh):
    from nusym.codegen import backends
    top = fresh / "cache"
    top.mkdir()
    os.chmod(top, 0o777)
    backends.missing.cache_clear()
    try:
        assert "writable by other users" in backends.missing()["c"]
    finally:
        backends.missing.cache_clear()
