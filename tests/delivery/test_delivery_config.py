"""The [delivery] section: every key has a default and is checked when the config loads."""

from __future__ import annotations

import pytest

from mailbot.config import load_config
from mailbot.errors import ConfigError


def load(tmp_path, text: str):
    path = tmp_path / "c.toml"
    path.write_text(text)
    return load_config(path)


def test_defaults_draft_mode_tls_and_the_safe_allowlist(tmp_path):
    config = load(tmp_path, "")
    d = config.delivery
    assert config.mode == "draft"
    assert d.smtp.tls == "implicit" and d.smtp.smtp_port() == 465 and not d.smtp.allow_plaintext
    assert d.auto_send_actions == ["order_status_info", "request_info"]
    assert d.auto_send_commitments == [] and d.max_auto_replies_per_thread_per_day == 1
    assert d.imap_account == "" and d.drafts_folder == "Drafts" and d.sent_folder == "Sent"


@pytest.mark.parametrize("text, key, words", [
    ('[delivery]\nauto_send_actions = ["refund_everything"]\n', "delivery.auto_send_actions", "unknown actions"),
    ('[delivery]\nauto_send_commitments = ["order_status_info"]\n', "delivery.auto_send_commitments",
     "not actions or intents that touch money"),
    ('[delivery]\nauto_send_min_confidence = 1.5\n', "delivery.auto_send_min_confidence", "less than or equal"),
    ('[delivery]\nblock_list = ["a b@x"]\n', "delivery.block_list", "entries must be"),
    ('[delivery]\nsupport_addresses = ["Support <s@k.com>"]\n', "delivery.support_addresses", "plain address"),
    ('[delivery]\nsmtp_host = "x"\n', "delivery.smtp_host", "unknown key"),
    ('[delivery.smtp]\nhost = "mail.example.com"\ntls = "none"\nallow_plaintext = true\n', "delivery.smtp.tls",
     "only to a loopback host"),
    ('[delivery.smtp]\nhost = "127.0.0.1"\ntls = "none"\n', "delivery.smtp.tls", "allow_plaintext"),
    ('[delivery.smtp]\nhost = "m.example.com"\nusername = "u"\n', "delivery.smtp.password_env", "needs password_env"),
    ('[delivery.smtp]\npassword_env = "not a name"\n', "delivery.smtp.password_env", "pattern"),
    ('[delivery]\nimap_account = "nope"\n', "delivery", "no account named 'nope'"),
    ('[delivery]\nretry_initial_seconds = 10\nretry_max_seconds = 5\n', "delivery.retry_max_seconds", "at least"),
])
def test_a_wrong_key_names_the_file_and_the_key(tmp_path, text, key, words):
    with pytest.raises(ConfigError) as e:
        load(tmp_path, text)
    assert e.value.key == key
    assert "c.toml" in str(e.value) and words in str(e.value)


def test_plain_smtp_to_loopback_when_the_config_says_so(tmp_path):
    config = load(tmp_path, '[delivery.smtp]\nhost = "127.0.0.1"\nport = 2525\ntls = "none"\nallow_plaintext = true\n')
    assert config.delivery.smtp.smtp_port() == 2525


def test_the_example_config_loads_and_lists_every_delivery_key(tmp_path):
    from pathlib import Path

    from mailbot.config import DeliveryConfig, SmtpConfig

    example = Path(__file__).resolve().parents[2] / "config.example.toml"
    load_config(example)
    text = example.read_text()
    for key in (*DeliveryConfig.model_fields, *SmtpConfig.model_fields):
        if key != "smtp":
            assert f"\n{key} = " in text or f"\n# {key} = " in text, f"{key} missing from config.example.toml"
