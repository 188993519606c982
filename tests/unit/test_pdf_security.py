"""The PDF renderer treats data as text and fetches nothing but its own bundled assets."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import weasyprint

from app.exports.pdf import render_certificate
from app.exports.pdf_engine import AssetOnlyURLFetcher, Renderer, URLRefusedError
from tests.unit.test_pdf_samples import make_certificate, pdf_text

SECRET = "TOPSECRETSALARYDATA"


def test_certificate_learner_name_with_markup_renders_literally():
    name = '<script>alert(1)</script><b>Bold</b>'
    text = pdf_text(render_certificate(make_certificate(learner_name=name)))
    assert "<script>alert(1)</script><b>Bold</b>, MD" in text


def test_certificate_learner_name_with_template_syntax_is_not_evaluated():
    name = "{{ 7 * 7 }} {% if true %}yes{% endif %}"
    text = pdf_text(render_certificate(make_certificate(learner_name=name)))
    assert "{{ 7 * 7 }} {% if true %}yes{% endif %}, MD" in text
    assert "49" not in text


def test_certificate_activity_title_with_image_tag_fetches_nothing(tmp_path):
    secret_file = tmp_path / "secret.svg"
    secret_file.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg"><text y="20">{SECRET}</text></svg>')
    title = f'<img src="{secret_file.as_uri()}">'
    text = pdf_text(render_certificate(make_certificate(activity_title=title)))
    # pypdf may put a space inside "file:///" where glyphs kern apart; compare without spaces.
    assert title.replace(" ", "") in text.replace(" ", "")
    assert SECRET not in text


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "FILE:///etc/hostname",
    "http://127.0.0.1:9/x.css",
    "https://example.org/font.ttf",
    "ftp://example.org/x",
    "telementor-asset:../../config.py",
    "telementor-asset:fonts/../../../etc/passwd",
    "/etc/passwd",
])
def test_url_fetcher_refuses_files_network_and_unknown_assets(url):
    with pytest.raises(URLRefusedError):
        AssetOnlyURLFetcher().fetch(url)


def test_url_fetcher_serves_bundled_font():
    response = AssetOnlyURLFetcher().fetch("telementor-asset:fonts/Lato-Regular.ttf")
    font_path = Path(__file__).parents[2] / "app" / "static" / "fonts" / "Lato-Regular.ttf"
    assert response.read() == font_path.read_bytes()


def test_url_fetcher_serves_data_url():
    assert AssetOnlyURLFetcher().fetch("data:text/plain,hello").read() == b"hello"


class RecordingHandler(BaseHTTPRequestHandler):
    requested_paths: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's naming)
        RecordingHandler.requested_paths.append(self.path)
        body = f'body::after {{ content: "{SECRET}-HTTP"; }}'.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def web_server():
    RecordingHandler.requested_paths = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), RecordingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def hostile_page(tmp_path: Path, web_server: str) -> str:
    stylesheet = tmp_path / "secret.css"
    stylesheet.write_text(f'body::before {{ content: "{SECRET}-FILE"; }}')
    return f"""<html><head>
      <link rel="stylesheet" href="{stylesheet.as_uri()}">
      <link rel="stylesheet" href="{web_server}/secret.css">
      <style>@import url("{web_server}/imported.css");</style>
      </head><body><p>Visible text</p>
      <img src="{web_server}/pixel.png"><img src="{stylesheet.as_uri()}"></body></html>"""


def test_rendering_hostile_html_reads_no_file_and_makes_no_request(tmp_path, web_server):
    renderer = Renderer()
    document = renderer.document(hostile_page(tmp_path, web_server), ["fonts.css"])
    text = pdf_text(document.write_pdf())
    assert text.strip() == "Visible text"
    assert RecordingHandler.requested_paths == []


def test_rendering_hostile_html_with_weasyprint_default_fetcher_does_leak(tmp_path, web_server):
    # The control: proves the test page above would expose the file and reach the network if
    # the renderer used WeasyPrint's default fetcher.
    text = pdf_text(weasyprint.HTML(string=hostile_page(tmp_path, web_server)).write_pdf())
    assert f"{SECRET}-FILE" in text
    assert f"{SECRET}-HTTP" in text
    assert "/secret.css" in RecordingHandler.requested_paths
