"""Reverse proxies that keep forwarding to a restarted service: ``proxy-static-upstream`` and
``proxy-upstream-restart``.

A container that is recreated (a new image, ``docker compose up`` after a change, a crash
followed by ``up``) usually comes back with a new address on the compose network. A proxy
that resolved its upstream's name once, at start, keeps sending requests to the old address:
every request is a 502 until the proxy itself restarts (the seed's 502s;
langgenius/dify#40448 and er0080/vllm-benchmarking#62: a static ``proxy_pass`` after a
recreate; getsentry/self-hosted#4492: ``upstream`` servers; docker/compose#13211: nginx in
front of a recreated httpd; ``depends_on.restart`` came with compose-spec/compose-spec#305).

* **nginx** resolves the host of a literal ``proxy_pass`` (and the servers of an
  ``upstream`` block) once, at start. It re-resolves per request only when the target is a
  variable and a ``resolver`` is configured; in a compose network that is Docker's embedded
  DNS, ``127.0.0.11`` (nginx docs, ``proxy_pass`` and ``resolver``). For an nginx whose config
  is in ``config_files``, a literal target naming a service of the stack is
  ``proxy-static-upstream`` (error), as is a variable target without a resolver
  (nginx cannot resolve it at all: "no resolver defined").
* **Otherwise** (HAProxy, Caddy, an nginx whose config stackgen cannot read, a service the
  profile declares ``proxy: true``): each application it ``depends_on`` is taken as an
  upstream and must be declared with ``restart: true``, so compose restarts the proxy when it
  restarts that upstream (compose spec ``depends_on.restart``); without it,
  ``proxy-upstream-restart`` (error). Databases, caches and brokers a proxy depends on are
  not upstreams. **Traefik** watches the Docker API and follows containers as they come and
  go (its labels route by container, not by a resolved address): never reported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..catalog.families import repository
from ..yamlio.nodes import Path_
from .model import Subject, effective_image

#: image repository (registry and tag stripped; its last path part) → proxy; looked up
#: whole (one dict lookup per service, not a pattern per proxy)
_PROXY_IMAGES: dict[str, str] = {
    "nginx": "nginx",
    "nginx-unprivileged": "nginx",
    "openresty": "nginx",
    "haproxy": "haproxy",
    "caddy": "caddy",
    "traefik": "traefik",
}
_PASS = re.compile(r"\b(proxy_pass|grpc_pass|fastcgi_pass|uwsgi_pass|scgi_pass)\s+([^;\s]+)\s*;")
_UPSTREAM = re.compile(r"\bupstream\s+([^\s{]+)\s*\{([^}]*)\}")
_SERVER = re.compile(r"\bserver\s+([^;\s]+)([^;]*);")
_RESOLVER = re.compile(r"\bresolver\s+([^;]+);")
_HOST = re.compile(r"^(?:[a-z]+://)?(\[[^\]]*\]|[^:/]+)")
DOCKER_DNS = "127.0.0.11"


def proxy_of(name: str, spec: Mapping[str, Any], subject: Subject) -> str | None:
    """``nginx``, ``haproxy``, ``caddy``, ``traefik``, ``declared`` (a profile's
    ``proxy: true``) or None; a profile's ``proxy: false`` says it is not one."""
    declared = None
    if subject.loaded is not None:
        svc = subject.loaded.profile.services.get(name)
        declared = svc.proxy if svc is not None else None
    if declared is False:
        return None
    image = effective_image(spec)
    if image:
        proxy = _PROXY_IMAGES.get(repository(image).rsplit("/", 1)[-1])
        if proxy is not None:
            return proxy
    return "declared" if declared else None


def _config_texts(name: str, spec: Mapping[str, Any], subject: Subject) -> dict[str, str]:
    """Container path → text of the config files the proxy is given inline (a profile's
    ``config_files``; a compose file's ``configs`` with ``content``, ``$$`` read as ``$``)."""
    if subject.loaded is not None:
        svc = subject.loaded.profile.services.get(name)
        return dict(svc.config_files) if svc is not None else {}
    top = subject.data.get("configs")
    out: dict[str, str] = {}
    for item in spec.get("configs") or []:
        if not isinstance(item, Mapping) or not isinstance(top, Mapping):
            continue
        source = top.get(item.get("source"))
        if isinstance(source, Mapping) and isinstance(source.get("content"), str):
            out[str(item.get("target"))] = source["content"].replace("$$", "$")
    return out


def check(subject: Subject) -> None:
    """Add the proxy findings of ``subject`` (module docstring)."""
    services = dict(subject.services())
    for name, spec in services.items():
        proxy = proxy_of(name, spec, subject)
        if proxy is None or proxy == "traefik":
            continue
        texts = _config_texts(name, spec, subject) if proxy == "nginx" else {}
        if any(_PASS.search(_uncommented(t)) for t in texts.values()):
            _nginx(subject, name, texts, services)
        else:
            _restart(subject, name, proxy, spec, services)


def _uncommented(text: str) -> str:
    return re.sub(r"#[^\n]*", "", text)


def _nginx(subject: Subject, name: str, texts: dict[str, str], services: Mapping[str, Any]) -> None:
    whole = "\n".join(_uncommented(t) for t in texts.values())
    resolvers = [a for m in _RESOLVER.finditer(whole) for a in m.group(1).split()]
    docker_dns = any(a.split(":")[0] == DOCKER_DNS for a in resolvers)
    upstreams = {
        m.group(1): [(s.group(1), s.group(2)) for s in _SERVER.finditer(m.group(2))]
        for m in _UPSTREAM.finditer(whole)
    }
    for target, text in texts.items():
        path: Path_ = ("services", name, "config_files", target)
        for m in _PASS.finditer(_uncommented(text)):
            directive, value = m.group(1), m.group(2)
            if "$" in value:
                if not docker_dns:
                    subject.report(
                        "proxy-static-upstream",
                        path,
                        f"{name}: {directive} {value} uses a variable but no resolver "
                        f"{DOCKER_DNS} is configured: nginx cannot resolve the name per "
                        'request ("no resolver defined", 502)',
                        hint=f"add resolver {DOCKER_DNS} valid=10s; (Docker's embedded DNS) "
                        "to the http or server block",
                    )
                continue
            host_m = _HOST.match(value)
            host = host_m.group(1) if host_m else ""
            servers = upstreams.get(host, [(value, "")])
            for server, params in servers:
                server_m = _HOST.match(server)
                server_host = server_m.group(1) if server_m else ""
                if server_host not in services or server_host == name:
                    continue
                if "resolve" in params.split() and docker_dns:
                    continue  # nginx >= 1.27.3: the upstream server re-resolves
                via = f" (upstream {host}: server {server})" if host in upstreams else ""
                variable = re.sub(r"[^a-z0-9_]", "_", server_host.lower()) + "_upstream"
                subject.report(
                    "proxy-static-upstream",
                    path,
                    f"{name}: {directive} {value}{via} is resolved once, when nginx starts; "
                    f"after {server_host} restarts with a new address every request gets 502 "
                    f"until {name} restarts",
                    hint=f"resolver {DOCKER_DNS} valid=10s; set ${variable} {_url(value, server)}; "
                    f"{directive} ${variable}; (a variable makes nginx resolve {server_host} "
                    "per request through Docker's DNS)",
                )


def _url(value: str, server: str) -> str:
    """The literal URL to put in the variable: the ``proxy_pass`` value with an upstream
    block's name replaced by its server."""
    scheme, sep, _ = value.partition("://")
    return f"{scheme}://{server}" if sep and server != value else value


def _restart(
    subject: Subject, name: str, proxy: str, spec: Mapping[str, Any], services: Mapping[str, Any]
) -> None:
    deps = spec.get("depends_on")
    for dep, condition, sub in subject.deps(spec):
        target = services.get(dep)
        if target is None or subject.family(target) is not None:
            continue
        if condition == "service_completed_successfully":
            continue  # a one-shot job, not an upstream
        entry = deps.get(dep) if isinstance(deps, Mapping) else None
        if isinstance(entry, Mapping) and entry.get("restart") is True:
            continue
        what = {
            "nginx": "an nginx reverse proxy",
            "haproxy": "an HAProxy reverse proxy",
            "caddy": "a Caddy reverse proxy",
        }.get(proxy, "a reverse proxy (proxy: true)")
        subject.report(
            "proxy-upstream-restart",
            ("services", name, *sub),
            f"{name} is {what} forwarding to {dep}, and nothing restarts it when {dep} "
            f"restarts with a new address: requests get 502 until {name} restarts",
            hint=f"depends_on: {{{dep}: {{condition: {condition or 'service_started'}, "
            "restart: true}}",
        )
