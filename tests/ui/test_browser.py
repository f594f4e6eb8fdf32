"""The chat UI as a person uses it: a real server on loopback, Debian's Chromium driven by Playwright.

Screenshots (desktop 1280x900, phone 390 px wide) land in test-artifacts/ui/ for people to look at.
"""

from __future__ import annotations

import re
import sqlite3
import urllib.error
import urllib.request

import pytest
from click.testing import CliRunner

from medcite.cli.main import cli
from tests.ui.conftest import ADMIN_PASSWORD, XSS_QUESTION

IVIG = "Does IVIG help all autoimmune conditions?"
FOLLOW_UP = "and its side effects?"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 60_000
WATCH_STATUS = """() => {
  window.__sawStatus = false;
  const chat = document.querySelector('#mc-chat');
  new MutationObserver(() => {
    if (chat.querySelector('.mc-status')) window.__sawStatus = true;
  }).observe(chat, {subtree: true, childList: true, characterData: true});
}"""


def http_get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


@pytest.fixture
def page(browser, ui_server):
    """A fresh browser tab on the app; fails the test if the page asks anything of the internet."""
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    tab = context.new_page()
    outside: list[str] = []
    tab.on("request", lambda r: outside.append(r.url)
           if not r.url.startswith((ui_server.url, "data:", "blob:", "about:")) else None)
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto(ui_server.url + "/", wait_until="load", timeout=TIMEOUT_MS)
    tab.wait_for_selector("#mc-input textarea", timeout=TIMEOUT_MS)
    yield tab
    context.close()
    assert outside == [], f"the page tried to reach the internet: {outside}"
    assert errors == [], f"JavaScript errors: {errors}"


def ask(page, question: str, *, answers_before: int | None = None) -> None:
    """Type a question and wait for its answer (the composed answer, not the status line)."""
    before = page.locator("#mc-chat .mc-answer:not(.mc-streaming)").count() if answers_before is None \
        else answers_before
    page.locator("#mc-input textarea").fill(question)
    page.locator("#mc-send").click()
    page.wait_for_function(
        "n => document.querySelectorAll('#mc-chat .mc-answer:not(.mc-streaming)').length > n", arg=before,
        timeout=TIMEOUT_MS)


def last_answer(page):
    return page.locator("#mc-chat .mc-answer:not(.mc-streaming)").last


def feedback_row(server, turn: int) -> dict | None:
    with sqlite3.connect(server.ctx.feedback.path) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute("SELECT * FROM feedback WHERE turn = ? ORDER BY id DESC", (turn,)).fetchall()
    return dict(rows[0]) if rows else None


@pytest.mark.integration
class TestChatInTheBrowser:
    def test_a_conversation_as_a_person_has_it(self, page, ui_server, artifacts):
        # The page: title, the not-medical-advice line, examples; nothing fetched from outside (fixture).
        assert page.title() == "MedCite"
        assert page.get_by_text("not medical advice", exact=False).first.is_visible()
        assert page.locator(".mc-example").count() >= 3
        page.screenshot(path=str(artifacts / "desktop-start.png"))

        # 1. The IVIG question: the status line first, then the answer with both parts and citations.
        page.evaluate(WATCH_STATUS)
        ask(page, IVIG, answers_before=0)
        assert page.evaluate("window.__sawStatus"), "no 'Searching the library…' status was shown"
        answer = last_answer(page)
        headings = answer.locator("h3").all_inner_texts()
        assert headings[:2] == ["From the Guidelines", "From the Research"] and "References" in headings
        assert "IVIG does not help all autoimmune conditions" in answer.inner_text()
        numbers = {int(t.strip("[]")) for t in answer.locator("a.mc-cite").all_inner_texts()}
        assert numbers and numbers == set(range(1, max(numbers) + 1))
        labels = page.evaluate("[...document.querySelectorAll('#mc-chat [aria-label]')].map(e => e.ariaLabel)")
        assert not [label for label in labels if "<" in label], labels  # screen readers get text, not HTML
        sources = page.locator("#mc-sources li.mc-source")
        assert sources.count() == max(numbers)
        assert "Intravenous Immunoglobulin (IVIG)" in sources.first.inner_text()
        page.wait_for_timeout(400)  # the chat scrolls back to the question
        page.screenshot(path=str(artifacts / "desktop-answer.png"))

        # 2. Clicking [1] opens the passage: title, source, label, the cited sentence highlighted, a link out.
        answer.locator("a.mc-cite").first.click()
        page.wait_for_selector("#mc-passage mark.mc-hl", timeout=TIMEOUT_MS)
        passage = page.locator("#mc-passage")
        assert "Intravenous Immunoglobulin (IVIG)" in passage.inner_text()
        assert "NIH consumer guideline (NINDS)" in passage.inner_text()
        assert page.locator("#mc-passage mark.mc-hl").inner_text() == "IVIG does not help all autoimmune conditions"
        link = page.locator("#mc-passage a.mc-out")
        assert link.get_attribute("href") == "https://www.ninds.nih.gov/ivig"
        assert link.get_attribute("target") == "_blank" and "noopener" in link.get_attribute("rel")
        page.screenshot(path=str(artifacts / "desktop-answer-passage.png"))

        # 3. A follow-up keeps the context: "its" is IVIG.
        ask(page, FOLLOW_UP)
        follow = last_answer(page).inner_text().lower()
        assert "headache" in follow and "ivig" in follow

        # 4. Feedback (one mechanism: the buttons under the chat rate the latest answer); a comment.
        assert page.locator("#mc-chat button[aria-label='Like']").count() == 0
        page.locator("#mc-down").click()
        page.wait_for_function("() => /answer 2 marked not helpful/.test("
                               "document.querySelector('#mc-feedback-note').innerText)", timeout=TIMEOUT_MS)
        page.locator("#mc-comment textarea").fill("Clear and well sourced.")
        page.locator("#mc-comment-send").click()
        page.wait_for_function("() => /comment on answer 2 was saved/.test("
                               "document.querySelector('#mc-feedback-note').innerText)", timeout=TIMEOUT_MS)
        second = feedback_row(ui_server, 1)
        assert second and second["rating"] == "down" and second["comment"] == "Clear and well sourced."
        assert second["question"] == FOLLOW_UP and second["engine"] == "offline"
        assert second["created_at"] and "From the Guidelines" in second["answer"]

        # 5. A document full of markup: shown as text, never run, in the chat and in the passage view.
        ask(page, XSS_QUESTION)
        shown = last_answer(page).inner_text()
        assert "<script>window.__pwned = 1</script>" in shown
        assert "<img src=x onerror=" in shown
        last_answer(page).locator("a.mc-cite").first.click()
        page.wait_for_function("() => document.querySelector('#mc-passage').innerText.includes('Sunscreen')",
                               timeout=TIMEOUT_MS)
        assert "<script>window.__pwned = 1</script>" in page.locator("#mc-passage").inner_text()
        page.wait_for_timeout(300)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.evaluate("document.querySelectorAll('img[src=\"x\"], #mc-chat script, #mc-passage script,"
                             " #mc-sources script').length") == 0
        assert page.locator("#mc-passage a.mc-out").get_attribute("href").startswith("https://pubmed.ncbi.nlm.nih.gov/")
        page.screenshot(path=str(artifacts / "desktop-markup-as-text.png"))

        # 6. Safety: the emergency notice stands out; an off-topic question is declined kindly.
        ask(page, "I think I'm having a stroke right now, my face is drooping")
        notice = last_answer(page).locator(".mc-emergency")
        assert notice.is_visible() and "This may be a medical emergency" in notice.inner_text()
        assert notice.get_attribute("role") == "alert"
        assert notice.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(253, 232, 232)"
        page.wait_for_timeout(400)
        page.screenshot(path=str(artifacts / "desktop-emergency.png"))
        ask(page, "What is the capital of France?")
        declined = last_answer(page)
        assert "mc-abstained" in declined.get_attribute("class")
        assert "closest topics the library does cover" in declined.inner_text()
        assert "rephrase" in declined.locator(".mc-abstain-hint").inner_text()

        # 7. The conversation as Markdown, downloaded.
        with page.expect_download(timeout=TIMEOUT_MS) as download_info:
            page.locator("#mc-download").click()
        downloaded = download_info.value.path().read_text(encoding="utf-8")
        assert downloaded.startswith("# MedCite conversation") and f"## 1. {IVIG}" in downloaded
        assert f"## 2. {FOLLOW_UP}" in downloaded and "**From the Guidelines**" in downloaded
        assert download_info.value.suggested_filename.endswith(".md")

        # 8. New chat starts over.
        page.locator("#mc-new").click()
        page.wait_for_function("() => document.querySelectorAll('#mc-chat .mc-answer').length === 0",
                               timeout=TIMEOUT_MS)
        assert "sources of an answer are listed here" in page.locator("#mc-sources").inner_text()

    def test_on_a_phone(self, browser, ui_server, artifacts):
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1)
        tab = context.new_page()
        try:
            tab.goto(ui_server.url + "/", wait_until="load", timeout=TIMEOUT_MS)
            tab.wait_for_selector("#mc-input textarea", timeout=TIMEOUT_MS)
            tab.screenshot(path=str(artifacts / "phone-start.png"))
            ask(tab, IVIG, answers_before=0)
            tab.wait_for_timeout(500)
            tab.evaluate("window.scrollTo(0, 0)")
            tab.screenshot(path=str(artifacts / "phone-answer.png"))
            width = tab.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"
            last_answer(tab).locator("a.mc-cite").first.click()
            tab.wait_for_selector("#mc-passage mark.mc-hl", timeout=TIMEOUT_MS)
            tab.wait_for_timeout(800)  # the passage panel scrolls into view
            top = tab.locator("#mc-passage-panel").first.evaluate("e => e.getBoundingClientRect().top")
            assert 0 <= top < PHONE["height"], "the passage was not brought into view"
            tab.screenshot(path=str(artifacts / "phone-passage.png"))
            tab.screenshot(path=str(artifacts / "phone-full.png"), full_page=True)
        finally:
            context.close()

    @pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
    def test_the_emergency_notice_is_brought_into_view_wherever_the_page_was_scrolled(
            self, browser, ui_server, artifacts, viewport):
        context = browser.new_context(viewport=viewport)
        tab = context.new_page()
        try:
            tab.goto(ui_server.url + "/", wait_until="load", timeout=TIMEOUT_MS)
            tab.wait_for_selector("#mc-input textarea", timeout=TIMEOUT_MS)
            ask(tab, IVIG, answers_before=0)
            # Scroll the page to its very end and the chat box to its top, then send without Playwright's
            # scroll-into-view (a person typing in a box that stays put at the bottom of a phone screen).
            tab.evaluate("""() => {
              window.scrollTo(0, document.documentElement.scrollHeight);
              const log = document.querySelector('#mc-chat [role="log"]');
              if (log) log.scrollTop = 0;
              const box = document.querySelector('#mc-input textarea');
              box.value = "my dad's face is drooping and he can't lift his arm";
              box.dispatchEvent(new Event('input', {bubbles: true}));
            }""")
            tab.wait_for_timeout(300)
            tab.evaluate("() => document.querySelector('#mc-send').click()")
            tab.wait_for_selector("#mc-chat .mc-emergency", timeout=TIMEOUT_MS)
            tab.wait_for_timeout(800)
            box = tab.locator("#mc-chat .mc-emergency").last.evaluate(
                "e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; }")
            assert 0 <= box["top"] < viewport["height"] - 40, f"the notice is out of view: {box}"
            notice = tab.locator("#mc-chat .mc-emergency").last
            assert notice.get_attribute("role") == "alert"
            assert "Call 911" in notice.inner_text() and "time the symptoms started" in notice.inner_text()
            name = "desktop" if viewport is DESKTOP else "phone"
            tab.screenshot(path=str(artifacts / f"{name}-emergency.png"))
        finally:
            context.close()

    def test_a_person_at_risk_gets_the_crisis_reply_and_no_evidence(self, page, artifacts):
        ask(page, "i dont want to be alive anymore and i have the pills saved up", answers_before=0)
        answer = last_answer(page)
        notice = answer.locator(".mc-emergency.mc-crisis")
        assert notice.count() == 1 and "988" in notice.inner_text()
        assert answer.locator("a.mc-cite").count() == 0 and "closest topics" not in answer.inner_text()
        assert "could not find evidence" not in answer.inner_text()
        page.screenshot(path=str(artifacts / "desktop-crisis.png"))

    def test_model_text_streams_then_the_verified_answer_replaces_it(self, page, monkeypatch):
        import time

        import medcite.qa as qa

        real = qa.answer

        def llm_like(question, history=None, filters=None, **kwargs):
            for piece in ("IVIG ", "does not help ", "every autoimmune ", "condition [1]."):
                time.sleep(0.4)
                yield piece
            final = real(question, history, filters, **kwargs)
            final.engine = "llm"
            yield final

        monkeypatch.setattr(qa, "stream_answer", llm_like)
        page.evaluate("""() => {
          window.__drafts = [];
          new MutationObserver(() => {
            const d = document.querySelector('#mc-chat .mc-streaming');
            if (d) window.__drafts.push(d.innerText);
          }).observe(document.querySelector('#mc-chat'), {subtree: true, childList: true, characterData: true});
        }""")
        ask(page, IVIG, answers_before=0)
        drafts = page.evaluate("window.__drafts")
        assert any("does not help every" in d for d in drafts), drafts
        assert any("Writing the answer" in d for d in drafts)
        assert page.locator("#mc-chat .mc-streaming").count() == 0  # replaced by the verified answer
        assert "IVIG does not help all autoimmune conditions" in last_answer(page).inner_text()

    def test_a_failing_engine_is_a_message_not_a_crash(self, page, monkeypatch):
        import medcite.qa as qa
        from medcite.qa.llm import LLMNotConfigured

        def broken(*_args, **_kwargs):
            raise LLMNotConfigured("the LLM engine needs MEDCITE_LLM_BASE_URL or a provider")
            yield  # pragma: no cover

        monkeypatch.setattr(qa, "stream_answer", broken)
        page.locator("#mc-input textarea").fill(IVIG)
        page.locator("#mc-send").click()
        page.wait_for_selector("#mc-chat .mc-error", timeout=TIMEOUT_MS)
        assert "MEDCITE_LLM_BASE_URL" in page.locator("#mc-chat .mc-error").inner_text()

    def test_example_question_and_filters(self, page):
        page.locator(".mc-example", has_text=IVIG).click()
        page.wait_for_selector("#mc-chat .mc-answer h3", timeout=TIMEOUT_MS)
        page.locator("#mc-new").click()
        page.wait_for_function("() => document.querySelectorAll('#mc-chat .mc-answer').length === 0",
                               timeout=TIMEOUT_MS)
        page.locator("#mc-filters").get_by_text("Filters: evidence type and years").click()
        page.locator("#mc-kind").get_by_text("Research only").click()
        page.locator("#mc-year-from textarea, #mc-year-from input").fill("2010")
        ask(page, "What are the adverse events of IVIG?", answers_before=0)
        kinds = page.locator("#mc-sources .mc-badge").all_inner_texts()
        years = [int(y) for y in re.findall(r"\b(19\d\d|20\d\d)\b", page.locator("#mc-sources").inner_text())]
        assert kinds and set(kinds) == {"Research"}
        assert years and min(years) >= 2010

    def test_two_people_at_once(self, browser, ui_server):
        tabs = [browser.new_page(viewport=DESKTOP) for _ in range(2)]
        try:
            for tab in tabs:
                tab.goto(ui_server.url + "/", wait_until="load", timeout=TIMEOUT_MS)
                tab.wait_for_selector("#mc-input textarea", timeout=TIMEOUT_MS)
            for tab, question in zip(tabs, (IVIG, "What are the adverse events of IVIG?"), strict=True):
                tab.locator("#mc-input textarea").fill(question)
            for tab in tabs:
                tab.locator("#mc-send").click()
            for tab in tabs:
                tab.wait_for_selector("#mc-chat .mc-answer h3", timeout=TIMEOUT_MS)
            assert "IVIG does not help all autoimmune conditions" in tabs[0].locator("#mc-chat").inner_text()
            assert "adverse events" in tabs[1].locator("#mc-chat").inner_text().lower()
            assert tabs[0].locator("#mc-chat .mc-answer").count() == 1  # sessions do not mix
        finally:
            for tab in tabs:
                tab.close()

    def test_library_tab_and_adding_a_document(self, page, ui_server, tmp_path, artifacts):
        page.get_by_role("tab", name="Library").click()
        page.locator("#mc-lib-stats").get_by_text("What the library holds").click()
        page.wait_for_selector("#mc-library .mc-card", timeout=TIMEOUT_MS)
        library = page.locator("#mc-library").inner_text()
        assert "Documents" in library and "8" in library
        assert "NINDS" in library and "Journal of Immunology Research" in library
        assert "By year" in library and "2019" in library
        page.screenshot(path=str(artifacts / "desktop-library.png"), full_page=True)

        upload = tmp_path / "zinc.md"
        upload.write_text("# Zinc and the common cold\n\nZinc lozenges shortened the common cold by about one day "
                          "in adults when started within a day of the first symptoms.\n", encoding="utf-8")
        page.locator("#mc-admin").get_by_text("Add documents (maintainers)").click()
        page.locator("#mc-admin-files input[type=file]").set_input_files(str(upload))
        page.wait_for_function("() => /zinc\\s*\\.md/.test(document.querySelector('#mc-admin-files').innerText)",
                               timeout=TIMEOUT_MS)
        page.locator("#mc-admin-pw input").fill("wrong")
        page.locator("#mc-admin-add").click()
        page.wait_for_selector("text=Wrong password: nothing was added.", timeout=TIMEOUT_MS)
        page.locator("#mc-admin-pw input").fill(ADMIN_PASSWORD)
        page.locator("#mc-admin-add").click()
        page.wait_for_selector("text=1 added", timeout=TIMEOUT_MS)
        assert ui_server.ctx.counts()["documents"] == 9
        assert (ui_server.ctx.settings.sources_dir / "uploads" / "zinc.md").exists()
        page.get_by_role("tab", name="Ask").click()
        ask(page, "Do zinc lozenges shorten the common cold?", answers_before=0)
        assert "Zinc lozenges shortened the common cold" in last_answer(page).inner_text()


@pytest.mark.integration
class TestServerBoundaries:
    @pytest.mark.parametrize("path", [
        "/gradio_api/file=/etc/passwd",
        "/file=/etc/passwd",
        "/gradio_api/file=../../../../etc/passwd",
        "/gradio_api/file=%2Fetc%2Fpasswd",
        "/gradio_api/file={home}/feedback.sqlite",
        "/gradio_api/file={ledger}",
    ])
    def test_files_outside_the_app_are_refused(self, ui_server, path):
        settings = ui_server.ctx.settings
        ui_server.ctx.feedback.count()  # the feedback file exists
        status, body = http_get(ui_server.url + path.format(home=settings.home, ledger=settings.ledger_path))
        assert status in (403, 404), (path, status)
        assert "root:" not in body and "SQLite format" not in body

    def test_health_endpoint_reports_the_library(self, ui_server):
        status, body = http_get(ui_server.url + "/healthz")
        assert status == 200
        import json

        data = json.loads(body)
        assert data["status"] == "ok" and data["documents"] >= 8 and data["chunks"] >= data["documents"]


@pytest.mark.integration
def test_login_is_required_when_auth_is_set(settings, monkeypatch, tmp_path):
    from medcite.qa.service import reset_service
    from medcite.ui.app import Server
    from tests.conftest import FakeEmbedder, free_port
    from tests.ui.conftest import build_library

    monkeypatch.setattr("medcite.qa.service.Embedder", FakeEmbedder)
    reset_service()
    build_library(settings, tmp_path / "incoming")
    secured = type(settings)(home=settings.home, ui_auth="ann:s3cret-pass")
    server = Server("127.0.0.1", free_port(), secured)
    server.start()
    try:
        status, body = http_get(server.url + "/config")
        assert status == 401 or '"auth_required"' in body.replace(" ", "")
        status, body = http_get(server.url + "/")
        assert status == 200 and '"auth_required":true' in body.replace(" ", "")
        assert "IVIG" not in body  # no app content before login
        request = urllib.request.Request(server.url + "/login", data=b"username=ann&password=wrong", method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code in (400, 401)
        request = urllib.request.Request(server.url + "/login", data=b"username=ann&password=s3cret-pass",
                                         method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
        assert http_get(server.url + "/healthz")[0] == 200  # the health check stays open for load balancers
    finally:
        server.stop()
        reset_service()


@pytest.mark.unit
class TestUiCommand:
    def test_another_address_needs_a_login(self, monkeypatch):
        monkeypatch.delenv("MEDCITE_UI_AUTH", raising=False)
        result = CliRunner().invoke(cli, ["ui", "--host", "0.0.0.0"])
        assert result.exit_code == 1 and "MEDCITE_UI_AUTH" in result.output and "Traceback" not in result.output

    def test_malformed_auth_is_a_clean_error(self, monkeypatch):
        monkeypatch.setenv("MEDCITE_UI_AUTH", "no-colon-here")
        result = CliRunner().invoke(cli, ["ui", "--host", "0.0.0.0"])
        assert result.exit_code == 1 and "user:password" in result.output

    def test_no_library_says_what_to_run(self, monkeypatch):
        monkeypatch.delenv("MEDCITE_UI_AUTH", raising=False)
        result = CliRunner().invoke(cli, ["ui", "--port", "7999"])
        assert result.exit_code == 1 and "medcite ingest" in result.output

    def test_loopback_check(self):
        from medcite.ui.app import is_loopback

        assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
        assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
