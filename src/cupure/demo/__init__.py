"""Fictional demo publishers served on loopback for ``cupure demo``.

Six invented outlets (five papers and a wire agency) in an invented port city,
Kessel, each with its own page layout and feeds in RSS 2.0, Atom 1.0 and JSON
Feed 1.1. Their 45 articles report 19 events over the 48 hours before the
server's "now", so the real pipeline (poll, fetch, extract, cluster, trend) has
something realistic to chew on without the internet.

- ``server``: ``DemoPublishers`` (the HTTP server) and ``DemoFeed``
- ``site``: routing and rendering, a pure function of (catalog, base URL, now)
- ``catalog``: the publishers and the parsed content of ``content/events/*.txt``
- ``layouts``, ``feeds``, ``images``: HTML, feed documents, generated pictures

No Django here.
"""
