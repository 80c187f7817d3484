"""Project-name rules: each rejection names the fix; good names pass unchanged."""

import pytest
from quickscale_toolchain.errors import ExitCode, InvalidProjectName
from quickscale_toolchain.names import validate_project_name


@pytest.mark.parametrize("name", ["acme", "acme_site", "shop2", "_private"])
def test_good_names_pass(name: str) -> None:
    assert validate_project_name(name) == name


@pytest.mark.parametrize(
    ("name", "fragment", "hint"),
    [
        ("", "empty", "acme"),
        ("My-App", "not a valid project name", "try 'my_app'"),
        ("2fast", "not a valid project name", "try 'fast'"),
        ("Acme", "not a valid project name", "try 'acme'"),
        ("class", "Python keyword", "class_site"),
        ("match", "Python keyword", "match_site"),
        ("django", "shadow the 'django' module", "django_site"),
        ("test", "shadow the 'test' module", "test_site"),
        ("site", "shadow the 'site' module", "site_site"),
        ("json", "shadow the 'json' module", "json_site"),
        ("quickscale_core", "shadow the 'quickscale_core' module", "quickscale_core_site"),
        # Modules of the pinned distributions, from dependency_modules.json
        ("csp", "shadow the 'csp' module of django-csp", "csp_site"),
        ("stripe", "shadow the 'stripe' module of stripe", "stripe_site"),
        ("unfold", "shadow the 'unfold' module of django-unfold", "unfold_site"),
        ("py", "shadow the 'py' module of pytest", "py_site"),
        # What the project template ignores, or already has at its top
        ("venv", ".gitignore excludes 'venv/'", "venv_site"),
        ("__pycache__", ".gitignore excludes '__pycache__/'", "pycache_site"),
        ("scripts", "every project has 'scripts/' at its top", "scripts_site"),
        ("manage", "every project has 'manage.py' at its top", "manage_site"),
        # The project is the generated models' app label: django_content_type keeps 100
        ("q" * 101, "at most 100 (it is the Django app label", "'qqqqq"),
        ("a/b", "is a path", "bare name"),
        ("..", "is a path", "bare name"),
        ("a..b", "is a path", "bare name"),
        ("a\\b", "is a path", "bare name"),
    ],
)
def test_bad_names_are_rejected_with_a_fix(name: str, fragment: str, hint: str) -> None:
    with pytest.raises(InvalidProjectName) as caught:
        validate_project_name(name)
    error = caught.value
    assert fragment in error.message
    assert hint in error.hint
    assert error.exit_code == ExitCode.USAGE
    assert "\n" not in error.one_line()
