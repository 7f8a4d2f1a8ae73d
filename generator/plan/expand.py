"""What a profile declares beyond compose, turned into plain services before planning.

:func:`expand` runs before the planner proper: it turns ``migrate:`` into job services and
``kafka.consumers`` into environment, so the planner, the rules and every target see one
profile.
"""

from __future__ import annotations

from ..profile.load import LoadedProfile
from . import consumers, migrations


def expand(loaded: LoadedProfile) -> LoadedProfile:
    """The profile with its migration jobs and consumer environment in place.

    Raises:
        InputError: see :func:`stackgen.plan.migrations.expand` and
            :func:`stackgen.plan.consumers.expand`.
    """
    return consumers.expand(migrations.expand(loaded))
