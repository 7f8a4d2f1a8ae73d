"""Planning steps that read what a profile declares beyond compose: migration jobs, Kafka
consumer settings, first starts and the startup timeline.

:func:`expand` runs before the planner proper: it turns ``migrate:`` into job services and
``kafka.consumers`` into environment, so the planner, the rules and every target see one
profile.
"""

from __future__ import annotations

from ..profile import LoadedProfile
from . import consumers, migrations


def expand(loaded: LoadedProfile) -> LoadedProfile:
    """The profile with its migration jobs and consumer environment in place.

    Raises:
        InputError: see :func:`stackgen.planning.migrations.expand` and
            :func:`stackgen.planning.consumers.expand`.
    """
    return consumers.expand(migrations.expand(loaded))
