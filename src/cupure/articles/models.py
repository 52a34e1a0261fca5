"""Articles as readers see them: extracted from the publisher's page, raw HTML kept."""

from __future__ import annotations

from django.db import models

from cupure.web.paths import page_path


class ArticleQuerySet(models.QuerySet):
    def copies(self) -> ArticleQuerySet:
        """Only copies of other articles. Saying "IS NOT NULL" lets the database use
        the partial index on ``duplicate_of`` (see Article.Meta) for lookups such as
        ``duplicate_of IN (…)``, which it cannot prove non-null by itself."""
        return self.filter(duplicate_of__isnull=False)


class Article(models.Model):
    """One article from one publisher, unique by its canonical URL."""

    publisher = models.ForeignKey(
        "sources.Publisher", on_delete=models.CASCADE, related_name="articles"
    )
    url = models.URLField(max_length=2000)
    canonical_url = models.URLField(max_length=2000, unique=True)
    title = models.TextField()
    slug = models.SlugField(max_length=200, allow_unicode=True, blank=True)
    byline = models.CharField(max_length=500, blank=True)  # people only
    # The site or agency credited when no person is ("Reuters", "Gazette Staff").
    credit = models.CharField(max_length=300, blank=True)
    published = models.DateTimeField(db_index=True)
    # Which witness gave ``published`` ("jsonld:datePublished", "feed:published",
    # "first-seen", ...; see cupure.extract.dates), so a wrong date can be explained.
    published_source = models.CharField(max_length=60, blank=True)
    # A later update the publisher declared (shown as "Updated ..."), when known.
    updated = models.DateTimeField(null=True, blank=True)
    # Why the date was chosen and every plausible witness considered:
    # {"reason": str, "candidates": [{"source", "kind", "value"}]}.
    date_evidence = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=20, blank=True)
    site_name = models.CharField(max_length=300, blank=True)
    summary = models.TextField(blank=True)
    # The line the publisher set under the headline (a standfirst or dek), shown
    # there and used as the summary; empty when the page has none.
    standfirst = models.TextField(blank=True)
    paragraphs = models.JSONField(default=list)
    # What each paragraph is on the publisher's page ("p", "h2", "li", "row", ...;
    # cupure.extract.body), parallel to ``paragraphs``; empty when not known (an
    # article imported as text, or stored before kinds were kept): all paragraphs.
    block_kinds = models.JSONField(default=list, blank=True)
    lead_image_src = models.URLField(max_length=2000, blank=True)
    lead_image_caption = models.TextField(blank=True)
    lead_image_credit = models.CharField(max_length=500, blank=True)
    # Store raw input, derive the rest: re-extraction needs nothing but this.
    raw_html = models.TextField(blank=True)
    story = models.ForeignKey(
        "stories.Story",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    # A (near-)verbatim copy of an earlier article (syndicated wire copy): shown as
    # "also published by" on the original instead of as an article of its own.
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        # Indexed only where set (see Meta): an index over the 94% of NULLs led
        # SQLite to pick it for "originals, newest first" and sort them all.
        db_index=False,
    )
    # The "id" an imported record carried (any JSON value), given back on export.
    external_id = models.JSONField(null=True, blank=True)
    # Order in which articles were put in stories, across every process: a process
    # replays the assignments it has not seen before deciding (stories.services).
    story_seq = models.BigIntegerField(null=True, blank=True, unique=True)
    # MinHash of the body (cupure.text.fingerprint), kept to rebuild the copy index.
    signature = models.JSONField(default=list, blank=True)
    # The publisher's robots signals on the page (meta robots, X-Robots-Tag,
    # googlebot-news) as cupure.rights.policy.Signals.to_json(): what was found.
    robots = models.JSONField(default=dict, blank=True)
    extracted_at = models.DateTimeField(auto_now_add=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "-id"]
        indexes = [
            models.Index(
                fields=["duplicate_of"],
                condition=models.Q(duplicate_of__isnull=False),
                name="article_copies_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return page_path("web:article", pk=self.pk, slug=self.slug or "-")

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


class FeedEntryDates(models.Model):
    """The dates a feed gave for one entry, as the feed wrote them (the entry's own
    ``published`` falls back to ``updated`` and then to the fetch time), kept until
    the entry's article is stored and its date chosen."""

    entry = models.OneToOneField(
        "sources.Entry",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="feed_dates",
    )
    published = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "feed entry dates"

    def __str__(self) -> str:
        return f"{self.published or '-'} / {self.updated or '-'}"


class Figure(models.Model):
    """An image inside the article body, kept where the publisher placed it."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="figures"
    )
    # How many body paragraphs come before this figure.
    position = models.PositiveIntegerField()
    src = models.URLField(max_length=2000)
    caption = models.TextField(blank=True)
    credit = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.caption or self.src
