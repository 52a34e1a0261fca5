"""HTML for the demo publishers: one deliberately different look per publisher.

Real news pages bury the article in menus, banners, share buttons, related links,
newsletter boxes and comments, and every CMS marks up figures and bylines its own
way. The layouts here reproduce that variety (semantic ``<article>``/``<figure>``,
``div`` soup with ``class="story-body"``, ``<picture>``/``srcset``, caption and
credit in separate elements, JSON-LD, ad slots) so the extractor is exercised on
the same kinds of markup it meets in the wild.

Everything from the content files is escaped here; the pages contain no script
that runs (JSON-LD is data).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape

from cupure.demo.catalog import (
    Article,
    Block,
    BulletList,
    Figure,
    InlineFigure,
    Paragraph,
    Publisher,
    Subheading,
)
from cupure.demo.images import INLINE_SIZE, LEAD_SIZE

FICTION_NOTICE = (
    "Fictional publisher for the cupure demo — all people, places and events are "
    "invented"
)

ImageUrl = Callable[[str, tuple[int, int]], str]


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Comment:
    name: str
    when: str
    text: str
    likes: int


@dataclass(frozen=True)
class FeedLinks:
    rss: str
    atom: str
    json: str


@dataclass(frozen=True)
class ArticlePage:
    """Everything a layout needs to render one article page."""

    publisher: Publisher
    article: Article
    url: str
    home_url: str
    published: datetime
    image_url: ImageUrl
    feeds: FeedLinks
    breaking: Link
    related: tuple[Link, ...]
    comments: tuple[Comment, ...]
    original: Link | None  # the wire's original page when this is a copy
    original_publisher: str | None


@dataclass(frozen=True)
class HomeItem:
    article: Article
    url: str
    published: datetime


@dataclass(frozen=True)
class HomePage:
    publisher: Publisher
    home_url: str
    image_url: ImageUrl
    feeds: FeedLinks
    breaking: Link
    items: tuple[HomeItem, ...]


def e(text: str) -> str:
    """Escape text for element content and double-quoted attributes."""
    return escape(text, quote=True)


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _head(page: ArticlePage, extra: str = "") -> str:
    a, p = page.article, page.publisher
    lead = page.image_url(a.lead.image_id, LEAD_SIZE)
    return f"""<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(a.headline)} | {e(p.name)}</title>
<meta name="description" content="{e(a.summary)}">
<meta name="author" content="{e(a.author)}">
<meta property="og:type" content="article">
<meta property="og:title" content="{e(a.headline)}">
<meta property="og:description" content="{e(a.summary)}">
<meta property="og:url" content="{e(page.url)}">
<meta property="og:image" content="{e(lead)}">
<meta property="og:image:width" content="{LEAD_SIZE[0]}">
<meta property="og:image:height" content="{LEAD_SIZE[1]}">
<meta property="og:site_name" content="{e(p.name)}">
<meta property="article:published_time" content="{_iso(page.published)}">
<meta property="article:section" content="{e(a.section)}">
<meta name="twitter:card" content="summary_large_image">
<link rel="canonical" href="{e(page.url)}">
{_feed_links(page.feeds, p.name)}
{extra}</head>"""


def _feed_links(feeds: FeedLinks, name: str) -> str:
    return (
        f'<link rel="alternate" type="application/rss+xml" title="{e(name)} (RSS)" '
        f'href="{e(feeds.rss)}">\n'
        f'<link rel="alternate" type="application/atom+xml" '
        f'title="{e(name)} (Atom)" href="{e(feeds.atom)}">\n'
        f'<link rel="alternate" type="application/feed+json" '
        f'title="{e(name)} (JSON Feed)" href="{e(feeds.json)}">'
    )


def _home_head(page: HomePage) -> str:
    p = page.publisher
    return f"""<head>
<meta charset="utf-8">
<title>{e(p.name)} — {e(p.tagline)}</title>
<meta name="description" content="{e(p.tagline)}. {e(FICTION_NOTICE)}.">
<meta property="og:site_name" content="{e(p.name)}">
<link rel="canonical" href="{e(page.home_url)}">
{_feed_links(page.feeds, p.name)}
</head>"""


def _body_blocks(blocks: tuple[Block, ...], figure: Callable[[Figure], str]) -> str:
    out = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(f"<p>{e(block.text)}</p>")
        elif isinstance(block, Subheading):
            out.append(f"<h2>{e(block.text)}</h2>")
        elif isinstance(block, BulletList):
            items = "".join(f"<li>{e(item)}</li>" for item in block.items)
            out.append(f"<ul>{items}</ul>")
        elif isinstance(block, InlineFigure):
            out.append(figure(block.figure))
    return "\n".join(out)


def _comments_list(comments: tuple[Comment, ...], cls: str) -> str:
    return "\n".join(
        f'<li class="{cls}"><strong class="{cls}__name">{e(c.name)}</strong> '
        f'<span class="{cls}__when">{e(c.when)}</span>'
        f'<p class="{cls}__text">{e(c.text)}</p>'
        f'<button type="button">Reply</button> <span class="{cls}__likes">'
        f"{c.likes} likes</span></li>"
        for c in comments
    )


def _related_list(related: tuple[Link, ...]) -> str:
    return "".join(f'<li><a href="{e(r.url)}">{e(r.title)}</a></li>' for r in related)


SECTIONS = ("News", "Politics", "Business", "Sport", "Culture", "Weather", "Opinion")


def _nav_items(home: str) -> str:
    return "".join(
        f'<li><a href="{e(home)}#{s.lower()}">{s}</a></li>' for s in SECTIONS
    )


def _syndication_note(page: ArticlePage, cls: str) -> str:
    if page.original is None:
        return ""
    return (
        f'<p class="{cls}">This story was first published by '
        f'<a href="{e(page.original.url)}">{e(page.original_publisher or "")}</a>'
        " and is republished with permission.</p>"
    )


# ---------------------------------------------------------------- The Harbour Herald


def _herald_figure(
    page: ArticlePage, fig: Figure, cls: str, size: tuple[int, int]
) -> str:
    src = page.image_url(fig.image_id, size)
    return (
        f'<figure class="{cls}">'
        f'<img src="{e(src)}" alt="{e(fig.caption)}" width="{size[0]}" '
        f'height="{size[1]}">'
        f"<figcaption>{e(fig.caption)} "
        f'<span class="credit">Photograph: {e(fig.credit)}</span></figcaption>'
        "</figure>"
    )


def herald_article(page: ArticlePage) -> str:
    a, p = page.article, page.publisher
    when = page.published.strftime("%a %d %b %Y %H.%M UTC")
    body = _body_blocks(
        a.blocks, lambda f: _herald_figure(page, f, "story__figure", INLINE_SIZE)
    )
    return f"""<!DOCTYPE html>
<html lang="{p.language}">
{_head(page)}
<body class="herald">
<div class="cookie-notice" role="dialog"><p>We use cookies to improve your
experience and to show you relevant advertising. <a href="#privacy">Read our
privacy policy</a>.</p><button>Accept all</button><button>Manage settings</button></div>
<div class="fiction-banner">{e(FICTION_NOTICE)}.</div>
<header class="masthead">
<a class="masthead__logo" href="{e(page.home_url)}">{e(p.name)}</a>
<p class="masthead__tagline">{e(p.tagline)}</p>
<nav class="primary-nav" aria-label="Sections">
<ul>{_nav_items(page.home_url)}</ul></nav>
</header>
<div class="breaking-strip"><span class="breaking-strip__label">Breaking news</span>
<a href="{e(page.breaking.url)}">{e(page.breaking.title)}</a></div>
<main>
<article class="story">
<header class="story__header">
<p class="story__kicker">{e(a.section.title())}</p>
<h1 class="headline">{e(a.headline)}</h1>
<p class="standfirst">{e(a.summary)}</p>
<p class="byline">By <a rel="author" href="{e(page.home_url)}#staff">{e(a.author)}</a>
· <time datetime="{_iso(page.published)}">{when}</time></p>
</header>
{_herald_figure(page, a.lead, "story__lead", LEAD_SIZE)}
<aside class="share"><span>Share this article</span>
<a href="#share-facebook">Facebook</a> <a href="#share-x">X</a>
<a href="#share-email">Email</a> <a href="#share-link">Copy link</a></aside>
<div class="story__body">
{body}
{_syndication_note(page, "story__syndication")}
</div>
</article>
<aside class="related"><h2>Related stories</h2>
<ul>{_related_list(page.related)}</ul></aside>
<section class="newsletter"><h2>The Morning Tide</h2><p>Kessel's news in your inbox
before breakfast, every weekday.</p><form><input type="email" placeholder="Your email">
<button>Sign me up</button></form></section>
<section id="comments" class="comments"><h2>Comments ({len(page.comments)})</h2>
<p class="comments__rules">Comments are moderated. Please keep it civil.</p>
<ol>{_comments_list(page.comments, "comment")}</ol></section>
</main>
<footer class="site-footer"><ul><li><a href="#about">About us</a></li>
<li><a href="#contact">Contact</a></li><li><a href="#privacy">Privacy</a></li>
<li><a href="#terms">Terms</a></li><li><a href="{e(page.feeds.rss)}">RSS</a></li></ul>
<p>© {e(p.name)}. {e(FICTION_NOTICE)}.</p></footer>
</body>
</html>
"""


# ---------------------------------------------------------------- Kessel Evening Post


def _post_image(page: ArticlePage, fig: Figure, cls: str, size: tuple[int, int]) -> str:
    src = page.image_url(fig.image_id, size)
    return (
        f'<div class="{cls}"><img src="{e(src)}" alt=""></div>\n'
        f'<p class="caption">{e(fig.caption)}</p>'
        f'<span class="credit">Picture: {e(fig.credit)}</span>'
    )


def _post_blocks(page: ArticlePage) -> str:
    out = []
    for block in page.article.blocks:
        if isinstance(block, Paragraph):
            out.append(f'<p class="para">{e(block.text)}</p>')
        elif isinstance(block, Subheading):
            out.append(f'<h3 class="crosshead">{e(block.text)}</h3>')
        elif isinstance(block, BulletList):
            out.append(
                '<ul class="bullets">'
                + "".join(f"<li>{e(i)}</li>" for i in block.items)
                + "</ul>"
            )
        elif isinstance(block, InlineFigure):
            out.append(_post_image(page, block.figure, "inline-img", INLINE_SIZE))
    return "\n".join(out)


def post_article(page: ArticlePage) -> str:
    a, p = page.article, page.publisher
    when = page.published.strftime("%d/%m/%Y %H:%M")
    return f"""<!DOCTYPE html>
<html lang="{p.language}">
{_head(page)}
<body>
<div id="cookie-consent" class="cookie-bar">This site uses cookies. By continuing to
browse you agree to our use of cookies. <a href="#cookies">Find out more</a>
<span class="close">OK</span></div>
<div id="wrapper">
<div class="top-bar">
<div class="logo"><a href="{e(page.home_url)}">{e(p.name)}</a></div>
<div class="fiction-note">{e(FICTION_NOTICE)}</div>
<div class="menu"><ul>{_nav_items(page.home_url)}</ul></div>
<div class="search-box"><input type="text" placeholder="Search"></div></div>
<div class="ticker"><b>BREAKING NEWS:</b>
<a href="{e(page.breaking.url)}">{e(page.breaking.title)}</a></div>
<div class="content-area"><div class="col-main"><div class="story">
<div class="headline-box"><h1>{e(a.headline)}</h1>
<div class="subhead">{e(a.summary)}</div></div>
<div class="meta"><span class="author">By {e(a.author)}</span> |
<span class="date"><time datetime="{_iso(page.published)}">{when}</time></span>
<div class="sharebar"><a class="share-fb" href="#fb">Share</a>
<a class="share-tw" href="#tw">Tweet</a> <a class="share-wa" href="#wa">WhatsApp</a>
</div></div>
{_post_image(page, a.lead, "lead-img", LEAD_SIZE)}
<div class="story-body">
{_syndication_note(page, "syndicated")}
{_post_blocks(page)}
</div>
<div class="tags">Tags: <a href="#tag">{e(a.section)}</a>
<a href="#tag">Kessel</a></div>
<div class="newsletter-box"><div class="nl-title">Get the Post in your inbox</div>
<div class="nl-text">Sign up for our free evening newsletter.</div>
<input type="email"> <a class="btn" href="#subscribe">Subscribe</a></div>
<div class="comments-wrap"><div class="comments-title">{len(page.comments)} comments
</div><ul class="comment-list">{_comments_list(page.comments, "cmt")}</ul>
<div class="comment-form"><textarea placeholder="Have your say"></textarea></div></div>
</div></div>
<div class="col-side"><div class="more-stories"><h3>Related articles</h3>
<ul>{_related_list(page.related)}</ul></div>
<div class="ad-box">Advertisement</div></div></div>
<div class="footer"><a href="#about">About</a> | <a href="#advertise">Advertise</a> |
<a href="#jobs">Jobs</a> | <a href="#privacy">Privacy</a> |
<a href="#cookies">Cookies</a>
<div class="copy">© Kessel Evening Post. {e(FICTION_NOTICE)}.</div></div>
</div>
</body>
</html>
"""


# ---------------------------------------------------------------- Marrowdale Gazette


def _gazette_picture(
    page: ArticlePage,
    fig: Figure,
    cls: str,
    big: tuple[int, int],
    small: tuple[int, int],
) -> str:
    big_src = page.image_url(fig.image_id, big)
    small_src = page.image_url(fig.image_id, small)
    return (
        f'<figure class="{cls}" itemprop="image" itemscope '
        'itemtype="https://schema.org/ImageObject">'
        f'<picture><source media="(max-width: 640px)" srcset="{e(small_src)}">'
        f'<img src="{e(small_src)}" srcset="{e(small_src)} {small[0]}w, '
        f'{e(big_src)} {big[0]}w" sizes="(max-width: 640px) 100vw, 760px" '
        f'alt="{e(fig.caption)}" loading="lazy" itemprop="url"></picture>'
        f'<figcaption><span class="caption-text" itemprop="caption">'
        f"{e(fig.caption)}</span> "
        f'<small class="photo-credit" itemprop="creditText">© {e(fig.credit)}</small>'
        "</figcaption></figure>"
    )


def gazette_article(page: ArticlePage) -> str:
    a, p = page.article, page.publisher
    when = page.published.strftime("%d %B %Y, %H:%M UTC")
    body = _body_blocks(
        a.blocks,
        lambda f: _gazette_picture(page, f, "inline-figure", INLINE_SIZE, (400, 225)),
    )
    return f"""<!DOCTYPE html>
<html lang="{p.language}">
{_head(page)}
<body>
<div class="gdpr-overlay"><div class="gdpr-box"><h2>Your privacy</h2><p>We and our
partners use cookies to store and access information on your device.</p>
<button>I agree</button>
<button>More options</button></div></div>
<header class="site-header"><div class="brand"><a href="{e(page.home_url)}">
{e(p.name)}</a></div><p class="fiction">{e(FICTION_NOTICE)}.</p>
<nav><ul class="menu">{_nav_items(page.home_url)}</ul></nav></header>
<div class="alert-banner" role="alert"><strong>Breaking</strong>
<a href="{e(page.breaking.url)}">{e(page.breaking.title)}</a></div>
<div class="layout">
<article class="news-article" itemscope itemtype="https://schema.org/NewsArticle">
<h1 itemprop="headline">{e(a.headline)}</h1>
<div class="article-meta"><span itemprop="author" itemscope
itemtype="https://schema.org/Person">By
<span itemprop="name">{e(a.author)}</span></span>
<time itemprop="datePublished" datetime="{_iso(page.published)}">{when}</time></div>
{_gazette_picture(page, a.lead, "hero", LEAD_SIZE, (600, 338))}
<ul class="social-share"><li><a href="#facebook">Share on Facebook</a></li>
<li><a href="#twitter">Share on X</a></li><li><a href="#print">Print</a></li></ul>
<div class="article-body" itemprop="articleBody">
{body}
</div>
{_syndication_note(page, "credit-line")}
</article>
<aside class="sidebar"><section class="most-read"><h2>Most read</h2>
<ol>{_related_list(page.related)}</ol></section>
<section class="signup"><h2>Gazette Weekly</h2><p>The best of the week, every
Sunday. Free.</p><input type="email"><button>Subscribe</button></section></aside>
</div>
<section class="reader-comments">
<h2>Join the conversation: {len(page.comments)} comments</h2>
<ul>{_comments_list(page.comments, "reader-comment")}</ul></section>
<footer><nav class="footer-nav"><a href="#about">About the Gazette</a>
<a href="#ethics">Editorial standards</a><a href="#contact">Contact us</a>
<a href="#privacy">Privacy notice</a></nav>
<p class="legal">{e(FICTION_NOTICE)}.</p></footer>
</body>
</html>
"""


# ---------------------------------------------------------------- Northshore Daily


def _northshore_image(page: ArticlePage, fig: Figure, size: tuple[int, int]) -> str:
    src = page.image_url(fig.image_id, size)
    return (
        f'<div class="img-container"><img class="lazy" src="{e(src)}" '
        f'loading="lazy" alt="{e(fig.caption)}">'
        f'<div class="img-caption">{e(fig.caption)} '
        f'<em class="img-credit">({e(fig.credit)})</em></div></div>'
    )


AD_EVERY = 3  # an ad slot after every third paragraph, as tabloid sites do


def _northshore_blocks(page: ArticlePage) -> str:
    out = []
    paragraphs = 0
    for block in page.article.blocks:
        if isinstance(block, Paragraph):
            out.append(f"<p>{e(block.text)}</p>")
            paragraphs += 1
            if paragraphs % AD_EVERY == 0:
                out.append(
                    '<div class="ad-slot"><span>ADVERTISEMENT</span>'
                    "<p>Kessel's best mattress deals! Up to 60% off this week only."
                    "</p></div>"
                )
        elif isinstance(block, Subheading):
            out.append(f"<h2 class='subtitle'>{e(block.text)}</h2>")
        elif isinstance(block, BulletList):
            out.append(
                "<ul>" + "".join(f"<li>{e(i)}</li>" for i in block.items) + "</ul>"
            )
        elif isinstance(block, InlineFigure):
            out.append(_northshore_image(page, block.figure, INLINE_SIZE))
    return "\n".join(out)


def northshore_article(page: ArticlePage) -> str:
    a, p = page.article, page.publisher
    when = page.published.strftime("%H:%M, %d %b %Y")
    return f"""<!DOCTYPE html>
<html lang="{p.language}">
{_head(page)}
<body class="nsd">
<div class="nsd-top"><a class="nsd-logo" href="{e(page.home_url)}">NORTHSHORE DAILY</a>
<span class="nsd-fiction">{e(FICTION_NOTICE)}</span>
<ul class="nsd-nav">{_nav_items(page.home_url)}</ul></div>
<div class="nsd-breaking"><span class="flash">BREAKING</span>
<a href="{e(page.breaking.url)}">{e(page.breaking.title)}</a></div>
<div class="consent-popup">Northshore Daily and our 312 partners use cookies.
<a href="#accept">Accept</a> <a href="#reject">Reject</a></div>
<section class="content">
<span class="kicker">{e(a.section.upper())}</span>
<h1 class="title">{e(a.headline)}</h1>
<h2 class="sub">{e(a.summary)}</h2>
<div class="author-row"><a class="author-name"
href="#author">{e(a.author)}</a> <span class="pub-date"><time
datetime="{_iso(page.published)}">{when}</time></span>
<div class="share-icons"><span>Share:</span> <a href="#fb">f</a><a href="#x">x</a>
<a href="#wa">w</a>
<a href="#comments">{len(page.comments)} comments</a></div></div>
{_northshore_image(page, a.lead, LEAD_SIZE)}
{_syndication_note(page, "syndication-notice")}
<div class="article-text">
{_northshore_blocks(page)}
</div>
<div class="read-more"><h3>MORE FROM NORTHSHORE</h3><ul>{_related_list(page.related)}
</ul></div>
<div class="nl-signup"><b>Don't miss a thing!</b> Get the Northshore Daily
newsletter. <input type="email"><button>GO</button></div>
<div id="comments" class="comment-widget"><h3>Comments</h3><p>Log in to comment.</p>
<ul>{_comments_list(page.comments, "c")}</ul></div>
</section>
<div class="nsd-footer"><a href="#tips">Send us a tip</a> <a href="#about">About</a>
<a href="#privacy">Privacy</a> <a href="#terms">Terms</a>
<p>{e(FICTION_NOTICE)}.</p></div>
</body>
</html>
"""


# ---------------------------------------------------------------- The Lantern


def _lantern_figure(
    page: ArticlePage, fig: Figure, cls: str, size: tuple[int, int]
) -> str:
    src = page.image_url(fig.image_id, size)
    return (
        f'<figure class="{cls}"><img src="{e(src)}" alt="{e(fig.caption)}">'
        f"<figcaption>{e(fig.caption)}<cite>{e(fig.credit)}</cite></figcaption>"
        "</figure>"
    )


def _lantern_blocks(page: ArticlePage) -> str:
    out = []
    first = True
    for block in page.article.blocks:
        if isinstance(block, Paragraph):
            cls = ' class="lede"' if first else ""
            out.append(f"<p{cls}>{e(block.text)}</p>")
            first = False
        elif isinstance(block, Subheading):
            out.append(f"<h3>{e(block.text)}</h3>")
        elif isinstance(block, BulletList):
            out.append(
                "<ul>" + "".join(f"<li>{e(i)}</li>" for i in block.items) + "</ul>"
            )
        elif isinstance(block, InlineFigure):
            out.append(
                _lantern_figure(page, block.figure, "wp-block-image", INLINE_SIZE)
            )
    return "\n".join(out)


def lantern_article(page: ArticlePage) -> str:
    a, p = page.article, page.publisher
    when = page.published.strftime("%B %d, %Y")
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.headline,
        "datePublished": _iso(page.published),
        "author": {"@type": "Person", "name": a.author},
        "image": [page.image_url(a.lead.image_id, LEAD_SIZE)],
        "publisher": {"@type": "Organization", "name": p.name},
        "mainEntityOfPage": page.url,
    }
    ld_json = json.dumps(ld, ensure_ascii=False).replace("</", "<\\/")
    extra = f'<script type="application/ld+json">{ld_json}</script>\n'
    return f"""<!DOCTYPE html>
<html lang="{p.language}">
{_head(page, extra)}
<body class="single-post">
<div id="cookie-law-info-bar">This website uses cookies to improve your experience.
<a href="#accept" class="cli_action_button">Accept</a>
<a href="#settings">Cookie settings</a></div>
<div class="site-notice">{e(FICTION_NOTICE)}.</div>
<header id="masthead"><p class="site-title"><a href="{e(page.home_url)}">{e(p.name)}
</a></p><p class="site-description">{e(p.tagline)}</p>
<nav id="site-navigation"><ul id="primary-menu">{_nav_items(page.home_url)}</ul></nav>
</header>
<div class="announcement">Breaking news — <a href="{e(page.breaking.url)}">
{e(page.breaking.title)}</a></div>
<div id="content"><div id="primary"><main id="main">
<div class="post-header"><div class="cat-links"><a href="#cat">{e(a.section)}</a></div>
<h1 class="entry-title">{e(a.headline)}</h1>
<p class="entry-excerpt">{e(a.summary)}</p>
<div class="entry-meta"><span class="byline">Words by <span class="author vcard">
{e(a.author)}</span></span> <span class="posted-on"><time class="entry-date published"
datetime="{_iso(page.published)}">{when}</time></span></div></div>
{_lantern_figure(page, a.lead, "post-thumbnail", LEAD_SIZE)}
<div class="entry-content">
{_lantern_blocks(page)}
{_syndication_note(page, "syndication")}
</div>
<div class="sharedaddy"><h3 class="sd-title">Share this:</h3><ul><li><a
href="#share-mastodon">Mastodon</a></li><li><a href="#share-email">Email</a></li>
<li><a href="#share-print">Print</a></li></ul></div>
<div class="jp-relatedposts"><h3>Related</h3>
<ul>{_related_list(page.related)}</ul></div>
<div class="lantern-membership">The Lantern is reader-funded. <a href="#join">Become
a member</a> or sign up for our Sunday letter: <input type="email"><button>Join
</button></div>
<div id="comments" class="comments-area"><h2 class="comments-title">
{len(page.comments)} thoughts on “{e(a.headline)}”</h2>
<ol class="comment-list">{_comments_list(page.comments, "comment-body")}</ol>
<div id="respond"><h3>Leave a comment</h3><textarea></textarea></div></div>
</main></div>
<aside id="secondary" class="widget-area"><section class="widget"><h2>Archives</h2>
<ul><li><a href="#archive">November 2026</a></li><li><a href="#archive">October 2026
</a></li></ul></section></aside></div>
<footer id="colophon"><div class="site-info"><a href="#about">About</a> ·
<a href="#support">Support us</a> · <a href="#privacy">Privacy</a></div>
<p>{e(FICTION_NOTICE)}.</p></footer>
</body>
</html>
"""


# ---------------------------------------------------------------- Meridian Wire


def wire_article(page: ArticlePage) -> str:
    a, p = page.article, page.publisher
    when = page.published.strftime("%Y-%m-%d %H:%M GMT")
    body = _body_blocks(
        a.blocks, lambda f: _herald_figure(page, f, "wire-photo", INLINE_SIZE)
    )
    return f"""<!DOCTYPE html>
<html lang="{p.language}">
{_head(page)}
<body>
<div class="cookie">Cookies help us deliver our services. <button>OK</button></div>
<div class="wire-top"><a href="{e(page.home_url)}">MERIDIAN WIRE</a> —
{e(p.tagline)} <nav><a href="{e(page.home_url)}">Latest</a> <a href="#markets">Markets
</a> <a href="#politics">Politics</a> <a href="#sport">Sport</a> <a href="#licensing">
Licensing</a></nav></div>
<p class="disclaimer">{e(FICTION_NOTICE)}.</p>
<div class="flash">Breaking news: <a href="{e(page.breaking.url)}">
{e(page.breaking.title)}</a></div>
<div class="wire-story">
<h1>{e(a.headline)}</h1>
<div class="dateline">By {e(a.author)}, Meridian Wire ·
<time datetime="{_iso(page.published)}">{when}</time></div>
{_herald_figure(page, a.lead, "wire-photo", LEAD_SIZE)}
<div class="wire-text">
{body}
</div>
<div class="wire-tools"><a href="#license">License this story</a> ·
<a href="#share">Share</a> · <a href="#corrections">Report an error</a></div>
</div>
<div class="wire-related"><h2>Related coverage</h2><ul>{_related_list(page.related)}
</ul></div>
<div class="wire-alerts">Get Meridian alerts by email: <input type="email">
<button>Subscribe</button></div>
<div class="wire-comments"><h2>Reader comments</h2>
<ul>{_comments_list(page.comments, "wc")}</ul></div>
<div class="wire-footer"><a href="#about">About Meridian</a> · <a href="#terms">Terms
</a> · <a href="#privacy">Privacy</a> · {e(FICTION_NOTICE)}.</div>
</body>
</html>
"""


ARTICLE_LAYOUTS: dict[str, Callable[[ArticlePage], str]] = {
    "herald": herald_article,
    "post": post_article,
    "gazette": gazette_article,
    "northshore": northshore_article,
    "lantern": lantern_article,
    "wire": wire_article,
}


def render_article(page: ArticlePage) -> str:
    """The full HTML document of an article page in its publisher's layout."""
    return ARTICLE_LAYOUTS[page.publisher.layout](page)


def render_home(page: HomePage) -> str:
    """A publisher's homepage: every article, newest first, the top one large."""
    p = page.publisher
    cards = []
    for index, item in enumerate(page.items):
        a = item.article
        size = LEAD_SIZE if index == 0 else (400, 225)
        src = page.image_url(a.lead.image_id, size)
        cls = "card card--top" if index == 0 else "card"
        cards.append(
            f'<li class="{cls} {e(p.layout)}-card"><a href="{e(item.url)}">'
            f'<img src="{e(src)}" alt="{e(a.lead.caption)}" loading="lazy">'
            f"<h2>{e(a.headline)}</h2></a><p>{e(a.summary)}</p>"
            f'<span class="card__meta">{e(a.author)} · <time '
            f'datetime="{_iso(item.published)}">'
            f"{item.published.strftime('%d %b %H:%M')}</time></span></li>"
        )
    return f"""<!DOCTYPE html>
<html lang="{p.language}">
{_home_head(page)}
<body class="home home--{e(p.layout)}">
<div class="fiction-banner">{e(FICTION_NOTICE)}.</div>
<header><h1 class="site-name">{e(p.name)}</h1><p>{e(p.tagline)}</p>
<nav><ul>{_nav_items(page.home_url)}</ul></nav></header>
<div class="breaking">Breaking news: <a href="{e(page.breaking.url)}">
{e(page.breaking.title)}</a></div>
<main><ul class="cards">
{chr(10).join(cards)}
</ul></main>
<footer><p>Follow us: <a href="{e(page.feeds.rss)}">RSS</a> ·
<a href="{e(page.feeds.atom)}">Atom</a> · <a href="{e(page.feeds.json)}">JSON Feed</a>
</p><p>© {e(p.name)}. {e(FICTION_NOTICE)}.</p></footer>
</body>
</html>
"""


def render_index(publishers: list[tuple[Publisher, str]]) -> str:
    """The server root: a list of the demo publishers."""
    items = "".join(
        f'<li><a href="{e(url)}">{e(p.name)}</a> — {e(p.tagline)}</li>'
        for p, url in publishers
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>cupure demo publishers</title></head>
<body><h1>cupure demo publishers</h1>
<p>{e(FICTION_NOTICE)}.</p>
<ul>{items}</ul>
</body>
</html>
"""


def render_not_found(path: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Not found</title></head>
<body><h1>Not found</h1><p>Nothing is published at {e(path)}.</p>
<p>{e(FICTION_NOTICE)}.</p></body>
</html>
"""
