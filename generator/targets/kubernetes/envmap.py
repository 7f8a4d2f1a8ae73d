"""Environment, command and image values → Kubernetes, with no secret value written.

* A variable is **sensitive** when its name is (the profile's ``sensitive:`` list or
  stackgen's secret-name rule, :func:`stackgen.masking.is_secret_key`), when compose would
  take its value from the host (``KEY`` with no value), when its value is a ``${VAR}``
  reference, or when its text holds a credential by form (``postgres://app:pw@db``,
  :func:`stackgen.output.credentials.credentials_in`): it comes from the project's Secret
  through ``valueFrom.secretKeyRef``, never inline. The Secret keys needed are collected for the report.
* A value mixing text and references (``postgres://${USER}@db``) keeps its text and reads
  each reference as ``$(VAR)``, Kubernetes' dependent-variable syntax, with ``VAR`` itself
  from the Secret, listed before it (Kubernetes API reference, ``EnvVar.value``).
* Kubernetes expands ``$(VAR)`` in ``command``, ``args`` and ``env`` values and reads ``$$``
  as ``$`` there (``k8s.io/kubernetes/third_party/forked/golang/expansion``): a literal ``$``
  followed by ``$`` or ``(`` is written doubled (:func:`escape`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from ...output.credentials import credentials_in
from ...output.secret_rule import is_secret_key
from . import manifests as m
from .view import EnvVar, Ref, Text


def escape(text: str) -> str:
    """Literal text for a Kubernetes ``command``/``args``/``env`` value: every ``$`` that
    Kubernetes' expansion would read as the start of ``$$`` or ``$(`` is doubled, so the
    container gets exactly ``text`` (``$(date)`` → ``$$(date)``, ``a$$b`` → ``a$$$$b``,
    ``$HOME`` unchanged)."""
    out: list[str] = []
    for i, ch in enumerate(text):
        out.append(ch)
        if ch == "$" and text[i + 1 : i + 2] in ("$", "("):
            out.append("$")
    return "".join(out)


@dataclass
class SecretKeys:
    """The keys the project's Secret must hold, and why (key → reasons, in first-seen order)."""

    name: str
    keys: dict[str, list[str]] = field(default_factory=dict)

    def need(self, key: str, why: str) -> None:
        """Record that ``key`` must exist, for ``why`` (``backend: REDIS_PASSWORD``)."""
        reasons = self.keys.setdefault(key, [])
        if why not in reasons:
            reasons.append(why)


def expand(text: Text, refs: list[str]) -> str:
    """``text`` as a Kubernetes value: literals escaped, each reference as ``$(NAME)``
    (names appended to ``refs``)."""
    out: list[str] = []
    for part in text:
        if isinstance(part, Ref):
            refs.append(part.name)
            out.append(f"$({part.name})")
        else:
            out.append(escape(part))
    return "".join(out)


def environment(
    service: str,
    env: tuple[EnvVar, ...],
    sensitive: Collection[str],
    secret: SecretKeys,
    notes: list[tuple[str, str]],
) -> tuple[m.EnvVar, ...]:
    """The container's ``env`` for ``env`` (in order, referenced variables first).

    Args:
        service: the service (named in the Secret's reasons and the notes).
        env: its environment.
        sensitive: the profile's ``sensitive:`` names.
        secret: collects the Secret keys needed.
        notes: ``(key, detail)`` pairs for the report are appended here.
    """
    out: list[m.EnvVar] = []
    defined: set[str] = set()

    def from_secret(name: str, key: str, why: str) -> None:
        secret.need(key, f"{service}: {why}")
        out.append(m.EnvVar(name, secret=secret.name, key=key))
        defined.add(name)

    for var in env:
        where = f"environment.{var.name}"
        if var.secret or is_secret_key(var.name, sensitive):
            from_secret(var.name, var.name, f"{var.name} (secret name)")
            notes.append((where, f"from Secret {secret.name}, key {var.name} (a secret name)"))
            continue
        if var.value is None:
            from_secret(var.name, var.name, f"{var.name} (compose takes it from the host)")
            notes.append((where, f"from Secret {secret.name}, key {var.name} (host value)"))
            continue
        if len(var.value) == 1 and isinstance(var.value[0], Ref):
            ref = var.value[0]
            from_secret(var.name, ref.name, f"{var.name} reads ${{{ref.name}}}")
            lost = " (its compose default does not apply)" if ref.default is not None else ""
            notes.append((where, f"from Secret {secret.name}, key {ref.name}{lost}"))
            continue
        literal = [p for p in var.value if isinstance(p, str)]
        if literal and credentials_in(["".join(literal)], sensitive):
            # postgres://app:pw@db: the password would stand in the manifest
            from_secret(var.name, var.name, f"{var.name} (its value holds a credential)")
            notes.append(
                (where, f"from Secret {secret.name}, key {var.name} (a credential in its value)")
            )
            continue
        refs: list[str] = []
        value = expand(var.value, refs)
        for name in refs:
            if name not in defined:
                from_secret(name, name, f"{var.name} reads ${{{name}}}")
        if refs:
            notes.append(
                (where, f"references {', '.join(refs)} as $(NAME), each from Secret {secret.name}")
            )
        out.append(m.EnvVar(var.name, value=value))
        defined.add(var.name)
    return tuple(out)
