"""What the chat does when a person asks, opens a passage, rates, comments, searches the Library or adds documents:
:class:`Handlers` holds one method per event; :mod:`medcite.ui.app` wires them to the layout.

Session state is a plain dict (``new_state``): the session id, the turns (question, Markdown, HTML, citations,
the refs each ``[n]`` points at, the filters in force, the rating), and which answer a comment is about. Answers come
only from the public ``medcite.qa`` API, looked up per call.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

import gradio as gr

from medcite.triage import TriageResult
from medcite.ui import answer_html, render
from medcite.ui.context import UIContext, UploadRefused

log = logging.getLogger(__name__)

MAX_COMMENT_CHARS = 4000
_REF = re.compile(r"^(\d{1,4}):(\d{1,4}):(-?\d{1,5})$")
RATE_LABELS = {"up": "Helpful", "down": "Not helpful"}
SELECTED_MARK = "\u2713 "


def new_state() -> dict:
    return {"session": uuid.uuid4().hex, "turns": [], "rated": None}


def year_value(value: Any) -> int | None:
    """A year typed in a filter box, or None when it is empty or not a year (1800-2200)."""
    if value in (None, ""):
        return None
    try:
        y = int(float(str(value).strip()))
    except (TypeError, ValueError):
        return None
    return y if 1800 <= y <= 2200 else None


def make_filters(kind: str, year_from: Any, year_to: Any):
    from medcite.qa import Filters

    low, high = year_value(year_from), year_value(year_to)
    if low and high and low > high:
        low, high = high, low
    return Filters(kind=None if kind in (None, "", "both") else kind, year_min=low, year_max=high)


def filters_dict(filters) -> dict:
    return {k: v for k, v in asdict(filters).items() if v is not None}


def chat_from_state(state: dict) -> list[dict]:
    chat = []
    for turn in state["turns"]:
        chat.append({"role": "user", "content": render.render_question(turn["question"])})
        chat.append({"role": "assistant", "content": turn["html"]})
    return chat


def answer_markdown(turn: dict) -> str:
    """What "Copy answer" copies: the question as a heading, then the answer as the engine wrote it."""
    question = " ".join(str(turn.get("question", "")).split())
    return f"## {question}\n\n{str(turn.get('markdown', '')).strip()}\n"


def clean_message(text: str | None, limit: int) -> str:
    """A message as the server keeps it: lone surrogates (which no page or JSON can carry) replaced, trimmed to
    ``limit`` characters before it is stored, rendered or recorded, whatever the client sent."""
    text = (text or "")[: limit * 2].encode("utf-8", "replace").decode("utf-8")
    return text.strip()[:limit]


def error_message(exc: Exception) -> str:
    name = exc.__class__.__name__
    if name in ("LLMNotConfigured", "LedgerError", "VectorStoreError", "EmbeddingModelError"):
        return str(exc)
    return "Something went wrong while answering. Please try again; if it keeps happening, tell the maintainers."


# A component that an event leaves unchanged with gr.update() gets its new values as gr.update(value=...) too:
# Gradio replaces a component on every update, and re-registers the replacement in the session under a new id when
# a bare value follows, so each answer would leave four component configs (~40 KB) in the session for as long as it
# lives (found by tests/reliability/test_load.py).
def value(new: Any) -> dict:
    return gr.update(value=new)


def rate_buttons(rating: str | None) -> tuple[dict, dict]:
    """The two rating buttons, the chosen one marked (a check mark and the accent colour)."""
    out = []
    for key in ("up", "down"):
        chosen = rating == key
        out.append(gr.update(value=(SELECTED_MARK if chosen else "") + RATE_LABELS[key],
                             elem_classes=["mc-rate", "mc-selected"] if chosen else ["mc-rate"]))
    return out[0], out[1]


class Handlers:
    """The chat's event handlers over one :class:`UIContext` (shared by all sessions)."""

    #: outputs of an answer: chat, state, question box, sources, passage, copy text, download, copy button,
    #: feedback box, the two rating buttons, the feedback note
    N_ANSWER_OUTPUTS = 12

    def __init__(self, ctx: UIContext) -> None:
        self.ctx = ctx
        self.settings = ctx.settings

    @staticmethod
    def _unchanged() -> tuple:  # everything after chat and state (fresh dicts each time)
        return tuple(gr.update() for _ in range(Handlers.N_ANSWER_OUTPUTS - 2))

    def respond(self, message: str, chat: list, state: dict, kind: str, year_from, year_to):
        import medcite.qa as qa  # looked up per call: the public API is the only way answers are made

        message = clean_message(message, self.settings.max_question_chars)
        state = state or new_state()
        chat = chat_from_state(state)  # the server's own record; never what the client sent back
        if not message:
            yield chat, state, *self._unchanged()
            return
        turn_no = len(state["turns"])
        filters = make_filters(kind, year_from, year_to)
        history = [(t["question"], t["markdown"]) for t in state["turns"]]
        chat = chat + [
            {"role": "user", "content": render.render_question(message)},
            {"role": "assistant", "content": render.render_status(render.SEARCHING)},
        ]
        yield chat, state, value(""), *self._unchanged()[1:]
        streamed = ""
        final = None
        notice = None
        try:
            for item in qa.stream_answer(message, history, filters):
                if isinstance(item, TriageResult):  # shown at once, while the library is searched
                    notice = item
                    chat[-1] = {"role": "assistant",
                                "content": render.render_streaming("", render.SEARCHING, triage=notice)}
                    yield chat, state, *self._unchanged()
                elif isinstance(item, str):
                    streamed += item
                    chat[-1] = {"role": "assistant", "content": render.render_streaming(streamed, triage=notice)}
                    yield chat, state, *self._unchanged()
                else:
                    final = item
                    if streamed:  # the model's draft stays on screen while its citations are checked
                        chat[-1] = {"role": "assistant",
                                    "content": render.render_streaming(streamed, render.VERIFYING, triage=notice)}
        except Exception as exc:  # noqa: BLE001 - a failed answer is a message in the chat, not a crash
            log.exception("answering failed")
            chat[-1] = {"role": "assistant", "content": render.render_error(error_message(exc))}
            yield chat, state, *self._unchanged()
            return
        if final is None:
            chat[-1] = {"role": "assistant", "content": render.render_error("No answer came back; please try again.")}
            yield chat, state, *self._unchanged()
            return
        rendered = answer_html.render_answer(final, turn_no)
        citations = [asdict(c) for c in final.citations]
        turn = {
            "question": message, "markdown": final.markdown, "html": rendered.html, "citations": citations,
            "refs": [(r.n, r.sentence) for r in rendered.refs], "engine": final.engine,
            "cited": list(dict.fromkeys(c.doc_id for c in final.citations)), "filters": filters_dict(filters),
            "abstained": final.abstained, "emergency": final.emergency, "triage": final.triage.to_dict(),
            "rating": None,
        }
        state["turns"].append(turn)
        state["rated"] = None
        chat[-1] = {"role": "assistant", "content": rendered.html}
        sources = render.render_sources(final.citations, turn_no, rendered.refs, answered=True)
        up, down = rate_buttons(None)
        yield (chat, state, gr.update(), value(sources), value(render.PASSAGE_PLACEHOLDER),
               value(answer_markdown(turn)), gr.update(interactive=True), gr.update(interactive=True),
               gr.update(visible=True), up, down, value(""))

    def show_passage(self, ref: str, state: dict) -> dict:
        return value(self.passage_for(ref, state))

    def passage_for(self, ref: str, state: dict) -> str:
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
            return self.ctx.passage_html(citation, sentence)
        except Exception as exc:  # noqa: BLE001
            log.exception("passage lookup failed")
            return render.render_error(f"The passage could not be read: {exc}")

    def new_chat(self):
        up, down = rate_buttons(None)
        return ([], new_state(), value(""), value(render.render_sources([], 0)), value(render.PASSAGE_PLACEHOLDER),
                value(""), gr.update(interactive=False), gr.update(interactive=False), gr.update(visible=False),
                up, down, value(""), value(""))

    def _store(self, state: dict, turn_no: int, **change) -> None:
        turn = state["turns"][turn_no]
        self.ctx.feedback.record(state["session"], turn_no, question=turn["question"], answer=turn["markdown"],
                                 cited=turn["cited"], engine=turn["engine"], filters=turn["filters"], **change)

    def rate_latest(self, rating: str):
        """The handler of one rating button: rates the latest answer; the same button again clears the rating."""
        def handler(state: dict):
            if not state or not state["turns"]:
                return (state, "Ask a question first; then you can rate its answer.", *rate_buttons(None))
            turn_no = len(state["turns"]) - 1
            turn = state["turns"][turn_no]
            chosen = None if turn.get("rating") == rating else rating
            self._store(state, turn_no, rating=chosen)
            turn["rating"] = chosen
            state["rated"] = turn_no
            if chosen is None:
                note = f"Your rating of answer {turn_no + 1} was cleared."
            else:
                word = "helpful" if chosen == "up" else "not helpful"
                note = f"Thanks \u2014 answer {turn_no + 1} marked {word}. You can add a comment below."
            return (state, note, *rate_buttons(chosen))
        return handler

    def send_comment(self, comment: str, state: dict):
        comment = clean_message(comment, MAX_COMMENT_CHARS)
        if not state or not state["turns"]:
            return comment, "Ask a question first; then you can comment on its answer."
        if not comment:
            return comment, "Type a comment first."
        turn_no = state["rated"] if state.get("rated") is not None else len(state["turns"]) - 1
        self._store(state, turn_no, comment=comment)
        return "", f"Thanks \u2014 your comment on answer {turn_no + 1} was saved for the maintainers."

    def export_file(self, state: dict) -> dict:
        state = state or new_state()
        if not state["turns"]:
            return value(None)
        return value(self.ctx.export_file(state, render.conversation_markdown(state["turns"])))

    def topics(self, query: str) -> dict:
        return value(self.ctx.topics_html(clean_message(query, 200)))

    def library(self) -> tuple[dict, dict]:
        return value(self.ctx.library_html()), value(self.ctx.topics_html(""))

    def add_documents(self, password: str, files, kind: str):
        ctx = self.ctx
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
