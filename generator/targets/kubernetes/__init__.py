"""The Kubernetes target: a planned stack → one multi-document manifest file
(``kubectl apply -f``), validated against the official strict schemas and the API server's
own rules before it is written, plus a translation report. Mapping: ``docs/kubernetes.md``.

Modules: :mod:`.view` (what the target reads), :mod:`.from_compose` (reads the plan),
:mod:`.translate` (workloads, Services, Ingress, volumes), :mod:`.probes` (probes and init
waits), :mod:`.envmap` (environment and Secrets), :mod:`.manifests` (typed building blocks),
:mod:`.quantity`, :mod:`.emit`, :mod:`.schemas` and :mod:`.rules` (validation),
:mod:`.prove`, :mod:`.report`, :mod:`.target` (the entry point).
"""
