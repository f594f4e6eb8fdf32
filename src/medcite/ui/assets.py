"""The chat's stylesheet and scripts (applied when :func:`medcite.ui.app.create_app` mounts the Blocks).

``JS`` runs once per page: it forwards clicks on ``[n]`` (``#mc-ref-TURN-N-REF``) to the server through a hidden
textbox and button, turns ``#mc-ask-<question>`` links (suggestions after a refusal, Library topics) into that
question asked in the chat and ``#mc-fill-<text>`` links into text in the question box, keeps a new question in
view while its answer arrives, and brings a triage notice into view. ``COPY_JS`` copies the latest answer.
Nothing here fetches anything.
"""

from __future__ import annotations

CSS = """
#mc-header { margin-bottom: 0; }
#mc-header-html { padding: 0 !important; }
.mc-header { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 8px 24px; }
.mc-brand { display: flex; align-items: center; gap: 12px; }
.mc-logo { display: inline-flex; align-items: center; justify-content: center; width: 34px; height: 34px;
  border-radius: 9px; background: var(--color-accent); color: white; font-size: 19px; font-weight: 700; }
.mc-header h1 { margin: 0; font-size: 1.35rem; line-height: 1.2; }
.mc-header p { margin: 0; color: var(--body-text-color-subdued); }
.mc-brand p { font-size: .95rem; }
.mc-disclaimer-bar { padding: 4px 10px; border-radius: 8px; background: #fff7e6; color: #7a4b00 !important;
  border: 1px solid #f3d19c; font-size: .84rem; max-width: 470px; }
.dark .mc-disclaimer-bar { background: #3a2a0a; color: #f7d79c !important; border-color: #7a5a1e; }
#mc-chat .message-wrap { font-size: 1rem; }
/* The chat box takes what the viewport leaves once the header, tabs, question box and examples are shown. */
#mc-chat { height: clamp(260px, calc(100vh - 400px), 720px) !important; }
/* Gradio's "scroll down" button sits in the right gutter of the chat box, never over an answer's text. */
#mc-chat .scroll-down-button-container { left: auto !important; right: 4px !important; bottom: 6px !important;
  transform: none !important; }
#mc-chat .scroll-down-button-container button { width: 28px; height: 28px; padding: 4px; opacity: .85; }
#mc-chat .message-row.bubble.bot-row { margin-right: 40px !important; }
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
  cursor: pointer; vertical-align: baseline; white-space: nowrap; box-sizing: content-box; flex: 0 0 auto;
  overflow: visible; }
a.mc-cite:hover, a.mc-cite:focus { background: var(--color-accent); color: white !important; }
.mc-cite-unknown { font-size: .8em; color: var(--body-text-color-subdued); }
.mc-cite-sample { font-weight: 700; color: var(--color-accent); }
a.mc-out { white-space: nowrap; font-size: .9em; }
.mc-cites { white-space: normal; }
.mc-last { white-space: nowrap; }
/* A list statement's items, one a line (inside the answer's paragraph: spans, not a list element). */
.mc-items { display: block; margin: 0.2em 0 0.4em; }
.mc-item { display: block; padding-left: 1.1em; text-indent: -0.8em; }
.mc-item::before { content: "\\2022\\00a0"; }
.mc-answer { overflow-wrap: anywhere; }
.mc-answer a.mc-cite { overflow-wrap: normal; }
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
a.mc-suggest { color: var(--color-accent) !important; font-weight: 500; text-decoration: underline; cursor: pointer; }
.mc-answer .mc-filters { font-style: normal; font-size: .9rem; padding: 4px 10px; border-radius: 8px;
  background: var(--background-fill-secondary); border: 1px dashed var(--border-color-primary); display: inline-block; }
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
#mc-rate-row button.mc-rate.mc-selected, #mc-feedback button.mc-selected { background: var(--color-accent) !important;
  color: white !important;
  border-color: var(--color-accent) !important; box-shadow: 0 0 0 2px var(--color-accent-soft); }
#mc-comment-row { gap: 8px; align-items: stretch; }
#mc-comment-send { min-height: 40px; }
#mc-feedback .mc-small { margin: 0; }
#mc-feedback-note { min-height: 0; padding: 0 8px; font-size: .9rem; }
.mc-small, .mc-small p { font-size: .85rem; color: var(--body-text-color-subdued); }
.mc-panel-title { margin: 6px 10px 2px; font-size: 1rem; }
#mc-passage, #mc-sources { padding: 4px 10px 10px; }
#mc-passage-panel { scroll-margin-top: 8px; }
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
.mc-topics-head { font-size: .9rem; color: var(--body-text-color-subdued); margin: 4px 0 8px; }
.mc-topics h4 { margin: 10px 0 6px; font-size: .95rem; }
ul.mc-topic-list { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 6px; }
ul.mc-topic-list li { margin: 0; }
a.mc-topic { display: inline-block; padding: 3px 10px; border-radius: 999px; font-size: .88rem;
  text-decoration: none !important;
  border: 1px solid var(--border-color-primary); background: var(--background-fill-secondary);
  color: var(--body-text-color) !important; }
a.mc-topic:hover, a.mc-topic:focus { border-color: var(--color-accent); color: var(--color-accent) !important; }
ul.mc-research-list { margin: 0 0 0 1.1em; padding: 0; font-size: .88rem; }
ul.mc-research-list li { margin: .25em 0; }
ul.mc-research-list a { color: var(--body-text-color) !important; }
#mc-lib-stats { margin-top: 10px; }
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
  .mc-header { gap: 4px; }
  .mc-header h1 { font-size: 1.15rem; }
  .mc-brand { gap: 8px; }
  .mc-logo { width: 28px; height: 28px; font-size: 16px; border-radius: 7px; }
  .mc-brand p { font-size: .78rem; line-height: 1.3; }
  .mc-disclaimer-bar { font-size: .76rem; padding: 3px 8px; line-height: 1.35; }
  #mc-chat { height: clamp(240px, calc(100svh - 420px), 640px) !important; }
  #mc-chat .message-row.bubble.bot-row { margin-right: 6px !important; }
  #mc-chat .scroll-down-button-container { display: none !important; }
  /* the examples: one row that scrolls sideways instead of four stacked rows */
  #mc-examples { flex-wrap: nowrap !important; overflow-x: auto; padding-bottom: 2px; scrollbar-width: thin; }
  #mc-examples > * { flex: 0 0 auto !important; }
  .mc-example { white-space: nowrap !important; }
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
  // "#mc-ask-<question>" (suggestions after a refusal, Library topics) asks that question in the chat;
  // "#mc-fill-<text>" only puts the text in the question box. Both switch to the Ask tab first.
  const askOrFill = (text, send) => {
    const tab = [...document.querySelectorAll('button[role="tab"]')].find((b) => b.innerText.trim() === 'Ask');
    if (tab && tab.getAttribute('aria-selected') !== 'true') tab.click();
    let tries = 0;
    const go = () => {
      const box = document.querySelector('#mc-input textarea');
      const button = document.querySelector('#mc-send');
      if ((!box || !button || !box.offsetParent) && tries++ < 40) return setTimeout(go, 50);
      if (!box || !button) return;
      box.value = text;
      box.dispatchEvent(new Event('input', {bubbles: true}));
      if (send) setTimeout(() => button.click(), 60);
      else box.focus({preventScroll: false});
    };
    go();
  };
  document.addEventListener('click', (ev) => {
    const closest = (sel) => (ev.target && ev.target.closest ? ev.target.closest(sel) : null);
    const asking = closest('a[href^="#mc-ask-"], a[href^="#mc-fill-"]');
    if (asking) {
      const href = asking.getAttribute('href') || '';
      const send = href.startsWith('#mc-ask-');
      let text = '';
      try { text = decodeURIComponent(href.slice(send ? 8 : 9)); } catch (e) { return; }
      text = text.replace(/\s+/g, ' ').trim().slice(0, 600);
      ev.preventDefault();
      ev.stopPropagation();
      if (text) askOrFill(text, send);
      return;
    }
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
# Copies the latest answer (its Markdown, from the hidden #mc-export box) to the clipboard: the Clipboard API where
# the page may use it (https or localhost), else a selected textarea and execCommand("copy"); the button says
# which happened.
COPY_JS = """
(text) => {
  const button = document.querySelector('#mc-copy-answer');
  const say = (label) => {
    if (!button) return;
    const was = button.getAttribute('data-label') || button.innerText;
    button.setAttribute('data-label', was);
    button.innerText = label;
    button.classList.add('mc-copied');
    clearTimeout(button.__mcTimer);
    button.__mcTimer = setTimeout(() => { button.innerText = was; button.classList.remove('mc-copied'); }, 2500);
  };
  if (!text) { say('Nothing to copy yet'); return []; }
  const fallback = () => {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.id = 'mc-copy-fallback';
    area.style.position = 'fixed';
    area.style.top = '0';
    area.style.left = '-9999px';
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    area.remove();
    say(ok ? 'Copied \u2713' : 'Copy failed: select the text and copy it');
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(() => say('Copied \u2713'), fallback);
  } else {
    fallback();
  }
  return [];
}
"""
