"""Our vendor detectors, one small module per vendor or vendor group. Each module carries its detectors (format
spec cited in the docstring, look-alike ``NEGATIVES``, a ``sample`` true positive built from the format) and the
``SPECS`` rows of the rules it reports; this package finds them, so adding a vendor is adding one file here.

``ALL`` is every detector, ordered by ``priority`` then module and definition order (the order only fixes the
prefilter's iteration: overlapping hits are resolved by priority, position and length, not by this order);
``SPECS`` is every rule row, by code."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from scanner.keys.detectors.base import PUBLIC, Detector, Hit
from scanner.keys.detectors.private_key import PrivateKeyDetector
from scanner.keys.spec import KeySpec


def _modules() -> list[ModuleType]:
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name != "base")
    return [importlib.import_module(f"{__name__}.{name}") for name in names]


def _detectors(modules: list[ModuleType]) -> tuple[Detector, ...]:
    found: list[tuple[int, int, int, Detector]] = []
    for index, module in enumerate(modules):
        for order, cls in enumerate(vars(module).values()):  # a module's dict keeps definition order
            if isinstance(cls, type) and issubclass(cls, Detector) and cls.__module__ == module.__name__:
                found.append((cls.priority, index, order, cls()))
    return tuple(d for *_, d in sorted(found, key=lambda t: t[:3]))


def _specs(modules: list[ModuleType]) -> tuple[KeySpec, ...]:
    specs = [spec for module in modules for spec in getattr(module, "SPECS", ())]
    return tuple(sorted(specs, key=lambda s: s.id))


_MODULES = _modules()
#: Every vendor detector. When two hits overlap, the lower ``priority`` wins (then position and length).
ALL: tuple[Detector, ...] = _detectors(_MODULES)
PRIVATE_KEY = PrivateKeyDetector()  # its two-line header check is called directly
#: Every rule row the detector files declare, by code.
SPECS: tuple[KeySpec, ...] = _specs(_MODULES)

__all__ = ["ALL", "PRIVATE_KEY", "PUBLIC", "SPECS", "Detector", "Hit"]
