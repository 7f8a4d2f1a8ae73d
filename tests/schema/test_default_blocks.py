"""The settings blocks a profile may leave out (``defaults``, ``policies``, ``kafka``, …) default
to instances made with ``model_construct`` at import: each must be the instance pydantic
validates from an empty block, nested blocks included."""

from __future__ import annotations

import inspect

from pydantic import BaseModel

from stackgen.profile import kubernetes, models, settings
from stackgen.profile.load import load_profile_text


def _default_blocks() -> list[tuple[str, BaseModel]]:
    found = []
    for module in (settings, models, kubernetes):
        for cls in vars(module).values():
            if (
                inspect.isclass(cls)
                and issubclass(cls, BaseModel)
                and cls.__module__ == module.__name__
            ):
                for name, field in cls.model_fields.items():
                    if isinstance(field.default, BaseModel):
                        found.append((f"{cls.__name__}.{name}", field.default))
    return found


def test_every_default_block_is_the_validated_empty_block() -> None:
    blocks = _default_blocks()
    assert sorted(name for name, _ in blocks) == [
        "Consumer.env",
        "Defaults.healthcheck",
        "KafkaSettings.consumer_group",
        "KafkaSettings.listeners",
        "Profile.defaults",
        "Profile.kafka",
        "Profile.kubernetes",
        "Profile.policies",
        "Profile.retention",
        "Profile.target",
        "Retention.kafka",
    ]
    for name, default in blocks:
        validated = type(default).model_validate({})
        assert default == validated, name
        assert repr(default) == repr(validated), name
        assert default.model_fields_set == validated.model_fields_set == set(), name
        assert default.__pydantic_extra__ == validated.__pydantic_extra__, name


def test_a_profile_without_the_blocks_has_the_written_out_defaults() -> None:
    bare = load_profile_text("name: p\nservices:\n  web:\n    image: nginx\n", "p.yml").profile
    spelled = load_profile_text(
        "name: p\nservices:\n  web:\n    image: nginx\n"
        "defaults: {restart: unless-stopped, healthcheck: {}}\n"
        "policies: {restart: true, healthchecks: true, conditions: true, catalog: true,"
        " probes: true, project_name: true}\n"
        "kafka: {consumer_group: {}, listeners: {internal_port: 29092, external_port: 9092,"
        " external_host: localhost}}\n"
        "retention: {kafka: {}}\ntarget: {}\nkubernetes: {}\n",
        "p.yml",
    ).profile
    for block in ("defaults", "policies", "kafka", "retention", "target", "kubernetes"):
        assert getattr(bare, block) == getattr(spelled, block), block
    assert bare.defaults.restart == "unless-stopped"
    assert bare.kafka.listeners.external_host == "localhost"
    assert bare.policies.catalog is True
