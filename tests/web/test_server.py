"""A serving process is prepared before its first request (cupure.wsgi)."""

from __future__ import annotations

import gc

from django.template import engines

from cupure.web.server import worker_ready


def test_worker_ready_compiles_the_pages_and_freezes_what_is_loaded() -> None:
    environment = engines["jinja2"].env
    environment.cache.clear()
    try:
        worker_ready()
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
    names = environment.list_templates()
    assert "web/story_detail.html" in names
    compiled = {template.name for template in environment.cache.values()}
    assert compiled == set(names)
