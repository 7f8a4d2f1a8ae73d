"""lint.model.env_value: one environment entry of a compose service, in either form, as
compose passes it (the rules ask a dozen names of each service: a map is looked up, not
listed)."""

from __future__ import annotations

from stackgen.lint.model import env_value, environment


def test_map_form_by_name_with_compose_s_text_of_each_value() -> None:
    service = {"environment": {"KAFKA_A": "x", "KAFKA_B": True, "KAFKA_C": None, "KAFKA_D": 5}}
    assert env_value(service, "KAFKA_A") == ("x", ("environment", "KAFKA_A"))
    assert env_value(service, "KAFKA_B") == ("true", ("environment", "KAFKA_B"))
    assert env_value(service, "KAFKA_C") == (None, ("environment", "KAFKA_C"))  # unset: host's
    assert env_value(service, "KAFKA_D") == ("5", ("environment", "KAFKA_D"))
    assert env_value(service, "KAFKA_E") is None
    assert env_value({}, "KAFKA_A") is None


def test_list_form_by_name_at_its_index() -> None:
    service = {"environment": ["KAFKA_A=x=y", "KAFKA_B", "KAFKA_A=later"]}
    assert env_value(service, "KAFKA_A") == ("x=y", ("environment", 0))  # the first one
    assert env_value(service, "KAFKA_B") == (None, ("environment", 1))


def test_keys_that_are_not_text_match_by_their_text() -> None:
    # a key read as a number or bool (a YAML 1.1 file) is the text compose sees
    service = {"environment": {8080: "port", True: "yes", "KAFKA_A": "a"}}
    assert env_value(service, "8080") == ("port", ("environment", "8080"))
    assert env_value(service, "True") == ("yes", ("environment", "True"))
    assert env_value(service, "KAFKA_A") == ("a", ("environment", "KAFKA_A"))
    assert [k for k, _, _ in environment(service)] == ["8080", "True", "KAFKA_A"]
