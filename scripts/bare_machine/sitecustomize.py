"""Simulate a machine without some shared libraries, for `.ci/run`'s bare-machine step.

Put this directory first on PYTHONPATH and list library names in ZC_HIDE_LIBRARIES (comma separated,
e.g. ``harfbuzz-subset`` or ``pango``): every ``cffi`` ``FFI.dlopen`` and ``ctypes`` ``CDLL`` load whose
name contains one of them fails with OSError, exactly as when the library is not installed.
WeasyPrint finds its libraries that way (``weasyprint/text/ffi.py``: ``ffi.dlopen('harfbuzz-subset', ...)``,
with ``allow_fail=True`` for HarfBuzz-Subset, after which fonts are subset with fontTools instead).
A library already loaded by another one's dependency is still there for that one; only the named
lookups fail, which is all WeasyPrint does.
"""

from __future__ import annotations

import os

_hidden = tuple(name.strip().lower() for name in os.environ.get("ZC_HIDE_LIBRARIES", "").split(",") if name.strip())


def _is_hidden(name) -> bool:
    return isinstance(name, str | bytes) and any(
        part in (name.decode() if isinstance(name, bytes) else name).lower() for part in _hidden
    )


def _refusal(name) -> OSError:
    return OSError(f"cannot load library {name!r}: hidden by ZC_HIDE_LIBRARIES (scripts/bare_machine)")


if _hidden:
    import ctypes

    _cdll_init = ctypes.CDLL.__init__

    def _cdll(self, name, *args, **kwargs):
        if _is_hidden(name):
            raise _refusal(name)
        _cdll_init(self, name, *args, **kwargs)

    ctypes.CDLL.__init__ = _cdll

    try:
        import cffi.api
    except ImportError:  # no cffi in this environment: nothing loads through it
        pass
    else:
        _dlopen = cffi.api.FFI.dlopen

        def _ffi_dlopen(self, name, *args, **kwargs):
            if _is_hidden(name):
                raise _refusal(name)
            return _dlopen(self, name, *args, **kwargs)

        cffi.api.FFI.dlopen = _ffi_dlopen
