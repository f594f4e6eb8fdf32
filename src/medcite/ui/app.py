"""MedCite's web chat: a Gradio Blocks app on a FastAPI server with a health endpoint.

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
import re  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import uuid  # noqa: E402
from dataclasses import asdict  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from medcite.ui.context import claim_gradio_temp_dir  # noqa: E402

claim_gradio_temp_dir()

import gradio as gr  # noqa: E402
from fastapi import FastAPI, Request  # noqa: E402
from fastapi.responses import JSONResponse, PlainTextResponse  # noqa: E402

from medcite.settings import Settings, get_settings  # noqa: E402
from medcite.triage import TriageResult  # noqa: E402
from medcite.ui import answer_html, render  # noqa: E402
from medcite.ui.context import UIContext, UploadRefused  # noqa: E402

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
_REF = re.compile(r"^(\d{1,4}):(\d{1,4}):(-?\d{1,5})$")

CSS = """
#mc-header { margin-bottom: 4px; }
.mc-header { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 8px 24px; }
.mc-brand { display: flex; align-items: center; gap: 12px; }
.mc-logo { display: inline-flex; align-items: center; justify-content: center; width: 40px; height: 40px;
  border-radius: 10px; background: var(--color-accent); color: white; font-size: 22px; font-weight: 700; }
.mc-header h1 { margin: 0; font-size: 1.5rem; line-height: 1.2; }
.mc-header p { margin: 0; color: var(--body-text-color-subdued); }
.mc-brand p { font-size: .95rem; }
.mc-disclaimer-bar { padding: 6px 12px; border-radius: 8px; background: #fff7e6; color: #7a4b00 !important;
  border: 1px solid #f3d19c; font-size: .88rem; max-width: 560px; }
.dark .mc-disclaimer-bar { background: #3a2a0a; color: #f7d79c !important; border-color: #7a5a1e; }
#mc-chat .message-wrap { font-size: 1rem; }
#mc-chat button[aria-label="Clear"] { display: none; }  /* "New chat" clears the chat and its state */
.mc-welcome { text-align: center; max-width: 520px; margin: 0 auto; color: var(--body-text-color-subdued); }
.mc-welcome h2 { color: var(--body-text-color); font-size: 1.25rem; margin-bottom: .4em; }
.mc-answer { line-height: 1.55; }
.mc-answer > :first-child { margin-top: 0; }
.mc-answer h3.mc-h { font-size: 1.02rem; font-weight: 700; margin: 1.1em 0 .45em; padding-left: 8px;
  border-left: 4px solid var(--color-accent); }
.mc-answer h3.mc-h:first-child { margin-top: .1em; }
.mc-answer h3.mc-h-refs { border-left-color: var(--border-color-primary); font-size: .95rem; }
.mc-answer h4.mc-facet { font-size: .93rem; font-weight: 650; margin: .8em 0 .25em; color: var(--body-text-color); }
.mc-answer p { margin: .45em 0; }
.mc-answer ul { margin: .3em 0 .6em 1.2em; padding: 0; }
.mc-answer li { margin: .25em 0; }
.mc-answer ul.mc-refs { list-style: none; margin-left: 0; font-size: .88rem; color: var(--body-text-color-subdued); }
.mc-answer ul.mc-refs li { margin: .35em 0; }
.mc-answer .mc-lead { font-weight: 600; margin-top: .7em; }
a.mc-cite { display: inline-block; min-width: 1.6em; padding: 0 .35em; margin: 0 1px; border-radius: 6px;
  font-size: .8em; font-weight: 700; line-height: 1.45; text-align: center; text-decoration: none !important;
  background: var(--color-accent-soft); color: var(--color-accent) !important; border: 1px solid var(--color-accent);
  cursor: pointer; vertical-align: baseline; }
a.mc-cite:hover, a.mc-cite:focus { background: var(--color-accent); color: white !important; }
.mc-cite-unknown { font-size: .8em; color: var(--body-text-color-subdued); }
.mc-cite-sample { font-weight: 700; color: var(--color-accent); }
a.mc-out { white-space: nowrap; font-size: .9em; }
.mc-cites { white-space: nowrap; }
.mc-emergency { display: flex; gap: 10px; align-items: flex-start; margin: 0 0 .8em; padding: 12px 14px;
  border-radius: 10px; background: #fde8e8; color: #7f1d1d; border: 2px solid #dc2626; font-size: 1.02rem; }
.mc-emergency strong { color: #991b1b; }
.dark .mc-emergency { background: #450a0a; color: #fecaca; border-color: #f87171; }
.dark .mc-emergency strong { color: #fee2e2; }
.mc-emergency-icon { font-size: 1.4rem; line-height: 1.2; }
.mc-emergency p { margin: 0 0 .35em; }
.mc-emergency { scroll-margin-top: 12px; }
.mc-triage-actions { margin: .2em 0 .3em 1.1em; padding: 0; }
.mc-triage-footer { font-size: .88rem; opacity: .9; }
.mc-crisis { background: #eef2ff; color: #1e1b4b; border-color: #4f46e5; }
.mc-crisis strong { color: #312e81; }
.dark .mc-crisis { background: #1e1b4b; color: #e0e7ff; border-color: #818cf8; }
.dark .mc-crisis strong { color: #e0e7ff; }
.mc-abstained .mc-abstain-lead { padding: 10px 12px; border-radius: 10px; background: var(--background-fill-secondary);
  border: 1px solid var(--border-color-primary); }
.mc-abstain-hint { color: var(--body-text-color-subdued); font-size: .95rem; }
.mc-note { color: var(--body-text-color-subdued); font-style: italic; }
.mc-disclaimer { color: var(--body-text-color-subdued); font-size: .82rem; font-style: italic;
  border-top: 1px solid var(--border-color-primary); padding-top: .5em; margin-top: .9em !important; }
.mc-error { color: #b91c1c; font-weight: 600; }
.dark .mc-error { color: #fca5a5; }
.mc-status { display: inline-flex; align-items: center; gap: 8px; color: var(--body-text-color-subdued);
  font-style: italic; }
.mc-dot { width: 10px; height: 10px; border-radius: 50%; background: var(--color-accent);
  animation: mc-pulse 1s ease-in-out infinite alternate; }
@keyframes mc-pulse { from { opacity: .25; transform: scale(.8); } to { opacity: 1; transform: scale(1.1); } }
.mc-streaming p { color: var(--body-text-color); }
.mc-question { white-space: normal; }
#mc-input-row { align-items: stretch; }
#mc-send { min-height: 44px; }
#mc-examples { flex-wrap: wrap; gap: 6px; align-items: center; }
#mc-examples > * { flex: 0 1 auto !important; min-width: 0 !important; width: auto !important; }
.mc-examples-label { font-size: .9rem; color: var(--body-text-color-subdued); padding-right: 2px; }
.mc-example { white-space: normal !important; text-align: left !important; font-weight: 400 !important; }
#mc-actions { gap: 8px; }
#mc-actions > * { flex: 0 1 auto !important; min-width: 0 !important; width: auto !important; }
#mc-feedback { padding: 10px 12px; gap: 8px; }
#mc-rate-row { align-items: center; flex-wrap: wrap; gap: 8px; }
#mc-rate-row > * { flex: 0 1 auto !important; min-width: 0 !important; width: auto !important; }
.mc-feedback-q { font-size: .95rem; font-weight: 600; color: var(--body-text-color); margin-right: 4px; }
.mc-rate { min-width: 96px !important; }
#mc-comment-row { gap: 8px; align-items: stretch; }
#mc-comment-send { min-height: 40px; }
#mc-feedback .mc-small { margin: 0; }
#mc-feedback-note { min-height: 0; padding: 0 8px; font-size: .9rem; }
.mc-small, .mc-small p { font-size: .85rem; color: var(--body-text-color-subdued); }
.mc-panel-title { margin: 6px 10px 2px; font-size: 1rem; }
#mc-passage, #mc-sources { padding: 4px 10px 10px; }
.mc-empty p { color: var(--body-text-color-subdued); font-size: .92rem; }
.mc-passage-head { display: flex; gap: 10px; align-items: flex-start; }
.mc-passage-n { font-weight: 700; color: var(--color-accent); font-size: 1.1rem; }
.mc-passage-title, .mc-source-title { font-weight: 600; line-height: 1.35; }
.mc-source-meta { font-size: .84rem; color: var(--body-text-color-subdued); margin: 2px 0 4px; }
.mc-badge { display: inline-block; padding: 0 6px; border-radius: 999px; font-size: .75rem; font-weight: 600;
  margin-right: 4px; }
.mc-badge-guideline { background: #dcfce7; color: #166534; }
.mc-badge-research { background: #e0f2fe; color: #075985; }
.dark .mc-badge-guideline { background: #14532d; color: #dcfce7; }
.dark .mc-badge-research { background: #0c4a6e; color: #e0f2fe; }
.mc-passage-cited { font-size: .88rem; color: var(--body-text-color-subdued); margin: 6px 0; }
.mc-passage-cited span { font-weight: 600; }
blockquote.mc-passage-text { margin: 8px 0; padding: 8px 12px; border-left: 4px solid var(--border-color-primary);
  background: var(--background-fill-secondary); border-radius: 0 8px 8px 0; font-size: .93rem; line-height: 1.55;
  max-height: 420px; overflow-y: auto; }
blockquote.mc-passage-text p { margin: .35em 0; }
.mc-passage-section { font-size: .8rem; font-weight: 600; text-transform: uppercase; letter-spacing: .03em;
  color: var(--body-text-color-subdued); }
mark.mc-hl { background: #fde68a; color: #1f2937; padding: 1px 2px; border-radius: 3px; }
.dark mark.mc-hl { background: #a16207; color: #fff; }
.mc-sources-hint { font-size: .85rem; color: var(--body-text-color-subdued); margin: 2px 0 6px; }
ol.mc-source-list { list-style: none; margin: 0; padding: 0; }
li.mc-source { display: flex; gap: 8px; align-items: flex-start; padding: 6px 0;
  border-bottom: 1px solid var(--border-color-primary); }
li.mc-source:last-child { border-bottom: none; }
.mc-source-body { min-width: 0; }
.mc-lib-intro { color: var(--body-text-color-subdued); }
.mc-cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 10px; margin: 8px 0 12px; }
.mc-card { padding: 12px; border-radius: 10px; border: 1px solid var(--border-color-primary);
  background: var(--background-fill-secondary); }
.mc-card-value { font-size: 1.4rem; font-weight: 700; }
.mc-card-label { font-size: .85rem; color: var(--body-text-color-subdued); }
.mc-lib-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 18px;
  align-items: start; }
.mc-lib-table { min-width: 0; overflow-x: auto; }
.mc-lib-table table { width: 100% !important; border-collapse: collapse !important; font-size: .9rem;
  display: table !important; border: none !important; margin: 0 !important; }
.mc-lib-table th, .mc-lib-table td { text-align: left; padding: 5px 8px !important; border: none !important;
  border-bottom: 1px solid var(--border-color-primary) !important; overflow-wrap: anywhere; }
.mc-lib-table thead, .mc-lib-table tbody, .mc-lib-table tr { border: none !important; box-shadow: none !important; }
.mc-lib-table th { font-weight: 600; color: var(--body-text-color-subdued); font-size: .82rem;
  background: transparent !important; white-space: nowrap; overflow-wrap: normal; }
.mc-lib-table td:nth-child(n+2) { white-space: nowrap; font-variant-numeric: tabular-nums; }
.mc-back { display: none; font-size: .88rem; margin-top: 6px; }
@media (max-width: 900px) { .mc-back { display: inline-block; } }
.mc-lib-table td:first-child { width: 60%; }
.mc-lib-table td:nth-child(n+2), .mc-lib-table th:nth-child(n+2) { text-align: right; }
.mc-lib-table h4 { margin: 4px 0; }
.mc-lib-last { font-size: .9rem; color: var(--body-text-color-subdued); }
.mc-footer { text-align: center; font-size: .82rem; color: var(--body-text-color-subdued); padding: 8px 0 4px; }
.mc-logo { flex: 0 0 auto; }
@media (max-width: 640px) {
  .main.app { padding-left: 8px !important; padding-right: 8px !important; }
  .mc-header h1 { font-size: 1.25rem; }
  .mc-logo { width: 34px; height: 34px; font-size: 19px; }
  .mc-brand p { font-size: .84rem; }
  .mc-disclaimer-bar { font-size: .8rem; padding: 5px 10px; }
  #mc-chat { height: 64vh !important; }
  #mc-chat .message-row.bubble { margin-left: 6px !important; margin-right: 6px !important;
    max-width: calc(100% - 12px) !important; }
  #mc-chat .message-row.bubble.bot-row .message { width: 100%; }
  .mc-answer ul { margin-left: 1em; }
}
"""

# Forwards clicks on citation numbers (inside the chat, the sources panel and the references) to the
# server through a hidden textbox and button; plain links keep working without it.
JS = """
() => {
  if (window.__medciteReady) return;
  window.__medciteReady = true;
  document.addEventListener('click', (ev) => {
    const link = ev.target && ev.target.closest ? ev.target.closest('a.mc-cite') : null;
    if (!link) return;
    const m = (link.getAttribute('href') || '').match(/#mc-ref-(\\d+)-(\\d+)-(-?\\d+)$/);
    const ref = m ? m[1] + ':' + m[2] + ':' + m[3] : '';
    const box = document.querySelector('#mc-cite-box textarea, #mc-cite-box input');
    const button = document.querySelector('#mc-cite-btn');
    if (!ref || !box || !button) return;
    ev.preventDefault();
    ev.stopPropagation();
    box.value = ref;
    box.dispatchEvent(new Event('input', {bubbles: true}));
    setTimeout(() => button.click(), 30);
  }, true);
  // A new question scrolls to the top of the chat box and stays there while its answer arrives, so the
  // answer is read from the start (until the reader scrolls by themselves).
  let questions = 0;
  let pinned = null;
  const place = () => {
    if (!pinned || !pinned.isConnected) return;
    const log = pinned.closest('[role="log"]');
    if (log) log.scrollTop += pinned.getBoundingClientRect().top - log.getBoundingClientRect().top - 8;
  };
  const labels = () => {  // the chat labels messages with their source HTML; screen readers get the text
    document.querySelectorAll('#mc-chat [data-testid="bot"], #mc-chat [data-testid="user"]').forEach((m) => {
      const label = m.getAttribute('aria-label') || '';
      if (label.includes('<')) {
        const who = m.getAttribute('data-testid') === 'user' ? 'Your question' : 'MedCite answer';
        m.setAttribute('aria-label', who + ': ' + m.innerText.slice(0, 400));
      }
    });
  };
  const follow = () => {
    labels();
    const rows = document.querySelectorAll('#mc-chat .message-row.user-row');
    if (rows.length !== questions) {
      questions = rows.length;
      pinned = rows.length ? rows[rows.length - 1] : null;
    }
    if (!pinned) return;
    requestAnimationFrame(place);
    const answers = document.querySelectorAll('#mc-chat .message-row.bot-row');
    const last = answers.length ? answers[answers.length - 1] : null;
    if (last && last.querySelector('.mc-answer:not(.mc-streaming), .mc-error')) {
      setTimeout(() => { place(); pinned = null; reveal(last); }, 50);
    }
  };
  // A triage notice must be seen whatever the scroll position of the page or the chat box: bring it into
  // view once, when its answer arrives.
  const reveal = (row) => {
    const notice = row && row.querySelector('.mc-emergency:not([data-revealed])');
    if (!notice) return;
    notice.setAttribute('data-revealed', '1');
    notice.scrollIntoView({block: 'start', behavior: 'auto'});
  };
  const unpin = () => { pinned = null; };
  const attach = () => {
    const chat = document.querySelector('#mc-chat');
    if (!chat) return setTimeout(attach, 200);
    new MutationObserver(follow).observe(chat, {childList: true, subtree: true});
    chat.addEventListener('wheel', unpin, {passive: true});
    chat.addEventListener('touchmove', unpin, {passive: true});
  };
  attach();
  // Focus the question box on wide screens only: on a phone it would scroll the disclaimer away.
  if (window.innerWidth >= 900) {
    const focus = () => {
      const box = document.querySelector('#mc-input textarea');
      if (!box) return setTimeout(focus, 200);
      box.focus({preventScroll: true});
    };
    focus();
  }
}
"""
# Starts the download of the file the "Download chat" button just wrote (the hidden File's link).
DOWNLOAD_JS = """
() => {
  const started = Date.now();
  const go = () => {
    const link = document.querySelector('#mc-download-file td.download a[href]');
    if (link) { link.click(); return; }
    if (Date.now() - started < 15000) setTimeout(go, 100);
  };
  go();
}
"""
SCROLL_TO_PASSAGE = """
() => {
  const panel = document.getElementById('mc-passage-panel');
  if (panel && window.innerWidth < 900) panel.scrollIntoView({behavior: 'smooth', block: 'start'});
}
"""


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


# --------------------------------------------------------------------------------------------------
# Session state and event handlers
# --------------------------------------------------------------------------------------------------


MAX_COMMENT_CHARS = 4000


def new_state() -> dict:
    return {"session": uuid.uuid4().hex, "turns": [], "rated": None}


def make_filters(kind: str, year_from: Any, year_to: Any):
    from medcite.qa import Filters

    def year(value: Any) -> int | None:
        if value in (None, ""):
            return None
        try:
            y = int(float(value))
        except (TypeError, ValueError):
            return None
        return y if 1800 <= y <= 2200 else None

    low, high = year(year_from), year(year_to)
    if low and high and low > high:
        low, high = high, low
    return Filters(kind=None if kind in (None, "", "both") else kind, year_min=low, year_max=high)


def _filters_dict(filters) -> dict:
    return {k: v for k, v in asdict(filters).items() if v is not None}


def _chat_from_state(state: dict) -> list[dict]:
    chat = []
    for turn in state["turns"]:
        chat.append({"role": "user", "content": render.render_question(turn["question"])})
        chat.append({"role": "assistant", "content": turn["html"]})
    return chat


def _export_file(ctx: UIContext, state: dict) -> str | None:
    if not state["turns"]:
        return None
    return ctx.export_file(state, render.conversation_markdown(state["turns"]))


def clean_message(text: str | None, limit: int) -> str:
    """A message as the server keeps it: lone surrogates (which no page or JSON can carry) replaced, trimmed to
    ``limit`` characters before it is stored, rendered or recorded, whatever the client sent."""
    text = (text or "")[: limit * 2].encode("utf-8", "replace").decode("utf-8")
    return text.strip()[:limit]


def build_blocks(ctx: UIContext) -> gr.Blocks:
    """The Blocks app (theme, CSS and JS are applied when it is mounted by :func:`create_app`)."""
    import medcite.qa as qa  # looked up per call: the public API is the only way answers are made

    settings = ctx.settings

    def unchanged() -> tuple:  # msg, sources, passage, export, download, feedback box (fresh dicts each time)
        return tuple(gr.update() for _ in range(6))

    # A component that an event leaves unchanged with gr.update() gets its new values as gr.update(value=...)
    # too: Gradio replaces a component on every update, and re-registers the replacement in the session under
    # a new id when a bare value follows, so each answer would leave four component configs (~40 KB) in the
    # session for as long as it lives (found by tests/reliability/test_load.py).
    def value(new: Any) -> dict:
        return gr.update(value=new)

    def respond(message: str, chat: list, state: dict, kind: str, year_from, year_to):
        message = clean_message(message, settings.max_question_chars)
        state = state or new_state()
        chat = _chat_from_state(state)  # the server's own record; never what the client sent back
        if not message:
            yield chat, state, *unchanged()
            return
        turn_no = len(state["turns"])
        filters = make_filters(kind, year_from, year_to)
        history = [(t["question"], t["markdown"]) for t in state["turns"]]
        chat = chat + [
            {"role": "user", "content": render.render_question(message)},
            {"role": "assistant", "content": render.render_status(render.SEARCHING)},
        ]
        yield chat, state, value(""), *unchanged()[1:]
        streamed = ""
        final = None
        notice = None
        try:
            for item in qa.stream_answer(message, history, filters):
                if isinstance(item, TriageResult):  # shown at once, while the library is searched
                    notice = item
                    chat[-1] = {"role": "assistant",
                                "content": render.render_streaming("", render.SEARCHING, triage=notice)}
                    yield chat, state, *unchanged()
                elif isinstance(item, str):
                    streamed += item
                    chat[-1] = {"role": "assistant", "content": render.render_streaming(streamed, triage=notice)}
                    yield chat, state, *unchanged()
                else:
                    final = item
                    if streamed:  # the model's draft stays on screen while its citations are checked
                        chat[-1] = {"role": "assistant",
                                    "content": render.render_streaming(streamed, render.VERIFYING, triage=notice)}
        except Exception as exc:  # noqa: BLE001 - a failed answer is a message in the chat, not a crash
            log.exception("answering failed")
            chat[-1] = {"role": "assistant", "content": render.render_error(_error_message(exc))}
            yield chat, state, *unchanged()
            return
        if final is None:
            chat[-1] = {"role": "assistant", "content": render.render_error("No answer came back; please try again.")}
            yield chat, state, *unchanged()
            return
        rendered = answer_html.render_answer(final, turn_no)
        citations = [asdict(c) for c in final.citations]
        state["turns"].append({
            "question": message, "markdown": final.markdown, "html": rendered.html, "citations": citations,
            "refs": [(r.n, r.sentence) for r in rendered.refs], "engine": final.engine,
            "cited": list(dict.fromkeys(c.doc_id for c in final.citations)), "filters": _filters_dict(filters),
            "abstained": final.abstained, "emergency": final.emergency, "triage": final.triage.to_dict(),
        })
        chat[-1] = {"role": "assistant", "content": rendered.html}
        sources = render.render_sources(final.citations, turn_no, rendered.refs, answered=True)
        md = render.conversation_markdown(state["turns"])
        yield (chat, state, gr.update(), value(sources), value(render.PASSAGE_PLACEHOLDER), value(md),
               gr.update(interactive=True), gr.update(visible=True))

    def show_passage(ref: str, state: dict) -> dict:
        return value(passage_for(ref, state))

    def passage_for(ref: str, state: dict) -> str:
        m = _REF.match((ref or "").strip())
        if not m or not state:
            return render.PASSAGE_PLACEHOLDER
        turn_no, n, k = (int(g) for g in m.groups())
        if turn_no >= len(state["turns"]):
            return render.PASSAGE_PLACEHOLDER
        turn = state["turns"][turn_no]
        citation = next((c for c in turn["citations"] if c["n"] == n), None)
        if citation is None:
            return render.PASSAGE_PLACEHOLDER
        refs = turn["refs"]
        sentence = refs[k][1] if 0 <= k < len(refs) and refs[k][0] == n else ""
        if not sentence:
            sentence = next((s for rn, s in refs if rn == n and s), "")
        try:
            return ctx.passage_html(citation, sentence)
        except Exception as exc:  # noqa: BLE001
            log.exception("passage lookup failed")
            return render.render_error(f"The passage could not be read: {exc}")

    def new_chat():
        state = new_state()
        return ([], state, value(""), value(render.render_sources([], 0)), value(render.PASSAGE_PLACEHOLDER), value(""),
                gr.update(interactive=False), gr.update(visible=False), "", "")

    def on_like(state: dict, data: gr.LikeData):
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        turn_no = int(index) // 2
        if not state or not 0 <= turn_no < len(state["turns"]):  # a forged index (-1) names no answer
            return state, ""
        liked = data.liked
        rating = None if liked in (None, "") else ("up" if liked is True or liked == "Like" else "down")
        _store(state, turn_no, rating=rating)
        state["rated"] = turn_no
        word = {"up": "helpful", "down": "not helpful", None: "cleared"}[rating]
        return state, f"Thanks \u2014 answer {turn_no + 1} marked {word}. You can add a comment below."

    def _store(state: dict, turn_no: int, **change) -> None:
        turn = state["turns"][turn_no]
        ctx.feedback.record(state["session"], turn_no, question=turn["question"], answer=turn["markdown"],
                            cited=turn["cited"], engine=turn["engine"], filters=turn["filters"], **change)

    def rate_latest(rating: str):
        def handler(state: dict):
            if not state or not state["turns"]:
                return state, "Ask a question first; then you can rate its answer."
            turn_no = len(state["turns"]) - 1
            _store(state, turn_no, rating=rating)
            state["rated"] = turn_no
            word = "helpful" if rating == "up" else "not helpful"
            return state, f"Thanks \u2014 answer {turn_no + 1} marked {word}. You can add a comment below."
        return handler

    def send_comment(comment: str, state: dict):
        comment = clean_message(comment, MAX_COMMENT_CHARS)
        if not state or not state["turns"]:
            return comment, "Ask a question first; then you can comment on its answer."
        if not comment:
            return comment, "Type a comment first."
        turn_no = state["rated"] if state.get("rated") is not None else len(state["turns"]) - 1
        _store(state, turn_no, comment=comment)
        return "", f"Thanks \u2014 your comment on answer {turn_no + 1} was saved for the maintainers."

    def add_documents(password: str, files, kind: str):
        if not ctx.check_admin(password):
            return ("Wrong password: nothing was added. (After five wrong passwords in a minute every attempt fails "
                    "until the minute is over.)", ctx.library_html())
        paths = [Path(f if isinstance(f, str) else getattr(f, "name", f)) for f in (files or [])]
        if not paths:
            return "Choose one or more files first.", ctx.library_html()
        try:
            summary = ctx.ingest_uploads(paths, kind if kind in ("guideline", "research") else None)
        except UploadRefused as exc:
            return f"Refused: {exc}. Nothing was added.", ctx.library_html()
        except Exception as exc:  # noqa: BLE001
            log.exception("upload ingest failed")
            return f"Adding the files failed: {exc}", ctx.library_html()
        return summary, ctx.library_html()

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
        with gr.Tabs():
            with gr.Tab("Ask", id="ask"), gr.Row(equal_height=False):
                with gr.Column(scale=3, min_width=320):
                    chatbot = gr.Chatbot(
                        elem_id="mc-chat", show_label=False, height=560, min_height=360, autoscroll=False,
                        placeholder=CHAT_PLACEHOLDER, latex_delimiters=[], buttons=[],
                        feedback_options=("Like", "Dislike"), group_consecutive_messages=False,
                        layout="bubble",
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
                            year_from = gr.Number(label="From year", precision=0, value=None, placeholder="any",
                                                  elem_id="mc-year-from")
                            year_to = gr.Number(label="To year", precision=0, value=None, placeholder="any",
                                                elem_id="mc-year-to")
                        gr.Markdown("Guidelines without a year are left out when a year is set.",
                                    elem_classes="mc-small")
                    with gr.Row(elem_id="mc-actions"):
                        new_btn = gr.Button("New chat", size="sm", variant="secondary", elem_id="mc-new")
                        # The file is written only when asked for: the button writes it, a hidden File hands
                        # it over and a line of JS starts the download (see DOWNLOAD_JS).
                        download = gr.Button("Download chat (Markdown)", size="sm", variant="secondary",
                                             interactive=False, elem_id="mc-download")
                        download_file = gr.File(visible="hidden", interactive=False, elem_id="mc-download-file")
                    with gr.Accordion("Copy this chat as Markdown", open=False, elem_id="mc-copy"):
                        export_md = gr.Textbox(show_label=True, label="Conversation", lines=6, max_lines=20,
                                               interactive=False, buttons=["copy"], elem_id="mc-export")
                    with gr.Column(elem_id="mc-feedback", variant="panel", visible=False) as feedback_box:
                        with gr.Row(elem_id="mc-rate-row"):
                            gr.HTML("<span class='mc-feedback-q'>Was the latest answer helpful?</span>",
                                    elem_classes="mc-feedback-q-wrap")
                            up = gr.Button("Helpful", size="sm", elem_id="mc-up", elem_classes="mc-rate")
                            down = gr.Button("Not helpful", size="sm", elem_id="mc-down", elem_classes="mc-rate")
                        with gr.Row(equal_height=True, elem_id="mc-comment-row"):
                            comment = gr.Textbox(show_label=False, placeholder="Comment for the maintainers "
                                                 "(optional)", lines=1, max_lines=4, scale=4,
                                                 elem_id="mc-comment", max_length=4000)
                            comment_btn = gr.Button("Send", size="sm", scale=1, min_width=70,
                                                    elem_id="mc-comment-send")
                        feedback_note = gr.Markdown("", elem_id="mc-feedback-note")
                        gr.HTML("<p class='mc-small'>You can also rate any answer with the thumbs under it. "
                                "Please leave out personal details.</p>")
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
                    add_btn.click(add_documents, [admin_pw, files, admin_kind], [admin_note, library_html],
                                  concurrency_limit=1)
                else:
                    gr.HTML("<p class='mc-small'>Maintainers add documents with <code>medcite ingest</code> "
                            "(or here, once <code>MEDCITE_UI_ADMIN_PASSWORD</code> is set).</p>")
        gr.HTML(f"<footer class='mc-footer'>{render.esc(render.DISCLAIMER_FULL)}</footer>")

        # Citation clicks arrive here (see JS): a hidden textbox carries "turn:n:ref".
        cite_box = gr.Textbox(visible="hidden", elem_id="mc-cite-box")
        cite_btn = gr.Button("show passage", visible="hidden", elem_id="mc-cite-btn")

        answer_outputs = [chatbot, state, msg, sources, passage, export_md, download, feedback_box]
        ask_args = {"fn": respond, "inputs": [msg, chatbot, state, kind, year_from, year_to],
                    "outputs": answer_outputs, "show_progress": "hidden"}
        msg.submit(**ask_args)
        send.click(**ask_args)
        for button, question in zip(example_buttons, EXAMPLES, strict=True):
            button.click(lambda q=question: value(q), None, msg, queue=False, show_progress="hidden").then(**ask_args)
        cite_btn.click(show_passage, [cite_box, state], passage, concurrency_limit=None,
                       show_progress="hidden").then(None, None, None, js=SCROLL_TO_PASSAGE)
        new_btn.click(new_chat, None, [*answer_outputs, comment, feedback_note], queue=False)
        chatbot.clear(new_chat, None, [*answer_outputs, comment, feedback_note], queue=False)
        chatbot.like(on_like, [state], [state, feedback_note], concurrency_limit=None)
        up.click(rate_latest("up"), [state], [state, feedback_note], concurrency_limit=None)
        down.click(rate_latest("down"), [state], [state, feedback_note], concurrency_limit=None)
        comment.submit(send_comment, [comment, state], [comment, feedback_note], concurrency_limit=None)
        comment_btn.click(send_comment, [comment, state], [comment, feedback_note], concurrency_limit=None)
        download.click(lambda state: value(_export_file(ctx, state or new_state())), [state], download_file,
                       concurrency_limit=None, show_progress="hidden").then(None, None, None, js=DOWNLOAD_JS)
        refresh.click(ctx.library_html, None, library_html, concurrency_limit=None)
        blocks.load(ctx.library_html, None, library_html)
    return blocks


def _error_message(exc: Exception) -> str:
    name = exc.__class__.__name__
    if name in ("LLMNotConfigured", "LedgerError", "VectorStoreError", "EmbeddingModelError"):
        return str(exc)
    return "Something went wrong while answering. Please try again; if it keeps happening, tell the maintainers."


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

    try:
        answer("")  # an empty question builds the service (library, Chroma) and returns at once
        if load_model:
            answer("warm-up question about health")
    except Exception:  # noqa: BLE001 - the first question will report the problem properly
        log.warning("warm-up failed", exc_info=True)
