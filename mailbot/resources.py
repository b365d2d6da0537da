"""Where the bundled templates, rules, model and sample data live.

In a source checkout (or an editable install) they sit at the repository root;
a built wheel carries them inside the package under `_data/` (see
pyproject.toml's force-include), so a plain `pip install .` finds them too.
"""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """The bundled folder `name`: "templates", "rules", "examples" or "nlp"."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"bundled folder {name!r} is missing from the installation")
