"""What every planning step shares: the loaded profile, and the problems and policy notes
collected while planning (all problems are reported at once, each at its profile position)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..errors import Diagnostic
from ..output.secret_rule import is_secret_key
from ..profile.load import LoadedProfile
from ..profile.models import Profile, Service
from ..yamlio.nodes import Path_, dotted


@dataclass
class PlanContext:
    """The profile being planned, and what planning found.

    Attributes:
        loaded: the validated profile with the position of each value.
        errors: problems found so far (planning ends with :class:`InputError` if any).
        warnings: non-fatal problems.
        policy: output path → why a stackgen policy (not the profile) put the value there
            (see :class:`stackgen.profile.settings.Policies`).
        jobs: the one-shot jobs (:func:`one_shot_jobs`).
    """

    loaded: LoadedProfile
    errors: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    policy: dict[Path_, str] = field(default_factory=dict)
    jobs: frozenset[str] = frozenset()
    _secret_keys: dict[str, bool] = field(default_factory=dict, init=False, repr=False)

    @property
    def profile(self) -> Profile:
        """The profile model."""
        return self.loaded.profile

    def is_secret(self, key: str) -> bool:
        """Whether environment key ``key`` names a secret
        (:func:`~stackgen.output.secret_rule.is_secret_key` with the profile's ``sensitive``),
        asked once per key: a stack repeats its keys service after service."""
        found = self._secret_keys.get(key)
        if found is None:
            found = self._secret_keys[key] = is_secret_key(key, self.profile.sensitive)
        return found

    def _diag(self, path: Path_, message: str) -> Diagnostic:
        mark = self.loaded.source.mark(path)
        return Diagnostic(mark.file, mark.line, mark.col, dotted(path), message)

    def error(self, path: Path_, message: str) -> None:
        """Record a problem at the profile position of ``path``."""
        self.errors.append(self._diag(path, message))

    def warn(self, path: Path_, message: str) -> None:
        """Record a warning at the profile position of ``path``."""
        self.warnings.append(self._diag(path, message))

    def added(self, path: Path_, reason: str) -> None:
        """Record that a policy (not the profile) put the value at output ``path``."""
        self.policy[path] = reason


def dependencies(svc: Service) -> dict[str, str | None]:
    """Dependency name → explicit condition (None when the profile used the list form)."""
    if isinstance(svc.depends_on, list):
        return {name: None for name in svc.depends_on}
    return {name: dep.condition for name, dep in svc.depends_on.items()}


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``known``, or ``""``."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def one_shot_jobs(services: Mapping[str, Service]) -> frozenset[str]:
    """The services that run to completion: marked ``one_shot``, or waited on by another
    service with ``condition: service_completed_successfully``."""
    waited = {
        dep
        for svc in services.values()
        if isinstance(svc.depends_on, dict)
        for dep, spec in svc.depends_on.items()
        if spec.condition == "service_completed_successfully"
    }
    return frozenset(n for n, s in services.items() if s.one_shot or n in waited)
