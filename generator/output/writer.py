"""Writing output safely: never half a file, never over a file stackgen did not write.

A compose file is written to a temporary file in the target's directory, flushed and fsynced,
then renamed over the target with ``os.replace`` (atomic on POSIX and Windows), and on POSIX
the directory is fsynced too, so the rename itself survives a crash. A reader, or a process
killed at any point, sees the old file or the new one, never a mix; SIGTERM, SIGHUP and
Ctrl-C (SIGINT) during the write remove the temporary file before the process ends by that signal.
A replaced file keeps its permission bits (a 0600 file holding passwords stays 0600); a new
file gets ``0666`` less the umask, as any program's. An existing file whose first line is not
stackgen's header was written by hand: it is replaced only with ``force``, and then kept as
``FILE.bak`` (``FILE.bak.1``, ``FILE.bak.2``, … when that exists: a backup is never
overwritten).
"""

from __future__ import annotations

import os
import signal
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from .header import GENERATED_HEADER as GENERATED_HEADER  # re-exported: render writes it

# Test hook, read only by the kill-mid-write test: a file descriptor number. When set, the
# writer writes half the temporary file, sends one byte to that descriptor and stops there
# until it is killed, so the test can kill it at a known point without timing.
_PAUSE_FD = "STACKGEN_TEST_PAUSE_WRITE_FD"


@dataclass(frozen=True)
class Written:
    """The outcome of :func:`write_output`.

    Attributes:
        path: the file written.
        backup: ``FILE.bak`` holding the replaced hand-written file, or None.
    """

    path: Path
    backup: Path | None = None


def is_generated(text: str) -> bool:
    """True when ``text`` starts with stackgen's generated header."""
    return text.startswith(GENERATED_HEADER)


def backup_of(path: Path) -> Path:
    """The file a replaced hand-written ``path`` would be kept in: the first of ``FILE.bak``,
    ``FILE.bak.1``, ``FILE.bak.2``, … beside it that does not exist."""
    for n in range(_MAX_BACKUPS):
        candidate = path.with_name(path.name + (".bak" if n == 0 else f".bak.{n}"))
        if not candidate.exists() and not candidate.is_symlink():
            return candidate
    raise _cannot_write(
        path.as_posix(), f"{_MAX_BACKUPS} backups {path.name}.bak… exist already; remove some"
    )


#: Most backups kept beside one file.
_MAX_BACKUPS = 1000


def check_target(path: Path, *, force: bool = False) -> bool:
    """Check that ``path`` may be written; nothing is changed.

    Args:
        path: the output file (its directories may be missing).
        force: allow replacing a file that lacks stackgen's header.

    Returns:
        True when an existing file lacking the header will be replaced (so it is backed up).

    Raises:
        InputError: ``path`` is a directory or read-only, its nearest existing directory is
            read-only or not a directory, or it exists without the header and ``force`` is
            False.
    """
    display = path.as_posix()
    try:
        return _check_target(path, display, force)
    except OSError as exc:  # a name too long, a loop of symlinks, …
        raise _cannot_write(display, exc.strerror or str(exc)) from None
    except ValueError:  # a NUL character in the name
        raise _cannot_write(display, "the name holds a NUL character") from None


def _check_target(path: Path, display: str, force: bool) -> bool:
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # the directory the missing ones will be created in
    if not folder.is_dir():
        raise _cannot_write(display, f"{folder.as_posix()} is not a directory")
    if not _writable(folder):
        raise _cannot_write(display, f"directory {folder.as_posix()} is read-only")
    if not path.exists():
        return False
    if path.is_dir():
        raise _cannot_write(display, "it is a directory")
    if not path.is_file():
        # a device or pipe (-o /dev/null): the atomic rename would replace the node itself
        raise _cannot_write(display, "it is not a regular file (-o - prints to stdout)")
    if not _writable(path):
        raise _cannot_write(display, "the file is read-only")
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            first = handle.readline()
    except OSError as exc:
        raise _cannot_write(display, f"cannot read the existing file: {exc.strerror}") from None
    if is_generated(first):
        return False
    if not force:
        raise InputError.single(
            display,
            1,
            1,
            "",
            f"exists and was not written by stackgen (its first line is not "
            f"{GENERATED_HEADER!r}…); refusing to overwrite it. Move it away, or pass --force "
            f"to replace it and keep it as {backup_of(path).name}",
        )
    return True


def write_output(path: Path, text: str, *, force: bool = False) -> Written:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` atomically, creating directories.

    Args:
        path: the output file.
        text: the whole content.
        force: replace a file lacking stackgen's header, keeping it as ``FILE.bak``.

    Returns:
        :class:`Written`, naming the backup when one was kept.

    Raises:
        InputError: see :func:`check_target`; or the directory cannot be created or written
            (``file: cannot write: reason``).
    """
    foreign = check_target(path, force=force)
    display = path.as_posix()
    backup = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if foreign:
            backup = _keep_backup(path)
        _replace_atomically(path, text.encode("utf-8"))
    except OSError as exc:
        raise _cannot_write(display, exc.strerror or str(exc)) from None
    return Written(path, backup)


def _keep_backup(path: Path) -> Path:
    """Copy ``path`` (bytes and mode) to the first free name of :func:`backup_of`; the name is
    taken with a hard link, which fails rather than replace a file another process made in
    the meantime."""
    data, mode = path.read_bytes(), stat.S_IMODE(path.stat().st_mode)
    while True:
        backup = backup_of(path)
        try:
            _write_atomically(backup, data, mode, exclusive=True)
            return backup
        except FileExistsError:
            continue


def write_new(path: Path, text: str, *, force: bool = False) -> Written:
    """Write a file the user goes on to edit (a profile from ``init`` or ``import``):
    an existing ``path`` is replaced only with ``force``, like :func:`write_output` with
    ``force`` (a file without stackgen's header is kept as ``FILE.bak``).

    Args:
        path: the output file.
        text: the whole content.
        force: replace an existing file.

    Returns:
        :class:`Written`, naming the backup when one was kept.

    Raises:
        InputError: ``path`` exists and ``force`` is False (``file: already exists; use
            --force …``, naming the backup --force would keep), or as :func:`write_output`.
    """
    if path.exists() and not force:
        # a generated file (stackgen's header) is replaced without a backup, as render does
        kept = check_target(path, force=True)
        backup = f" (the old file is then kept as {backup_of(path).as_posix()})" if kept else ""
        raise InputError.single(
            path.as_posix(), 0, 0, "", f"already exists; use --force to replace it{backup}"
        )
    return write_output(path, text, force=True)


def replace_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, with no header check and no backup: for a file
    the user keeps that stackgen edits in place (the accepted-drift file, ``--accept``).

    Raises:
        InputError: the file cannot be written (``file: cannot write: reason``).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _replace_atomically(path, text.encode("utf-8"))
    except OSError as exc:
        raise _cannot_write(path.as_posix(), exc.strerror or str(exc)) from None


def _replace_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` over ``path``, keeping its permission bits (a new file: 0666 less the
    umask)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    _write_atomically(path, data, mode)


def _umask() -> int:
    # the only portable way to read the umask is to set it; set back at once
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# signals that end the process by default: the temporary file is removed first (SIGINT
# already raises KeyboardInterrupt, which the cleanup below handles like any exception)
_CLEANUP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class _Signalled(BaseException):
    """A terminating signal arrived during a write (carries its number)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_signal(signum: int, _frame: object) -> None:
    raise _Signalled(signum)


def _write_atomically(path: Path, data: bytes, mode: int, *, exclusive: bool = False) -> None:
    """Write ``data`` to a temporary file beside ``path`` with ``mode``, then rename it over
    ``path`` (``exclusive``: link it to ``path``, raising FileExistsError if ``path`` exists).

    A SIGTERM or SIGHUP in between removes the temporary file, then ends the process by
    that signal, as it would have ended without stackgen's handler.
    """
    previous = _catch_signals()
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            pause = os.environ.get(_PAUSE_FD)
            if pause:
                _pause_half_written(handle, data, int(pause))
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            os.link(tmp, path)
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
        tmp = None
    except _Signalled as caught:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        _restore_signals(previous)
        signal.signal(caught.signum, signal.SIG_DFL)
        os.kill(os.getpid(), caught.signum)
        raise  # not reached where the default action ends the process
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        _restore_signals(previous)
    _fsync_directory(path.parent)


def _catch_signals() -> dict[int, object]:
    """Route :data:`_CLEANUP_SIGNALS` to :func:`_raise_signal`; returns the old handlers (none
    outside the main thread, where Python cannot set handlers)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return {}
    previous: dict[int, object] = {}
    for signum in _CLEANUP_SIGNALS:
        previous[signum] = signal.signal(signum, _raise_signal)
    return previous


def _restore_signals(previous: dict[int, object]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)  # type: ignore[arg-type]


def _pause_half_written(handle: BinaryIO, data: bytes, fd: int) -> None:
    """The test hook: half the data on disk, signal the test, wait to be killed."""
    handle.write(data[: len(data) // 2])
    handle.flush()
    os.fsync(handle.fileno())
    os.write(fd, b"p")
    while True:
        signal.pause()


def _fsync_directory(folder: Path) -> None:
    # makes the rename durable (POSIX); Windows cannot open a directory for fsync
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _writable(path: Path) -> bool:
    # the mode bits too: root may write anything, but a file or directory a user made
    # read-only (chmod a-w) is a statement not to change it
    write_bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & write_bits)


def _cannot_write(display: str, reason: str) -> InputError:
    return InputError.single(display, 0, 0, "", f"cannot write: {reason}")


def read_existing(path: Path) -> str | None:
    """The text of ``path``, or None when it does not exist or cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
