"""A guard for the test settings: a page that prints a Python object fails its test.

Django's template language calls a callable it is given, so ``{{ trend.explain }}``
printed the sentence; Jinja2 prints the callable itself, and after the move to Jinja2
every page's trending nav read ``<bound method Trend.explain of Trend(...)>`` with no
test noticing (issue #15). Jinja2 passes every ``{{ … }}`` value through the
environment's ``finalize`` before printing it: the test settings name
:func:`refuse_python_reprs` there, so printing a callable, a model instance or a
QuerySet raises instead of rendering its repr.
"""

from __future__ import annotations

from typing import Any

import jinja2
from django.db.models import Model, QuerySet


class PythonReprPrinted(TypeError):
    """A template printed a Python object where it meant one of its values."""


def refuse_python_reprs(value: Any) -> Any:
    """``value`` unchanged, unless printing it would show a Python repr."""
    if isinstance(value, jinja2.Undefined):
        return value  # StrictUndefined raises its own, clearer error
    if isinstance(value, Model | QuerySet):
        raise PythonReprPrinted(
            f"A template printed the object {value!r}: print one of its fields "
            "(e.g. .name or .title)."
        )
    if callable(value):
        raise PythonReprPrinted(
            f"A template printed the callable {value!r}: call it (add '()')."
        )
    return value
