"""The Kubernetes target: a planned stack → one multi-document manifest file
(``kubectl apply -f``), validated against the official strict schemas and the API server's
own rules before it is written, plus a translation report. Mapping: ``docs/kubernetes.md``.

Modules: :mod:`.target` (the entry point), :mod:`.view` (what the target reads) and
:mod:`.from_compose` (reads the plan into it), :mod:`.translate` (one service → its objects)
with :mod:`.context`, :mod:`.volumes`, :mod:`.network`, :mod:`.waits`, :mod:`.probes`,
:mod:`.envmap` and :mod:`.notes`; :mod:`.manifests` and :mod:`.objects` (typed building
blocks), :mod:`.quantity`, :mod:`.emit`; :mod:`.schemas`, :mod:`.rules` and :mod:`.prove`
(validation); :mod:`.report`.
"""
