"""The machinery under the PDF exports: a locked-down URL fetcher, a sandboxed Jinja environment,
and bundled fonts and stylesheets shared between renders.

Rendering never touches the network or the file system on behalf of a template: the only URLs
WeasyPrint may load are `data:` URLs and `telementor-asset:` URLs naming a file on the whitelist
below. Everything else is refused, logged, and left out of the PDF.
"""

from __future__ import annotations

import logging
import re
import threading
from datetime import date
from pathlib import Path

import weasyprint
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from app.exports.pdf_data import format_credits

logger = logging.getLogger(__name__)
# The bundled Lato files date their 'head' table in Unix time rather than from 1904; fontTools
# (which subsets fonts when HarfBuzz's subsetter is not installed) says so on every render.
logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)

APP_DIR = Path(__file__).resolve().parent.parent
TEMPLATE_DIR = APP_DIR / "templates" / "pdf"
FONT_DIR = APP_DIR / "static" / "fonts"

ASSET_SCHEME = "telementor-asset"

# The complete list of files a PDF may embed. A name not in here cannot be fetched, so a URL
# such as telementor-asset:../../config.py resolves to nothing rather than to a path.
BUNDLED_ASSETS: dict[str, tuple[Path, str]] = {
    "fonts/EBGaramond12-Regular.otf": (FONT_DIR / "EBGaramond12-Regular.otf", "font/otf"),
    "fonts/EBGaramond12-Italic.otf": (FONT_DIR / "EBGaramond12-Italic.otf", "font/otf"),
    "fonts/Lato-Regular.ttf": (FONT_DIR / "Lato-Regular.ttf", "font/ttf"),
    "fonts/Lato-Italic.ttf": (FONT_DIR / "Lato-Italic.ttf", "font/ttf"),
    "fonts/Lato-Bold.ttf": (FONT_DIR / "Lato-Bold.ttf", "font/ttf"),
}


class URLRefusedError(ValueError):
    """A template asked for a resource outside the whitelist (a file, the network, …)."""


class AssetOnlyURLFetcher(URLFetcher):
    """Serves `data:` URLs and whitelisted bundled assets; refuses every other URL.

    WeasyPrint catches the URLRefusedError raised here, logs it and renders without the resource,
    so a hostile or mistaken URL costs a missing image, never a leaked file or a request.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
        self._asset_bytes: dict[str, bytes] = {}

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = url.partition(":")[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == ASSET_SCHEME:
            return self._fetch_asset(url)
        logger.warning("PDF rendering refused URL %.200s", url)
        raise URLRefusedError(f"refused URL (only data: and bundled assets): {url[:200]}")

    def _fetch_asset(self, url: str) -> URLFetcherResponse:
        name = url.partition(":")[2].lstrip("/")
        if name not in BUNDLED_ASSETS:
            logger.warning("PDF rendering refused unknown asset %.200s", url)
            raise URLRefusedError(f"not a bundled asset: {url[:200]}")
        path, media_type = BUNDLED_ASSETS[name]
        if name not in self._asset_bytes:  # read each font once per fetcher, not per document
            self._asset_bytes[name] = path.read_bytes()
        return URLFetcherResponse(url, self._asset_bytes[name], {"Content-Type": media_type})


def format_long_date(value: date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


# "AMA PRA Category 1 Credit(s)™" is set in italics by custom; the regex runs on escaped text.
_AMA_MARK = re.compile(r"AMA PRA Category 1 Credit(?:s|\(s\))?™?")


def italicize_ama_credit(text: str) -> Markup:
    escaped = str(escape(text))
    return Markup(_AMA_MARK.sub(lambda match: f"<em>{match.group(0)}</em>", escaped))


def build_environment() -> SandboxedEnvironment:
    """Sandboxed and autoescaping: learner-typed text is data, never markup or template code."""
    environment = SandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["long_date"] = format_long_date
    environment.filters["credits"] = format_credits
    environment.filters["ama_italic"] = italicize_ama_credit
    return environment


class Renderer:
    """WeasyPrint objects that are costly to rebuild: font configuration, fetched fonts and
    parsed stylesheets. One per thread, because Pango and Fontconfig objects are not shared
    safely between threads."""

    def __init__(self) -> None:
        self.environment = build_environment()
        self.url_fetcher = AssetOnlyURLFetcher()
        self.font_config = FontConfiguration()
        self._stylesheets: dict[str, weasyprint.CSS] = {}

    def stylesheet(self, name: str) -> weasyprint.CSS:
        if name not in self._stylesheets:
            self._stylesheets[name] = weasyprint.CSS(
                string=(TEMPLATE_DIR / name).read_text(encoding="utf-8"),
                base_url=f"{ASSET_SCHEME}:",
                url_fetcher=self.url_fetcher,
                font_config=self.font_config,
            )
        return self._stylesheets[name]

    def render_html(self, template_name: str, context: dict) -> str:
        return self.environment.get_template(template_name).render(**context)

    def document(self, html: str, stylesheet_names: list[str]) -> weasyprint.document.Document:
        # base_url is our own scheme so a relative URL in a template resolves to a whitelisted
        # asset or to nothing, never to a path next to the process's working directory.
        page = weasyprint.HTML(string=html, base_url=f"{ASSET_SCHEME}:",
                               url_fetcher=self.url_fetcher)
        stylesheets = [self.stylesheet(name) for name in stylesheet_names]
        return page.render(stylesheets=stylesheets, font_config=self.font_config)


_thread_state = threading.local()


def renderer() -> Renderer:
    if not hasattr(_thread_state, "renderer"):
        _thread_state.renderer = Renderer()
    return _thread_state.renderer


def write_pdf(document: weasyprint.document.Document) -> bytes:
    return document.write_pdf()


def page_index_by_anchor(document: weasyprint.document.Document,
                         anchor_ids: list[str]) -> dict[str, int]:
    """The page each anchored part of a batch landed on, read from the laid-out document.

    Every part must fill exactly one page (the layout uses fixed, clipping slots); if a change
    of stylesheet ever breaks that, fail loudly rather than hand out a certificate that shows
    part of another learner's page.
    """
    page_of: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            page_of.setdefault(anchor, index)
    placed = sorted(page_of.get(anchor_id, -1) for anchor_id in anchor_ids)
    if placed != list(range(len(document.pages))):
        raise RuntimeError(f"expected one page per part: {len(anchor_ids)} parts, "
                           f"{len(document.pages)} pages")
    return page_of
