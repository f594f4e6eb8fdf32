"""MedCite's web chat: a Gradio Blocks app on a FastAPI server with a health endpoint.

This module is the layout and the server; the event handlers are :mod:`medcite.ui.handlers`, the stylesheet and
scripts :mod:`medcite.ui.assets`.

Answers come only from the public ``medcite.qa`` functions (``stream_answer``); the library is read here
only to show cited passages and what the library holds. Every piece of text from documents, questions or
models is escaped by ``medcite.ui.render`` before it becomes HTML. Nothing is fetched from the internet:
system fonts, no analytics, no CDN.
"""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("GRADIO_RUN_HISTORY", "False")

import ipaddress  # noqa: E402
import logging  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402

from medcite.ui.context import claim_gradio_temp_dir  # noqa: E402

claim_gradio_temp_dir()

import gradio as gr  # noqa: E402
from fastapi import FastAPI, Request  # noqa: E402
from fastapi.responses import JSONResponse, PlainTextResponse  # noqa: E402

from medcite.settings import Settings, get_settings  # noqa: E402
from medcite.ui import render  # noqa: E402
from medcite.ui.assets import COPY_JS, CSS, DOWNLOAD_JS, JS, SCROLL_TO_PASSAGE  # noqa: E402
from medcite.ui.context import UIContext  # noqa: E402
from medcite.ui.handlers import (  # noqa: E402, F401 - make_filters, clean_message: used by tests through app
    RATE_LABELS,
    Handlers,
    clean_message,
    make_filters,
    new_state,
    value,
)

log = logging.getLogger(__name__)

TITLE = "MedCite"
TAGLINE = "Answers to medical questions, quoted from guidelines and research, with numbered sources."
DISCLAIMER_SHORT = (
    "General information from published sources \u2014 not medical advice. "
    "In an emergency, call your local emergency number."
)
EXAMPLES: tuple[str, ...] = (
    "Does IVIG help all autoimmune conditions?",
    "What are the side effects of statins?",
    "How is Guillain-Barre syndrome treated?",
    "What are the symptoms of glaucoma?",
)
KIND_CHOICES = [("Guidelines and research", "both"), ("Guidelines only", "guideline"), ("Research only", "research")]
UPLOAD_TYPES = [".jsonl", ".json", ".xml", ".pdf", ".md", ".markdown", ".txt", ".html", ".htm"]
SYSTEM_FONTS = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Noto Sans", "Helvetica Neue", "Arial",
                "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Liberation Mono", "monospace"]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
CHAT_PLACEHOLDER = (
    "<div class='mc-welcome'><h2>Ask a medical question</h2><p>MedCite searches its library of clinical "
    "guidelines and research abstracts and answers only with what they say. Every sentence carries a "
    "number like [1]; select it to read the passage it quotes.</p></div>"
)
#: Browser sessions whose state Gradio keeps in memory; the least recently used beyond this are forgotten (a
#: forgotten tab's next question starts a new chat). Each session holds a copy of every component's config
#: (about 0.3 MB with this layout) plus its chat, and Gradio frees none of it until its own limit of 10,000
#: sessions: about 3 GB on a long-running server (measured in tests/reliability/test_load.py).
MAX_SESSIONS = 1000


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only: ``localhost`` or a loopback IP address. A host name is not, even
    one that starts with "127." (``127.example.com`` resolves to whatever its DNS says)."""
    host = host.strip().lower()
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """``user:password`` into a pair; None when unset; ValueError when malformed."""
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user.strip() or not password:
        raise ValueError("MEDCITE_UI_AUTH must be user:password (both non-empty)")
    return user.strip(), password


def theme() -> gr.themes.Base:
    return gr.themes.Soft(primary_hue="teal", secondary_hue="sky", neutral_hue="slate", font=SYSTEM_FONTS,
                          font_mono=MONO_FONTS)


def build_blocks(ctx: UIContext) -> gr.Blocks:
    """The Blocks app (theme, CSS and JS are applied when it is mounted by :func:`create_app`): the Ask tab (the
    chat, the question box with the examples right under it, filters, actions, feedback; the passage and sources
    beside it) and the Library tab (the topics it holds, searchable; its statistics)."""
    settings = ctx.settings
    h = Handlers(ctx)

    # Files Gradio cached for this app (uploads, downloads) older than an hour are deleted every hour.
    with gr.Blocks(title=TITLE, fill_width=False, analytics_enabled=False, delete_cache=(3600, 3600)) as blocks:
        state = gr.State(new_state)
        with gr.Row(elem_id="mc-header"):
            gr.HTML(
                f"<header class='mc-header'><div class='mc-brand'><span class='mc-logo' aria-hidden='true'>"
                f"\u271a</span><div><h1>{TITLE}</h1><p>{render.esc(TAGLINE)}</p></div></div>"
                f"<p class='mc-disclaimer-bar' role='note'>{render.esc(DISCLAIMER_SHORT)}</p></header>",
                elem_id="mc-header-html",
            )
        with gr.Tabs(elem_id="mc-tabs"):
            with gr.Tab("Ask", id="ask"), gr.Row(equal_height=False):
                with gr.Column(scale=3, min_width=320):
                    # One feedback mechanism: the Helpful / Not helpful buttons below (no thumbs per message).
                    chatbot = gr.Chatbot(
                        elem_id="mc-chat", show_label=False, height=560, min_height=240, autoscroll=False,
                        placeholder=CHAT_PLACEHOLDER, latex_delimiters=[], buttons=[],
                        feedback_options=(), group_consecutive_messages=False, layout="bubble",
                    )
                    with gr.Row(elem_id="mc-input-row", equal_height=True):
                        msg = gr.Textbox(
                            show_label=False, placeholder="Ask a medical question\u2026", lines=1, max_lines=6,
                            scale=5, elem_id="mc-input", submit_btn=False,
                            max_length=settings.max_question_chars * 2,
                        )
                        send = gr.Button("Ask", variant="primary", scale=1, min_width=80, elem_id="mc-send")
                    with gr.Row(elem_id="mc-examples"):
                        gr.HTML("<span class='mc-examples-label'>Try:</span>", elem_classes="mc-examples-label-wrap")
                        example_buttons = [gr.Button(q, size="sm", variant="secondary",
                                                     elem_classes="mc-example") for q in EXAMPLES]
                    with gr.Accordion("Filters: evidence type and years", open=False, elem_id="mc-filters"):
                        with gr.Row():
                            kind = gr.Radio(KIND_CHOICES, value="both", label="Evidence", elem_id="mc-kind")
                        with gr.Row():
                            # Text boxes, not gr.Number: an empty Number shows (and sends) 0, not "any year".
                            year_from = gr.Textbox(label="From year", value="", placeholder="any", max_length=6,
                                                   elem_id="mc-year-from")
                            year_to = gr.Textbox(label="To year", value="", placeholder="any", max_length=6,
                                                 elem_id="mc-year-to")
                        gr.Markdown("Guidelines without a year are left out when a year is set.",
                                    elem_classes="mc-small")
                    with gr.Row(elem_id="mc-actions"):
                        new_btn = gr.Button("New chat", size="sm", variant="secondary", elem_id="mc-new")
                        copy_btn = gr.Button("Copy answer", size="sm", variant="secondary", interactive=False,
                                             elem_id="mc-copy-answer")
                        # The file is written only when asked for: the button writes it, a hidden File hands
                        # it over and a line of JS starts the download (see DOWNLOAD_JS).
                        download = gr.Button("Download chat (Markdown)", size="sm", variant="secondary",
                                             interactive=False, elem_id="mc-download")
                        download_file = gr.File(visible="hidden", interactive=False, elem_id="mc-download-file")
                    # The latest answer as Markdown: what "Copy answer" copies (COPY_JS reads it in the page).
                    export_md = gr.Textbox(visible="hidden", interactive=False, elem_id="mc-export")
                    with gr.Column(elem_id="mc-feedback", variant="panel", visible=False) as feedback_box:
                        with gr.Row(elem_id="mc-rate-row"):
                            gr.HTML("<span class='mc-feedback-q'>Was the latest answer helpful?</span>",
                                    elem_classes="mc-feedback-q-wrap")
                            up = gr.Button(RATE_LABELS["up"], size="sm", elem_id="mc-up", elem_classes="mc-rate")
                            down = gr.Button(RATE_LABELS["down"], size="sm", elem_id="mc-down",
                                             elem_classes="mc-rate")
                        with gr.Row(equal_height=True, elem_id="mc-comment-row"):
                            comment = gr.Textbox(show_label=False, placeholder="Comment for the maintainers "
                                                 "(optional)", lines=1, max_lines=4, scale=4,
                                                 elem_id="mc-comment", max_length=4000)
                            comment_btn = gr.Button("Send", size="sm", scale=1, min_width=70,
                                                    elem_id="mc-comment-send")
                        feedback_note = gr.Markdown("", elem_id="mc-feedback-note")
                        gr.HTML("<p class='mc-small'>Select a rating again to clear it. Please leave out personal "
                                "details.</p>")
                with gr.Column(scale=2, min_width=300, elem_id="mc-side"):
                    with gr.Group(elem_id="mc-passage-panel"):
                        gr.HTML("<h3 class='mc-panel-title'>Passage</h3>")
                        passage = gr.HTML(render.PASSAGE_PLACEHOLDER, elem_id="mc-passage")
                    with gr.Group(elem_id="mc-sources-panel"):
                        gr.HTML("<h3 class='mc-panel-title'>Sources</h3>")
                        sources = gr.HTML(render.render_sources([], 0), elem_id="mc-sources")
            with gr.Tab("Library", id="library"):
                gr.HTML("<p class='mc-lib-intro'>MedCite answers only from these documents. Questions on "
                        "other topics get a polite \u201cnot in the library\u201d.</p>")
                topic_search = gr.Textbox(label="Search the topics", placeholder="A condition, a treatment, a "
                                          "word of a title\u2026", max_length=200, elem_id="mc-topic-search")
                topics_html = gr.HTML("", elem_id="mc-topics")
                with gr.Accordion("What the library holds: documents by source, kind and year", open=False,
                                  elem_id="mc-lib-stats"):
                    library_html = gr.HTML("", elem_id="mc-library")
                    refresh = gr.Button("Refresh", size="sm", variant="secondary", elem_id="mc-lib-refresh")
                if ctx.admin_enabled:
                    with gr.Accordion("Add documents (maintainers)", open=False, elem_id="mc-admin"):
                        admin_pw = gr.Textbox(label="Admin password", type="password", elem_id="mc-admin-pw")
                        files = gr.File(label="Files (JSONL, PubMed XML, PDF, Markdown, HTML, text)",
                                        file_count="multiple", file_types=UPLOAD_TYPES, elem_id="mc-admin-files")
                        admin_kind = gr.Radio([("Guideline", "guideline"), ("Research", "research")],
                                              value="research", label="Kind, where a file does not say")
                        add_btn = gr.Button("Add to the library", variant="primary", elem_id="mc-admin-add")
                        admin_note = gr.Markdown("")
                    add_btn.click(h.add_documents, [admin_pw, files, admin_kind], [admin_note, library_html],
                                  concurrency_limit=1)
                else:
                    gr.HTML("<p class='mc-small'>Maintainers add documents with <code>medcite ingest</code> "
                            "(or here, once <code>MEDCITE_UI_ADMIN_PASSWORD</code> is set).</p>")
        gr.HTML(f"<footer class='mc-footer'>{render.esc(render.DISCLAIMER_FULL)}</footer>")

        # Citation clicks arrive here (see assets.JS): a hidden textbox carries "turn:n:ref".
        cite_box = gr.Textbox(visible="hidden", elem_id="mc-cite-box")
        cite_btn = gr.Button("show passage", visible="hidden", elem_id="mc-cite-btn")

        answer_outputs = [chatbot, state, msg, sources, passage, export_md, download, copy_btn, feedback_box,
                          up, down, feedback_note]
        assert len(answer_outputs) == Handlers.N_ANSWER_OUTPUTS
        ask_args = {"fn": h.respond, "inputs": [msg, chatbot, state, kind, year_from, year_to],
                    "outputs": answer_outputs, "show_progress": "hidden"}
        msg.submit(**ask_args)
        send.click(**ask_args)
        for button, question in zip(example_buttons, EXAMPLES, strict=True):
            button.click(lambda q=question: value(q), None, msg, queue=False, show_progress="hidden").then(**ask_args)
        cite_btn.click(h.show_passage, [cite_box, state], passage, concurrency_limit=None,
                       show_progress="hidden").then(None, None, None, js=SCROLL_TO_PASSAGE)
        new_btn.click(h.new_chat, None, [*answer_outputs, comment], queue=False)
        chatbot.clear(h.new_chat, None, [*answer_outputs, comment], queue=False)
        rated = [state, feedback_note, up, down]
        up.click(h.rate_latest("up"), [state], rated, concurrency_limit=None)
        down.click(h.rate_latest("down"), [state], rated, concurrency_limit=None)
        comment.submit(h.send_comment, [comment, state], [comment, feedback_note], concurrency_limit=None)
        comment_btn.click(h.send_comment, [comment, state], [comment, feedback_note], concurrency_limit=None)
        copy_btn.click(None, [export_md], None, js=COPY_JS, queue=False)
        download.click(h.export_file, [state], download_file, concurrency_limit=None,
                       show_progress="hidden").then(None, None, None, js=DOWNLOAD_JS)
        topic_search.change(h.topics, [topic_search], topics_html, concurrency_limit=None, show_progress="hidden",
                            trigger_mode="always_last")
        refresh.click(ctx.library_html, None, library_html, concurrency_limit=None)
        blocks.load(h.library, None, [library_html, topics_html])
    return blocks


def create_app(settings: Settings | None = None, *, ctx: UIContext | None = None) -> tuple[FastAPI, UIContext]:
    """The FastAPI app: ``/healthz`` and the chat UI at ``/``, with login when MEDCITE_UI_AUTH is set."""
    settings = settings or get_settings()
    ctx = ctx or UIContext(settings)
    auth = parse_auth(settings.ui_auth.get_secret_value() if settings.ui_auth else None)
    # Gradio keeps uploads and the files it serves in GRADIO_TEMP_DIR (default: a world-readable /tmp/gradio
    # that nothing cleans); components read it when they are made, the upload route when it is mounted.
    os.environ["GRADIO_TEMP_DIR"] = str(ctx.upload_dir)
    blocks = build_blocks(ctx)
    blocks.queue(default_concurrency_limit=settings.ui_concurrency, max_size=settings.ui_concurrency * 16)
    blocks.state_session_capacity = MAX_SESSIONS  # read when the app is mounted

    app = FastAPI(title="MedCite", docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        """200 only when the library answers: a load balancer must stop routing to a backend whose Chroma is
        unreachable or holds fewer vectors than the ledger has chunks (503, "degraded")."""
        try:
            health = ctx.health()
        except Exception as exc:  # noqa: BLE001 - a health check reports, never raises
            return JSONResponse({"status": "error", "error": str(exc)}, status_code=503)
        return JSONResponse({**health, "engine": settings.engine},
                            status_code=200 if health["status"] == "ok" else 503)

    @app.middleware("http")
    async def uploads_only_for_maintainers(request: Request, call_next):
        """Gradio's upload route takes files from anyone; with adding files off, nothing may be uploaded."""
        if request.url.path.rstrip("/").endswith("/upload") and not ctx.admin_enabled:
            return PlainTextResponse("Uploads are off on this server.", status_code=403)
        return await call_next(request)

    home = Path(settings.home).expanduser().resolve()
    blocked = [str(home), str(Path.home().resolve()), "/etc", "/proc", "/sys", "/root"]
    gr.mount_gradio_app(
        app, blocks, path="", auth=(lambda user, password: ctx.check_login(user, password, auth)) if auth else None,
        auth_message="MedCite: please sign in.",
        allowed_paths=[], blocked_paths=[p for p in blocked if not _contains(p, str(ctx.upload_dir))],
        show_error=False, max_file_size=f"{int(settings.ui_max_upload_mb)}mb", footer_links=[],
        run_history=False, ssr_mode=False, mcp_server=False, pwa=False, theme=theme(),
        css=CSS, js=JS,
    )
    # Gradio checks the file paths in event payloads (only files uploaded to this server, none under the
    # blocked paths) only for an app it launched itself; mounted, the check is off unless this is set.
    blocks.has_launched = True
    return app, ctx


def _contains(parent: str, child: str) -> bool:
    try:
        Path(child).resolve().relative_to(Path(parent).resolve())
    except ValueError:
        return False
    return True


class Server:
    """The UI served by uvicorn; ``start()`` in a background thread (tests) or ``run()`` in the foreground."""

    def __init__(self, host: str = "127.0.0.1", port: int = 7860, settings: Settings | None = None) -> None:
        import uvicorn

        self.host, self.port = host, port
        self.app, self.ctx = create_app(settings)
        config = uvicorn.Config(self.app, host=host, port=port, log_level="warning", access_log=False,
                                timeout_graceful_shutdown=5, ws="none")
        self.server = uvicorn.Server(config)
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def _warm(self) -> None:
        warm_up()
        threading.Thread(target=warm_up, kwargs={"load_model": True}, name="medcite-warm-up", daemon=True).start()

    def run(self) -> None:
        self._warm()
        if threading.current_thread() is threading.main_thread():
            # uvicorn stops gracefully on SIGTERM and then re-raises it; by default that kills the process
            # before `finally` runs, leaving the private temp dir behind.
            signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
        try:
            self.server.run()
        finally:
            self.ctx.close()

    def start(self, timeout: float = 60.0) -> None:
        import time

        self._warm()
        self.thread = threading.Thread(target=self.server.run, name="medcite-ui", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("the UI server stopped during start-up")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the UI server did not start within {timeout:.0f} s")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(15)
        self.ctx.close()


def warm_up(*, load_model: bool = False) -> None:
    """Open the answer service (and with ``load_model`` the embedding model) through the public qa API,
    so the first visitor does not wait and nothing else opens Chroma first."""
    from medcite.qa import answer
    from medcite.qa.service import get_service

    try:
        answer("")  # an empty question builds the service (library, Chroma) and returns at once
        if load_model:
            answer("warm-up question about health")
            get_service().warm_up()
    except Exception:  # noqa: BLE001 - the first question will report the problem properly
        log.warning("warm-up failed", exc_info=True)
