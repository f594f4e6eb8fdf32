"""The answer as JSON: ``ask --json``, the eval results and the HTTP surfaces write :func:`to_dict`, a versioned
contract
(:data:`~medcite.answer.document.SCHEMA`, documented field by field in ``docs/answer-json.md``).

Statement text is the source's own text, unescaped (``p<0.001``); only the Markdown view escapes it. URLs pass
:func:`~medcite.answer.markdown.safe_url`: a stored ``javascript:`` link never leaves as a URL.
"""

from __future__ import annotations

from typing import Any

from medcite.answer.document import SCHEMA, Answer, BottomLine, Refusal
from medcite.types import Citation, Statement


def statement_dict(s: Statement) -> dict[str, Any]:
    out: dict[str, Any] = {"text": s.text, "citations": list(s.citations), "chunk_ids": list(s.chunk_ids),
                           "facet": s.facet}
    if s.span is not None:
        out["span"] = list(s.span)
    if s.support is not None:
        out["support"] = s.support
    if s.items:
        out["lead"], out["items"] = s.lead, list(s.items)
    return out


def citation_dict(c: Citation) -> dict[str, Any]:
    from medcite.answer.markdown import safe_url

    out = {"n": c.n, "doc_id": c.doc_id, "title": c.title, "source": c.source, "year": c.year, "url": safe_url(c.url),
           "kind": c.kind, "evidence_label": c.evidence_label, "passages": list(c.passages)}
    if c.snapshot:
        out["snapshot"] = c.snapshot
    return out


def _bottom_dict(b: BottomLine) -> dict[str, Any]:
    return {"verdict": b.verdict, "question": b.question, "unanswered": b.unanswered,
            "statements": [statement_dict(s) for s in b.statements]}


def _refusal_dict(r: Refusal | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {"missing": list(r.missing), "broader": list(r.broader), "hint": r.hint,
            "suggestions": [{"title": s.title, "question": s.question} for s in r.suggestions],
            "held": [statement_dict(s) for s in r.held]}


def sections(answer: Answer) -> dict[str, Any]:
    """The parts as plain data: ``guidelines`` (bottom line, considerations), ``research``, ``notes``,
    ``verification``."""
    out: dict[str, Any] = {
        "guidelines": {
            "bottom_line": [statement_dict(s) for b in answer.bottom_line for s in b.statements],
            "considerations": [
                {
                    "facet": item.facet,
                    "text": " ".join(s.text for s in item.statements),
                    "citations": sorted({n for s in item.statements for n in s.citations}),
                    "chunk_ids": sorted({c for s in item.statements for c in s.chunk_ids}),
                    "statements": [statement_dict(s) for s in item.statements],
                }
                for item in answer.considerations
            ],
        },
        "research": [{"heading": f.heading, "bullets": [statement_dict(s) for s in f.statements],
                      **({"agreement": f.agreement} if f.agreement else {})} for f in answer.research],
    }
    verdicts = [b.verdict for b in answer.bottom_line if b.verdict]
    if verdicts:
        out["guidelines"]["verdict"] = verdicts[0]
    if answer.part_notes:
        out["notes"] = dict(answer.part_notes)
    if answer.verification is not None:
        out["verification"] = answer.verification
    return out


def to_dict(answer: Answer) -> dict[str, Any]:
    """The answer as the JSON contract: every part typed, plus its Markdown view."""
    return {
        "schema": SCHEMA,
        "question": answer.question,
        "engine": answer.engine,
        "abstained": answer.abstained,
        "emergency": answer.emergency,
        "triage": answer.triage.to_dict(),
        "notices": list(answer.notices),
        "filters": answer.filters,
        "decision": answer.decision,
        "bottom_line": [_bottom_dict(b) for b in answer.bottom_line],
        "considerations": [{"facet": c.facet, "statements": [statement_dict(s) for s in c.statements]}
                           for c in answer.considerations],
        "research": [{"heading": f.heading, "agreement": f.agreement,
                      "statements": [statement_dict(s) for s in f.statements]} for f in answer.research],
        "part_notes": dict(answer.part_notes),
        "refusal": _refusal_dict(answer.refusal),
        "citations": [citation_dict(c) for c in answer.citations],
        "retrieved": list(answer.retrieved),
        "analysis": answer.analysis.to_dict() if answer.analysis is not None else None,
        "verification": answer.verification,
        "timings_ms": dict(answer.timings_ms),
        "answer_markdown": answer.markdown,
    }
