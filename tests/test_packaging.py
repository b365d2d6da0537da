"""A built wheel carries the templates, rules, sample data, corpus and trained model."""

import subprocess
import sys
import zipfile

import pytest

from conftest import REPO


@pytest.mark.slow
def test_wheel_contains_everything_a_plain_install_needs(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    wheel = next(tmp_path.glob("mailbot-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("mailbot/_data/templates/en/defect/acknowledge.txt.j2",
                     "mailbot/_data/templates/de/defect/acknowledge.txt.j2",
                     "mailbot/_data/templates/pt/partials/language-note.txt.j2",
                     "mailbot/_data/templates/layout.html.j2",
                     "mailbot/_data/rules/20-defects.toml",
                     "mailbot/_data/examples/orders.csv",
                     "mailbot/_data/nlp/config.cfg",
                     "mailbot/classify/intent_model/meta.json",
                     "mailbot/classify/intent_model/textcat/model"):
        assert required in names, f"{required} missing from {wheel.name}"
    assert any(n.startswith("mailbot/_data/examples/inbox/cur/") for n in names)
