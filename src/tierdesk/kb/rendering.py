"""Article Markdown to safe HTML (markdown-it-py, CommonMark), then sanitized with nh3.

Raw HTML in the Markdown is shown as text, not passed through; whatever the renderer
produces is cleaned again by an allow-list, so no script, event handler or ``javascript:``
link survives.
"""

from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "img", "li", "ol", "p", "pre", "s", "strong", "table", "tbody", "td", "th", "thead", "tr",
    "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}


def render_markdown(source: str) -> str:
    """Sanitized HTML for an article body."""
    return nh3.clean(
        _markdown.render(source),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def plain_text(rendered_html: str) -> str:
    """The words of rendered HTML, for the search index and snippets."""
    text = nh3.clean(rendered_html.replace("</", " </").replace("<br", " <br"), tags=set())
    return " ".join(html.unescape(text).split())
