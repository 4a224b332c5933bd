"""The docs stay current: every setting read from the environment is in the configuration
reference, the README links every document in docs/, and its tour is numbered once."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def environment_variables() -> set[str]:
    names = set()
    for path in [ROOT / "config" / "settings.py", *ROOT.glob("*/demo.py")]:
        text = path.read_text()
        names |= set(re.findall(r'env_(?:str|int|bool|list)\(\s*"([A-Z0-9_]+)"', text))
        names |= set(re.findall(r'^[A-Z_]+_ENV = "([A-Z0-9_]+)"', text, re.MULTILINE))
    return names


def test_every_environment_variable_is_in_the_configuration_reference():
    names = environment_variables()
    assert {"DJANGO_SECRET_KEY", "PSEUDONYM_KEY", "DATABASE_URL", "API_DEMO_TOKENS"} <= names
    reference = (ROOT / "docs" / "configuration.md").read_text()
    missing = sorted(n for n in names if f"`{n}`" not in reference)
    assert not missing, f"add these to docs/configuration.md: {missing}"


def test_the_settings_point_to_an_existing_configuration_reference():
    assert "docs/configuration.md" in (ROOT / "config" / "settings.py").read_text()
    assert (ROOT / "docs" / "configuration.md").is_file()


def test_the_readme_links_every_document():
    readme = (ROOT / "README.md").read_text()
    linked = set(re.findall(r"\]\((docs/[\w.-]+\.md)\)", readme))
    present = {f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md")}
    assert present - linked == set(), f"not linked from the README: {sorted(present - linked)}"
    assert linked - present == set(), f"linked but missing: {sorted(linked - present)}"


def test_the_tour_is_numbered_once_and_in_order():
    readme = (ROOT / "README.md").read_text()
    tour = readme.split("## A short tour", 1)[1].split("\n## ", 1)[0]
    numbers = [int(n) for n in re.findall(r"^(\d+)\. ", tour, re.MULTILINE)]
    assert numbers == list(range(1, len(numbers) + 1))


def test_the_data_model_names_every_model_of_every_app():
    """docs/data-model.md names each of our models as ``app_label.Model`` (in backticks)."""
    from django.apps import apps

    ours = {p.parent.name for p in ROOT.glob("*/apps.py")}
    text = (ROOT / "docs" / "data-model.md").read_text()
    models = [m for m in apps.get_models() if m._meta.app_label in ours]
    assert {"core", "accounts", "procurement", "monitoring", "api"} <= {
        m._meta.app_label for m in models
    }
    missing = sorted(
        f"{m._meta.app_label}.{m.__name__}"
        for m in models
        if f"`{m._meta.app_label}.{m.__name__}`" not in text
    )
    assert not missing, f"add these to docs/data-model.md: {missing}"
