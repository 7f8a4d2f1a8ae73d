"""The diff pipeline's parts that stand on their own: reading a side (:mod:`.sides`),
reviewer-level changes such as routes (:mod:`.routes`), accepted drift (:mod:`.accepted`)."""
