"""The Kubernetes ConfigMap (deploy/k8s/base/config.env) holds every setting the services
read, generated from their settings classes: a setting added without regenerating it fails
here, instead of silently keeping its 127.0.0.1 default in a cluster."""

import re

from tests.support.k8s import config_env_module

LINE = re.compile(r"^(?:# )?(BATON_[A-Z0-9_]+)=")


def listed_variables(text: str) -> set[str]:
    """Set and commented-out (documented, unset) variables alike."""
    return {match[1] for line in text.splitlines() if (match := LINE.match(line))}


def test_config_env_is_up_to_date_with_the_settings_classes() -> None:
    config_env = config_env_module()
    assert config_env.CONFIG_ENV.read_text() == config_env.render(), (
        "run: .venv/bin/python deploy/k8s/config_env.py"
    )


def test_the_settings_table_is_up_to_date() -> None:
    config_env = config_env_module()
    assert config_env.SETTINGS_DOC.read_text() == config_env.render_doc(), (
        "run: .venv/bin/python deploy/k8s/config_env.py"
    )


def test_every_setting_is_in_the_configmap_the_secret_or_the_deployments() -> None:
    config_env = config_env_module()
    every_setting = {
        config_env.variable(name)
        for cls in config_env.SETTINGS_CLASSES
        for name in cls.model_fields
    }
    in_configmap = listed_variables(config_env.CONFIG_ENV.read_text())
    elsewhere = config_env.PER_POD | config_env.NOT_DEPLOYED | config_env.secret_variables()
    assert every_setting - elsewhere == in_configmap - set(config_env.SERVING_KEYS)
    assert not in_configmap & config_env.secret_variables()


def test_the_cluster_values_name_real_settings() -> None:
    config_env = config_env_module()
    assert set(config_env.CLUSTER_VALUES) <= set(config_env.config_defaults())


def test_the_secrets_are_the_secretstr_settings() -> None:
    assert config_env_module().secret_variables() == {
        "BATON_TOKEN_SECRET",
        "BATON_INGEST_API_TOKEN",
        "BATON_INBOX_SMTP_PASSWORD",
        "BATON_AGENT_LLM_API_KEY",
        "BATON_KAFKA_SASL_PASSWORD",
        "BATON_HANDOFF_API_TOKEN",
    }
