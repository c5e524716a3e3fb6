"""The web frameworks the Python rules understand, one module each, registered in ``FRAMEWORKS``.

Adding a framework: write ``frameworks/<name>.py`` with a ``Framework`` subclass (how it declares routes, how
auth attaches, how it configures CORS) and add it here; framework-neutral facts go in ``scanner.knowledge``.
"""

from __future__ import annotations

from scanner.engines.python.frameworks.base import Framework, Route
from scanner.engines.python.frameworks.django import Django
from scanner.engines.python.frameworks.fastapi import FastAPI
from scanner.engines.python.frameworks.flask import Flask
from scanner.engines.python.frameworks.litestar import Litestar
from scanner.engines.python.frameworks.ninja import Ninja
from scanner.engines.python.frameworks.starlette import Starlette

#: Name -> framework, in the order a function is offered to them (FastAPI before Flask: both use ``@x.get``;
#: Django Ninja before Django, whose views take ``request`` too).
FRAMEWORKS: dict[str, Framework] = {
    "fastapi": FastAPI(),
    "flask": Flask(),
    "ninja": Ninja(),
    "django": Django(),
    "starlette": Starlette(),
    "litestar": Litestar(),
}

__all__ = ["FRAMEWORKS", "Framework", "Route"]
