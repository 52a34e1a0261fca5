"""A guard for the test settings: a page that prints a Python object fails its test.

Django's template language calls a callable it is given, so ``{{ trend.explain }}``
printed the sentence; Jinja2 prints the callable itself, and after the move to Jinja2
every page's trending nav read ``<bound method Trend.explain of Trend(...)>`` with no
test noticing (issue #15). Jinja2 passes every ``{{ … }}`` value through the
environment's ``finalize`` before printing it: the test settings name
:func:`refuse_python_reprs` there, so printing a callable, a model instance, a
QuerySet, None, a container (list, tuple, dict, set) or an iterator (a generator,
a ``map``) raises instead of rendering its repr (issue #23). Objects that render
themselves as HTML (``__html__``: Markup, Django's form errors) print as meant.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jinja2
from django.db.models import Model, QuerySet


class PythonReprPrinted(TypeError):
    """A template printed a Python object where it meant one of its values."""


# Printed, these show Python's brackets and quotes ("['a', 'b']", "{'k': 1}") or an
# address ("<generator object ...>"): a template meant their items.
_CONTAINERS = (list, tuple, dict, set, frozenset, Iterator)


def refuse_python_reprs(value: Any) -> Any:
    """``value`` unchanged, unless printing it would show a Python repr."""
    if isinstance(value, jinja2.Undefined):
        return value  # StrictUndefined raises its own, clearer error
    if value is None:
        raise PythonReprPrinted(
            "A template printed None (a reader would see 'None'): test the value "
            "with {% if %} or give it a default (|default('', true))."
        )
    if hasattr(value, "__html__"):
        return value  # renders itself for templates (Markup, form errors)
    if isinstance(value, Model | QuerySet):
        raise PythonReprPrinted(
            f"A template printed the object {value!r}: print one of its fields "
            "(e.g. .name or .title)."
        )
    if callable(value):
        raise PythonReprPrinted(
            f"A template printed the callable {value!r}: call it (add '()')."
        )
    if isinstance(value, _CONTAINERS):
        raise PythonReprPrinted(
            f"A template printed the {type(value).__name__} {value!r}: loop over "
            "it or join its items (|join(', '))."
        )
    return value
