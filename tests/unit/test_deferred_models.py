"""Every core model builds its validator at its first use, not at import: a process pays
only for the models it uses (the default `dojobot run` reading `/quit` uses a handful of
some 130)."""

from __future__ import annotations

import importlib
import pkgutil

from pydantic import BaseModel

import core


def _core_models() -> list[type[BaseModel]]:
    """Every pydantic model defined in a module of `core` (its test helpers included)."""
    for module in pkgutil.walk_packages(core.__path__, "core."):
        importlib.import_module(module.name)
    found: list[type[BaseModel]] = []
    pending = list(BaseModel.__subclasses__())
    while pending:
        model = pending.pop()
        pending += model.__subclasses__()
        if model.__module__.split(".")[0] == "core":
            found.append(model)
    return found


def test_every_core_model_defers_its_build() -> None:
    models = _core_models()
    assert len(models) > 100  # the walk really found the core's models
    eager = [
        f"{m.__module__}.{m.__qualname__}" for m in models if not m.model_config.get("defer_build")
    ]
    assert eager == []


def test_every_core_model_builds_when_first_used() -> None:
    """Deferred is not broken: a model whose annotations cannot be resolved would fail only
    at its first use in production; here every one is built."""
    broken = []
    for model in _core_models():
        try:
            model.model_rebuild(force=True, raise_errors=True)
        except Exception as error:  # any failure to build is what this test reports
            broken.append(f"{model.__module__}.{model.__qualname__}: {error}")
    assert broken == []
