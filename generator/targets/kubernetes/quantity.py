"""Kubernetes resource quantities for byte sizes and CPUs.

Source: Kubernetes API reference, "Quantity" (k8s.io/apimachinery/pkg/api/resource): a
quantity is a number with an optional suffix; binary suffixes ``Ki Mi Gi Ti Pi Ei`` are powers
of 1024, ``m`` is a thousandth. CPU precision is one millicore: the API server rounds finer
values up ("Meaning of CPU", kubernetes.io/docs/concepts/configuration/manage-resources-containers).
"""

from __future__ import annotations

import math
import re

from ...compose.goparse import INT64_MAX

_BINARY = (
    ("Ei", 1024**6),
    ("Pi", 1024**5),
    ("Ti", 1024**4),
    ("Gi", 1024**3),
    ("Mi", 1024**2),
    ("Ki", 1024),
)


def memory(size: int) -> str:
    """A byte count as a quantity in the largest binary unit that holds it exactly.

    Args:
        size: bytes, 0 or more.

    Returns:
        ``4294967296`` → ``"4Gi"``, ``536870912`` → ``"512Mi"``, ``1000`` → ``"1000"``.

    Raises:
        ValueError: a negative size.
    """
    if size < 0:
        raise ValueError(f"a size cannot be negative: {size}")
    for suffix, mult in _BINARY:
        if size and size % mult == 0:
            return f"{size // mult}{suffix}"
    return str(size)


def cpu(cpus: float) -> str:
    """A number of CPUs as a quantity: whole CPUs plain, otherwise millicores.

    Args:
        cpus: CPUs (compose's ``cpus``), greater than 0.

    Returns:
        ``2`` → ``"2"``, ``0.5`` → ``"500m"``, ``1.25`` → ``"1250m"``; a fraction finer than
        one millicore is rounded up, as the API server does (``0.0001`` → ``"1m"``).

    Raises:
        ValueError: not a finite number above 0, or more millicores than int64 holds (the
            API server keeps a quantity's value in an int64 of its scale).
    """
    if not math.isfinite(cpus) or cpus <= 0:
        raise ValueError(f"CPUs must be a number above 0, got {cpus!r}")
    if cpus * 1000 > INT64_MAX:
        raise ValueError(f"{cpus!r} CPUs is more than a Kubernetes quantity holds")
    # round to a micro-core first so binary fractions (0.1 * 3) do not tip the ceiling
    milli = math.ceil(round(cpus * 1000, 6))
    if milli % 1000 == 0:
        return str(milli // 1000)
    return f"{milli}m"


_DECIMAL = {"": 1, "k": 1000, "M": 1000**2, "G": 1000**3, "T": 1000**4, "P": 1000**5, "E": 1000**6}


def parse_memory(text: str) -> int:
    """Bytes in a quantity (binary ``Ki``…``Ei`` or decimal ``k``…``E`` suffix, or none).

    Args:
        text: ``"10Gi"``, ``"500M"``, ``"1024"``.

    Raises:
        ValueError: not a whole-byte quantity of that form.
    """
    units = dict(_BINARY) | _DECIMAL
    suffix = next((u for u, _ in _BINARY if text.endswith(u)), text[-1:])
    if suffix not in units or suffix == "":
        suffix = ""
    number = text[: len(text) - len(suffix)]
    mult = units[suffix]
    if not re.fullmatch(r"[0-9]+", number):
        raise ValueError(
            f"{text!r} is not a Kubernetes quantity of bytes (a whole number with an optional "
            "suffix Ki, Mi, Gi, Ti, Pi, Ei or k, M, G, T, P, E, e.g. 10Gi)"
        )
    return int(number) * mult
