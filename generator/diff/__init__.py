"""The diff pipeline: read a side (:mod:`.sides`), normalise, compare, reviewer-level changes
(routes: :mod:`.routes`), accepted drift (:mod:`.accepted`), report."""
