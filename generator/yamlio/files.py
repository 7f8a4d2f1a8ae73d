"""Reading input files as text: regular files only, a size cap, UTF-8 with positions of a bad byte.

Every file stackgen reads as input (profiles, compose files, env files) goes through
:func:`read_text`, so the refusals (a FIFO, a directory, a file too large, bytes that are not
UTF-8) read the same whichever command meets them.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..errors import InputError
from .limits import MAX_BYTES


def read_text(path: Path, display: str, what: str = "file") -> str:
    """Read a UTF-8 text file of at most :data:`MAX_BYTES` bytes (a UTF-8 BOM is allowed).

    Args:
        path: the file.
        display: its name in messages.
        what: what the file is, for messages ("file", "env file").

    Raises:
        InputError: ``display:0:0: cannot read <what>: <reason>`` (missing, a directory, a
            FIFO, device or socket, a NUL in the name, unreadable), a file over the size cap, or ``display:line:col:`` of the first byte
            that is not UTF-8.
    """
    try:
        data = _read_regular(path, MAX_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError.single(display, 0, 0, "", f"cannot read {what}: {reason}") from None
    except ValueError:  # a NUL byte in the name: no such file can exist
        raise InputError.single(
            display, 0, 0, "", f"cannot read {what}: its name holds a NUL character"
        ) from None
    if len(data) > MAX_BYTES:
        raise InputError.single(
            display, 0, 0, "", f"{what} is larger than {MAX_BYTES // 2**20} MiB, the input limit"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8")) + 1
        raise InputError.single(
            display,
            line,
            col,
            "",
            f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded; save the {what} as UTF-8",
        ) from None


def _read_regular(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of the regular file ``path``.

    Checked before opening and once opened: a FIFO, device or socket named as input is
    refused (opening or reading one could block for ever or never end).

    Raises:
        OSError: cannot open or read, or not a regular file (strerror says which).
        ValueError: a NUL character in the name.
    """
    # checked before opening: opening a FIFO for reading blocks until a writer comes
    _require_regular(os.stat(path).st_mode)
    with path.open("rb") as handle:
        # and again on what was opened (the name may have changed in between)
        _require_regular(os.fstat(handle.fileno()).st_mode)
        chunks: list[bytes] = []
        size = 0
        while size < limit:
            chunk = handle.read(min(1 << 20, limit - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)


def _require_regular(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
    if not stat.S_ISREG(mode):
        raise OSError(0, "not a regular file (a pipe, device or socket is never read)")
