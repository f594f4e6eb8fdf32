"""The chat's layout and controls in a real Chromium on the real app (small library, FakeEmbedder): what is on screen
on first load at a laptop and a phone size, the filters an answer states, suggestions and Library topics that ask,
"Copy answer", the one feedback mechanism and its selected state, and citation badges and the scroll button."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from tests.ui.test_browser import IVIG, TIMEOUT_MS, ask, feedback_row, last_answer

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
OFF_TOPIC = "What is the capital of France?"


def open_tab(browser, server, viewport, **options):
    context = browser.new_context(viewport=viewport, **options)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto(server.url + "/", wait_until="load", timeout=TIMEOUT_MS)
    tab.wait_for_selector("#mc-input textarea", timeout=TIMEOUT_MS)
    tab.wait_for_timeout(300)
    return context, tab, errors


def rect(locator) -> dict:
    return locator.evaluate("e => { const r = e.getBoundingClientRect();"
                            " return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; }")


@pytest.mark.integration
class TestLayout:
    @pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366x768", "390x844"])
    def test_the_question_box_and_examples_are_on_screen_on_first_load(self, browser, ui_server, viewport):
        phone = viewport is PHONE
        context, tab, errors = open_tab(browser, ui_server, viewport, is_mobile=phone, has_touch=phone)
        try:
            assert tab.evaluate("window.scrollY") == 0
            for selector in ("#mc-input textarea", "#mc-send", ".mc-example >> nth=0", ".mc-examples-label"):
                box = rect(tab.locator(selector))
                assert box["top"] >= 0 and box["bottom"] <= viewport["height"], (selector, box)
            assert tab.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            assert errors == []
        finally:
            context.close()

    def test_badges_are_not_clipped_and_the_scroll_button_covers_no_text(self, browser, ui_server):
        context, tab, errors = open_tab(browser, ui_server, LAPTOP)
        try:
            ask(tab, IVIG, answers_before=0)
            ask(tab, "What are the adverse events of IVIG?")
            tab.wait_for_timeout(500)
            clipped = tab.evaluate("""() => [...document.querySelectorAll('a.mc-cite')]
                .filter(a => a.offsetParent
                        && (a.scrollWidth > a.clientWidth + 0.5 || a.scrollHeight > a.clientHeight + 0.5))
                .map(a => a.innerText)""")
            assert clipped == []
            # The chat stays at the latest question, so the "scroll down" button shows: in the gutter, beside
            # the answer, never over it.
            log = tab.locator("#mc-chat [role='log']").first
            log.evaluate("e => { e.scrollTop = 0; }")
            tab.wait_for_timeout(400)
            button = tab.locator("#mc-chat .scroll-down-button-container button")
            assert button.count() == 1 and button.is_visible()
            b = rect(button)
            for answer in tab.locator("#mc-chat .message-row.bot-row .message").all():
                a = rect(answer)
                overlaps = a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] \
                    and b["top"] < a["bottom"]
                assert not overlaps, (a, b)
            assert errors == []
        finally:
            context.close()


@pytest.mark.integration
class TestFiltersAndSuggestions:
    def test_year_filters_are_empty_and_the_answer_states_the_filters(self, browser, ui_server):
        context, tab, errors = open_tab(browser, ui_server, LAPTOP)
        try:
            tab.locator("#mc-filters").get_by_text("Filters: evidence type and years").click()
            years = tab.locator("#mc-year-from textarea, #mc-year-from input")
            assert years.input_value() == "" and tab.locator(
                "#mc-year-to textarea, #mc-year-to input").input_value() == ""
            ask(tab, IVIG, answers_before=0)  # no filters: no notice
            assert "Searched with filters" not in last_answer(tab).inner_text()
            tab.locator("#mc-kind").get_by_text("Research only").click()
            years.fill("2010")
            ask(tab, "What are the adverse events of IVIG?")
            text = last_answer(tab).inner_text()
            assert "Searched with filters: research only, from 2010." in text
            assert "The filters in force (research only, from 2010) leave out guideline passages." in text
            assert "The library has no guideline passage" not in text
            copied = tab.locator("#mc-export textarea, #mc-export input").input_value()
            assert "*Searched with filters: research only, from 2010.*" in copied
            assert errors == []
        finally:
            context.close()

    def test_a_suggestion_after_a_refusal_asks_its_question(self, browser, ui_server):
        context, tab, errors = open_tab(browser, ui_server, LAPTOP)
        try:
            ask(tab, OFF_TOPIC, answers_before=0)
            refusal = last_answer(tab)
            assert "mc-abstained" in refusal.get_attribute("class")
            link = refusal.locator("a.mc-suggest").first
            href = link.get_attribute("href")
            assert href.startswith("#mc-ask-")
            question = unquote(href[len("#mc-ask-"):])
            assert question.endswith("?")
            link.click()
            tab.wait_for_function(
                "() => document.querySelectorAll('#mc-chat .mc-answer:not(.mc-streaming)').length > 1",
                timeout=TIMEOUT_MS)
            asked = tab.locator("#mc-chat .message-row.user-row").last.inner_text().strip()
            assert asked == question
            assert tab.evaluate("location.hash") == ""  # the click asked; it did not navigate
            assert errors == []
        finally:
            context.close()


@pytest.mark.integration
class TestLibraryTopics:
    def test_the_library_lists_and_searches_its_topics_and_a_topic_asks(self, browser, ui_server, artifacts):
        context, tab, errors = open_tab(browser, ui_server, LAPTOP)
        try:
            tab.get_by_role("tab", name="Library").click()
            tab.wait_for_selector("#mc-topics a.mc-topic", timeout=TIMEOUT_MS)
            everything = tab.locator("#mc-topics a.mc-topic").all_inner_texts()
            assert "Intravenous Immunoglobulin (IVIG)" in everything and len(everything) >= 2
            assert "guideline topics" in tab.locator("#mc-topics .mc-topics-head").inner_text()
            tab.locator("#mc-topic-search textarea, #mc-topic-search input").fill("immunoglobulin")
            tab.wait_for_function("() => /match/.test(document.querySelector('#mc-topics .mc-topics-head')"
                                  ".innerText)", timeout=TIMEOUT_MS)
            found = tab.locator("#mc-topics a.mc-topic").all_inner_texts()
            assert found and all("immunoglobulin" in t.lower() for t in found) and len(found) < len(everything)
            tab.screenshot(path=str(artifacts / "desktop-library-topics.png"))
            tab.locator("#mc-topics a.mc-topic", has_text="Intravenous Immunoglobulin (IVIG)").click()
            tab.wait_for_selector("#mc-chat .mc-answer:not(.mc-streaming)", timeout=TIMEOUT_MS)
            asked = tab.locator("#mc-chat .message-row.user-row").last.inner_text().strip()
            assert asked == "What is Intravenous Immunoglobulin (IVIG)?"
            assert tab.locator("#mc-input textarea").is_visible()  # back on the Ask tab
            tab.locator("#mc-topic-search textarea, #mc-topic-search input").evaluate("e => e")  # still there
            assert errors == []
        finally:
            context.close()


@pytest.mark.integration
class TestCopyAndFeedback:
    def test_copy_puts_the_answer_on_the_clipboard(self, browser, ui_server):
        context, tab, errors = open_tab(browser, ui_server, LAPTOP,
                                        permissions=["clipboard-read", "clipboard-write"])
        try:
            assert tab.locator("#mc-copy-answer").is_disabled()
            ask(tab, IVIG, answers_before=0)
            tab.locator("#mc-copy-answer").click()
            tab.wait_for_function("() => /Copied/.test(document.querySelector('#mc-copy-answer').innerText)",
                                  timeout=TIMEOUT_MS)
            copied = tab.evaluate("navigator.clipboard.readText()")
            assert copied.startswith(f"## {IVIG}") and "**From the Guidelines**" in copied
            assert "IVIG does not help all autoimmune conditions" in copied
            assert errors == []
        finally:
            context.close()

    def test_copy_falls_back_to_a_selected_textarea_without_the_clipboard_api(self, browser, ui_server):
        context = browser.new_context(viewport=LAPTOP)
        context.add_init_script("""
          Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true});
          window.__copied = [];
          document.execCommand = (cmd) => {
            const el = document.activeElement;
            window.__copied.push([cmd, el && el.tagName, el && el.value]);
            return true;
          };""")
        tab = context.new_page()
        try:
            tab.goto(ui_server.url + "/", wait_until="load", timeout=TIMEOUT_MS)
            tab.wait_for_selector("#mc-input textarea", timeout=TIMEOUT_MS)
            ask(tab, IVIG, answers_before=0)
            tab.locator("#mc-copy-answer").click()
            tab.wait_for_function("() => window.__copied.length > 0", timeout=TIMEOUT_MS)
            ((command, tag, text),) = tab.evaluate("window.__copied")
            assert command == "copy" and tag == "TEXTAREA" and text.startswith(f"## {IVIG}")
            assert "Copied" in tab.locator("#mc-copy-answer").inner_text()
            assert tab.locator("#mc-copy-fallback").count() == 0  # the helper textarea is gone again
        finally:
            context.close()

    def test_one_feedback_mechanism_with_a_selected_state(self, browser, ui_server, artifacts):
        context, tab, errors = open_tab(browser, ui_server, LAPTOP)
        try:
            ask(tab, IVIG, answers_before=0)
            assert tab.locator("#mc-chat button[aria-label='Like'], #mc-chat button[aria-label='Dislike']").count() == 0
            up, down = tab.locator("#mc-up"), tab.locator("#mc-down")
            assert "mc-selected" not in up.get_attribute("class") and "mc-selected" not in down.get_attribute("class")
            up.click()
            tab.wait_for_function("() => document.querySelector('#mc-up').classList.contains('mc-selected')",
                                  timeout=TIMEOUT_MS)
            assert up.inner_text().startswith("\u2713") and not down.inner_text().startswith("\u2713")
            tab.mouse.move(2, 2)
            tab.wait_for_timeout(600)  # past the button's colour transition
            assert up.evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"  # filled, not outlined
            assert up.evaluate("e => getComputedStyle(e).backgroundColor") != down.evaluate(
                "e => getComputedStyle(e).backgroundColor")
            assert "marked helpful" in tab.locator("#mc-feedback-note").inner_text()
            session = feedback_row(ui_server, 0)["session"]
            tab.locator("#mc-feedback").screenshot(path=str(artifacts / "desktop-feedback-selected.png"))
            down.click()
            tab.wait_for_function("() => document.querySelector('#mc-down').classList.contains('mc-selected')"
                                  " && !document.querySelector('#mc-up').classList.contains('mc-selected')",
                                  timeout=TIMEOUT_MS)
            row = feedback_row(ui_server, 0)
            assert row["session"] == session and row["rating"] == "down"
            down.click()  # the same again clears it
            tab.wait_for_function("() => !document.querySelector('#mc-down').classList.contains('mc-selected')",
                                  timeout=TIMEOUT_MS)
            assert "cleared" in tab.locator("#mc-feedback-note").inner_text()
            ask(tab, "What are the adverse events of IVIG?")  # a new answer starts unrated
            assert "mc-selected" not in down.get_attribute("class")
            assert errors == []
        finally:
            context.close()
