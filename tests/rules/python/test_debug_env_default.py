"""LR604 and debug read from the environment: a fallback that switches debug on (``default=True``, ``"True"``,
``"1"``) is on in every deploy that does not set the variable; a fallback that switches it off is the safe shape."""

from __future__ import annotations

import pytest

from tests.rules.python.helpers import lines_of, run

SETTINGS = "import os\nfrom decouple import config\nINSTALLED_APPS = []\nDEBUG = {value}\n"
FLASK = "import os\nfrom flask import Flask\napp = Flask(__name__)\n\nif __name__ == '__main__':\n" \
        "    app.run(debug={value})\n"


@pytest.mark.parametrize("value", [
    "config('DEBUG', default=True, cast=bool)",
    "config('DEBUG', default='True', cast=bool)",
    "os.getenv('DEBUG', 'True') == 'True'",
    "os.environ.get('DJANGO_DEBUG', 'true').lower() in ('1', 'true', 'yes')",
    "bool(int(os.getenv('DEBUG', 1)))",
    "os.getenv('DEBUG', 'True') != 'False'",
    "os.getenv('DEBUG') != 'False'",
    "os.environ.get('DEBUG') not in ('0', 'false', 'False')",
])
def test_django_debug_with_an_on_fallback_is_reported(value: str) -> None:
    result = run(SETTINGS.format(value=value), "mysite/settings.py")
    assert lines_of(result, "LR604") == [4]


@pytest.mark.parametrize("value", [
    "config('DEBUG', default=False, cast=bool)",
    "os.getenv('DEBUG', 'False') == 'True'",
    "os.environ.get('DJANGO_DEBUG', '0') == '1'",
    "os.getenv('DEBUG') == 'True'",
    "config('DEBUG', cast=bool)",
    "os.environ.get('DEBUG', 'False').lower() in ('1', 'true')",
    "os.getenv('DEBUG') in ('1', 'true')",
    "bool(os.getenv('DEBUG'))",
])
def test_django_debug_with_an_off_fallback_is_not_reported(value: str) -> None:
    assert lines_of(run(SETTINGS.format(value=value), "mysite/settings.py"), "LR604") == []


def test_flask_run_with_an_on_fallback_is_reported() -> None:
    result = run(FLASK.format(value="os.getenv('FLASK_DEBUG', 'True').lower() == 'true'"))
    assert lines_of(result, "LR604") == [6]


def test_flask_run_with_an_off_fallback_is_not_reported() -> None:
    assert lines_of(run(FLASK.format(value="os.getenv('FLASK_DEBUG', 'false').lower() == 'true'")), "LR604") == []


def test_flask_config_class_reading_debug_with_an_on_fallback_is_reported() -> None:
    config = "import os\n\nclass Config:\n    DEBUG = os.environ.get('DEBUG', 'True') == 'True'\n"
    app = "from flask import Flask\nfrom config import Config\napp = Flask(__name__)\napp.config.from_object(Config)\n"
    assert lines_of(run(config, "config.py", (("app.py", app),)), "LR604") == [4]


def test_a_settings_module_for_development_is_not_reported() -> None:
    result = run(SETTINGS.format(value="config('DEBUG', default=True, cast=bool)"), "mysite/settings/local.py")
    assert lines_of(result, "LR604") == []
