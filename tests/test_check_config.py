"""`mailbot check-config`: every problem named with its file and key, exit 2."""

from conftest import REPO


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_example_config_is_valid(mailbot):
    result = mailbot("check-config", str(REPO / "config.example.toml"))
    assert result.returncode == 0, result.stderr


def test_unknown_key_is_named_and_exits_2(mailbot, tmp_path):
    config = write(tmp_path / "c.toml", "[policy]\ndefect_report_dys = 7\n")
    result = mailbot("check-config", config)
    assert result.returncode == 2
    assert "c.toml" in result.stderr and "policy.defect_report_dys" in result.stderr


def test_unknown_top_level_section_is_an_error(mailbot, tmp_path):
    result = mailbot("check-config", write(tmp_path / "c.toml", "[polcy]\n"))
    assert result.returncode == 2 and "polcy" in result.stderr


def test_wrong_type_is_named(mailbot, tmp_path):
    result = mailbot("check-config", write(tmp_path / "c.toml", '[classifier]\nmin_confidence = "high"\n'))
    assert result.returncode == 2 and "classifier.min_confidence" in result.stderr


def test_broken_toml_names_the_file(mailbot, tmp_path):
    result = mailbot("check-config", write(tmp_path / "c.toml", "[policy\n"))
    assert result.returncode == 2 and "c.toml" in result.stderr and "TOML" in result.stderr


def _rules_config(tmp_path, rule: str) -> str:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "10-x.toml").write_text(rule, encoding="utf-8")
    return write(tmp_path / "c.toml", '[policy]\nrules_dir = "rules"\n')


def test_unknown_check_is_named(mailbot, tmp_path):
    config = _rules_config(tmp_path, '[[rule]]\nname = "r"\ndescription = "d"\n'
                           'checks = [{ check = "has-photoz" }]\naction = "no_reply"\n')
    result = mailbot("check-config", config)
    assert result.returncode == 2
    assert "10-x.toml" in result.stderr and "has-photoz" in result.stderr


def test_misspelt_check_parameter_is_named(mailbot, tmp_path):
    config = _rules_config(tmp_path, '[[rule]]\nname = "r"\ndescription = "d"\n'
                           'checks = [{ check = "reported-within-window", dayz = 7 }]\naction = "no_reply"\n')
    result = mailbot("check-config", config)
    assert result.returncode == 2 and "dayz" in result.stderr


def test_rule_pointing_at_missing_template_is_named(mailbot, tmp_path):
    config = _rules_config(tmp_path, '[[rule]]\nname = "r"\ndescription = "d"\n'
                           'checks = [{ check = "has-evidence" }]\naction = "request_info"\n'
                           'template = "info/nowhere"\n')
    result = mailbot("check-config", config)
    assert result.returncode == 2 and "info/nowhere" in result.stderr


def test_template_with_undefined_variable_is_named(mailbot, tmp_path):
    import shutil
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    (templates / "en" / "order" / "status.txt.j2").write_text("Hello {{ custmer.name }}\n", encoding="utf-8")
    result = mailbot("check-config", write(tmp_path / "c.toml", '[reply]\ntemplates_dir = "templates"\n'))
    assert result.returncode == 2
    assert "status.txt.j2" in result.stderr and "custmer" in result.stderr


def test_undefined_variable_only_a_parcel_on_its_way_reaches_is_named(mailbot, tmp_path):
    import shutil
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    status = templates / "de" / "order" / "status.txt.j2"
    status.write_text(status.read_text(encoding="utf-8").replace("shipment.days_in_transit }}", "shipment.days }}", 1),
                      encoding="utf-8")
    result = mailbot("check-config", write(tmp_path / "c.toml", '[reply]\ntemplates_dir = "templates"\n'))
    assert result.returncode == 2
    assert str(status) in result.stderr and "days" in result.stderr


def test_send_mode_without_smtp_server_is_named(mailbot, tmp_path):
    result = mailbot("check-config", write(tmp_path / "c.toml", 'mode = "send"\n'))
    assert result.returncode == 2 and "delivery.smtp.host" in result.stderr


def test_account_password_variable_not_set_is_named(mailbot, tmp_path):
    config = write(tmp_path / "c.toml", '[[accounts]]\nname = "support"\nhost = "imap.example.com"\n'
                   'username = "support@keysme.com"\npassword_env = "MAILBOT_TEST_UNSET_PASSWORD"\n')
    result = mailbot("check-config", config, env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    assert "accounts.0.password_env" in result.stderr and "MAILBOT_TEST_UNSET_PASSWORD" in result.stderr


def test_misspelt_policy_setting_name_is_named(mailbot, tmp_path):
    config = _rules_config(tmp_path, '[[rule]]\nname = "r"\ndescription = "d"\n'
                           'checks = [{ check = "reported-within-window", days = "defect_report_dayz" }]\n'
                           'action = "no_reply"\n')
    result = mailbot("check-config", config)
    assert result.returncode == 2 and "defect_report_dayz" in result.stderr and "checks[0].days" in result.stderr


def test_bad_number_in_the_order_data_names_order_and_column(mailbot, tmp_path):
    from conftest import EXAMPLES
    rows = (EXAMPLES / "orders.csv").read_text(encoding="utf-8").splitlines()
    header, first = rows[0], rows[1].split(",")
    first[header.split(",").index("quantity")] = "two"
    (tmp_path / "orders.csv").write_text("\n".join([header, ",".join(first)]) + "\n", encoding="utf-8")
    result = mailbot("check-config", write(tmp_path / "c.toml", '[policy]\norders = "orders.csv"\n'))
    assert result.returncode == 2 and "orders.csv" in result.stderr and "quantity" in result.stderr
