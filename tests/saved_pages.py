"""Saved web pages of the seed articles, as a browser's "Save page" writes them: the
article's paragraphs inside a site's furniture (cookie banner, navigation, share buttons,
lists of other headlines, comments form, footer), in the layouts news sites and blogs use."""

from __future__ import annotations

import html
import json
from pathlib import Path

ARTICLES = Path(__file__).resolve().parents[1] / "seeds" / "articles"

SEEDS = {
    # file: (headline, outlet, author, published, layout)
    "000_e537a5889e8fdd83.txt": (
        "Victory Day in Moscow: who came, who stayed away",
        "Eurasia Review Desk",
        "Staff writer",
        "2025-05-10",
        "blog",
    ),
    "001_58a7cbc6ed29d5f2.txt": (
        "North Korea formalises troop deployment, signals deeper alliance with Russia",
        "The Korea Herald",
        "Son Ji-hyoung",
        "2025-04-28",
        "news",
    ),
    "002_3940ce2edd2c6456.txt": (
        "Kim Jong Un To Attend China's Military Parade Alongside World Leaders",
        "Asia Wire",
        "Mei Lin",
        "2025-08-28",
        "json-ld",
    ),
    "003_cf9b473cc9afcc10.txt": (
        "Capture of North Korean soldiers in the Kursk region",
        "Conflict Monitor",
        "Anna Petrenko",
        "2025-01-15",
        "news",
    ),
    "004_160d8fbed4e91d09.txt": (
        "Moscow and Pyongyang acknowledge North Korean troops fighting for Russia",
        "World Briefing",
        "James Carter",
        "2025-04-28",
        "blog",
    ),
}


def seed_text(name: str) -> str:
    return (ARTICLES / name).read_text(encoding="utf-8")


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _body(text: str) -> str:
    return "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs(text))


_COOKIES = (
    '<div id="cookie-consent" class="cookie-banner">We use cookies to improve your '
    'experience. <button>Accept all</button> <a href="/privacy">Manage preferences</a></div>'
)
_NAV = (
    '<header class="site-header"><a class="logo" href="/">{outlet}</a><nav><ul>'
    '<li><a href="/national">National</a></li><li><a href="/world">World</a></li>'
    '<li><a href="/business">Business</a></li><li><a href="/opinion">Opinion</a></li>'
    '<li><a href="/subscribe">Subscribe</a></li></ul></nav>'
    '<form class="search"><input name="q" placeholder="Search"></form></header>'
)
_RELATED = (
    '<aside class="most-popular"><h2>Most popular</h2><ol>'
    '<li><a href="/1">Seoul shares close higher on chip rally</a></li>'
    '<li><a href="/2">K-pop agency announces new girl group</a></li>'
    '<li><a href="/3">Heavy rain expected across southern regions</a></li>'
    '<li><a href="/4">Ten things to do in Busan this weekend</a></li></ol></aside>'
)
_FOOTER = (
    '<footer><p>&copy; 2025 {outlet}. All rights reserved.</p><p><a href="/privacy">'
    'Privacy policy</a> | <a href="/terms">Terms of use</a> | <a href="/contact">Contact us'
    "</a></p></footer>"
)
_COMMENTS = (
    '<div id="comments"><h3>Leave a Reply</h3><form><p>Your email address will not be '
    "published. Required fields are marked *</p><textarea></textarea><button>Post Comment"
    "</button></form></div>"
)
_SIDEBAR = (
    '<div class="sidebar"><div class="widget"><h4>Recent Posts</h4><ul>'
    '<li><a href="/p1">Notes on the Shangri-La Dialogue</a></li>'
    '<li><a href="/p2">Weekly reading list</a></li></ul></div>'
    '<div class="widget"><h4>Archives</h4><ul><li><a href="/2025/04">April 2025</a></li>'
    '<li><a href="/2025/03">March 2025</a></li></ul></div></div>'
)


def saved_page(name: str) -> str:
    """The seed article ``name`` as a saved page in its site's layout."""
    title, outlet, author, published, layout = SEEDS[name]
    text = seed_text(name)
    e = html.escape
    head = f'<meta charset="utf-8"><title>{e(title)} | {e(outlet)}</title>'
    if layout == "news":
        head += (
            f'<meta property="og:site_name" content="{e(outlet)}">'
            f'<meta property="og:title" content="{e(title)}">'
            f'<meta name="author" content="{e(author)}">'
            f'<meta property="article:published_time" content="{published}T09:15:00+09:00">'
            f'<link rel="canonical" href="https://news.example.com/{published}/{name[:3]}">'
        )
        body = (
            _COOKIES + _NAV.format(outlet=e(outlet)) + f"<main><article><h1>{e(title)}</h1>"
            f'<p class="byline">By <a rel="author" href="/by">{e(author)}</a> · '
            f'<time datetime="{published}T09:15:00+09:00">{published}</time></p>'
            '<div class="ad-slot">Advertisement</div>'
            f"{_body(text)}"
            '<div class="share">Share on Facebook · Share on X · Copy link</div>'
            f"</article>{_RELATED}</main>" + _FOOTER.format(outlet=e(outlet))
        )
    elif layout == "blog":
        head += (
            f'<meta property="og:site_name" content="{e(outlet)}">'
            f'<meta property="article:published_time" content="{published}T18:02:11+00:00">'
        )
        body = (
            _NAV.format(outlet=e(outlet))
            + '<div id="content"><article class="post type-post hentry">'
            f'<h1 class="entry-title">{e(title)}</h1>'
            f'<div class="entry-meta">Posted on <time class="entry-date published" '
            f'datetime="{published}T18:02:11+00:00">{published}</time> by '
            f'<span class="author vcard"><a class="url fn n" href="/author">{e(author)}'
            "</a></span></div>"
            f'<div class="entry-content">{_body(text)}</div></article>'
            f"{_COMMENTS}</div>{_SIDEBAR}" + _FOOTER.format(outlet=e(outlet))
        )
    else:  # metadata only as JSON-LD, as many news sites give it
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": f"{published}T06:30:00Z",
            "author": {"@type": "Person", "name": author},
            "publisher": {"@type": "Organization", "name": outlet},
        }
        head += f'<script type="application/ld+json">{json.dumps(data)}</script>'
        body = (
            _COOKIES
            + _NAV.format(outlet=e(outlet))
            + f'<div class="story"><h1>{e(title)}</h1>{_body(text)}</div>'
            + _RELATED
            + _FOOTER.format(outlet=e(outlet))
        )
    return f'<!DOCTYPE html>\n<html lang="en"><head>{head}</head><body>{body}</body></html>\n'
