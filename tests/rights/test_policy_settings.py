"""Where a publisher's display policy is set: new publishers, `cupure add-feed
--policy`, an OPML attribute on import (and back on export), the admin."""

from __future__ import annotations

from pathlib import Path

import pytest

from cupure.sources.models import Publisher
from cupure.sources.services import opml_export, opml_import, publisher_get_or_create
from tests.test_cli import LOOPBACK_ONLY, cupure

OPML = b"""<?xml version="1.0"?>
<opml version="2.0"><head><title>subs</title></head><body>
<outline text="Licensed" xmlUrl="http://127.0.0.1:9/licensed.xml" displayPolicy="full"/>
<outline text="Plain" xmlUrl="http://127.0.0.1:9/plain.xml"/>
<outline text="Odd" xmlUrl="http://127.0.0.1:9/odd.xml" displaypolicy="public"/>
</body></opml>"""


@pytest.mark.django_db
def test_new_publishers_show_excerpts_unless_told() -> None:
    assert publisher_get_or_create(name="New Paper").display_policy == "excerpt"
    assert (
        publisher_get_or_create(
            name="New Paper", display_policy="headline"
        ).display_policy
        == "headline"
    )
    # Unsaid leaves it as it is.
    assert publisher_get_or_create(name="New Paper").display_policy == "headline"
    with pytest.raises(ValueError, match="unknown display policy"):
        publisher_get_or_create(name="New Paper", display_policy="public")


@pytest.mark.django_db
def test_opml_attribute_on_import_and_export(settings) -> None:
    settings.CUPURE_FETCH_ALLOW_PRIVATE = "127.0.0.1/32"
    lines = [str(line) for line in opml_import(content=OPML)]
    assert lines[:2] == [
        "added: http://127.0.0.1:9/licensed.xml",
        "added: http://127.0.0.1:9/plain.xml",
    ]
    assert lines[2].startswith("refused: http://127.0.0.1:9/odd.xml (displayPolicy:")
    assert "unknown display policy 'public'" in lines[2]
    policies = dict(Publisher.objects.values_list("name", "display_policy"))
    assert policies == {"Licensed": "full", "Plain": "excerpt"}
    exported = opml_export().decode()
    assert 'displayPolicy="full"' in exported
    assert 'displayPolicy="excerpt"' in exported


def test_add_feed_policy(tmp_path: Path) -> None:
    added = cupure(
        "add-feed",
        "http://127.0.0.1:9/feed.xml",
        "--publisher",
        "Wire Service",
        "--policy",
        "full",
        home=tmp_path,
        **LOOPBACK_ONLY,
    )
    assert added.returncode == 0, added.stderr
    assert "display policy full" in added.stderr
    refused = cupure(
        "add-feed",
        "http://127.0.0.1:9/other.xml",
        "--policy",
        "all",
        home=tmp_path,
        **LOOPBACK_ONLY,
    )
    assert refused.returncode == 2
    assert "unknown display policy 'all'" in refused.stderr


@pytest.mark.django_db
def test_admin_edits_the_policy(staff_client) -> None:
    """The publisher list edits each policy in place."""
    staff_client, _ = staff_client
    publisher = publisher_get_or_create(name="Harbour Herald")
    page = staff_client.get("/admin/sources/publisher/")
    assert page.status_code == 200
    assert b'name="form-0-display_policy"' in page.content
    change = staff_client.get(f"/admin/sources/publisher/{publisher.pk}/change/")
    assert b'name="display_policy"' in change.content
