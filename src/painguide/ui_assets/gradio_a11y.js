() => {
  // Accessibility fixes for the Gradio chat at "/" that Gradio's own markup does not provide:
  // a named, focusable conversation region; aria-expanded on the Sources accordion; one polite
  // announcement per finished answer (the visual stream is hidden from assistive technology
  // with aria-busy and aria-live="off"); [n] citation links that move focus to their source.
  if (window.__pgA11y) return;
  window.__pgA11y = true;
  var announcer = document.createElement("div");
  announcer.id = "pg-announce";
  announcer.className = "pg-sr-only";
  announcer.setAttribute("role", "status");
  announcer.setAttribute("aria-live", "polite");
  announcer.setAttribute("aria-atomic", "true");
  document.body.appendChild(announcer);
  var lastAnnounced = "";

  function conversation() { return document.querySelector("#pg-chat [role='log']"); }

  function fixConversation() {
    var log = conversation();
    if (!log) return;
    if (log.getAttribute("tabindex") !== "0") log.setAttribute("tabindex", "0");
    if (log.getAttribute("aria-label") !== "Conversation") log.setAttribute("aria-label", "Conversation");
    if (log.getAttribute("aria-live") !== "off") log.setAttribute("aria-live", "off");
  }

  function fixAccordion() {
    var acc = document.getElementById("pg-sources-acc");
    if (!acc) return;
    var button = acc.querySelector("button.label-wrap");
    if (!button) return;
    var content = button.nextElementSibling;
    var open = button.classList.contains("open") ||
      !!(content && content.offsetParent !== null && content.getClientRects().length);
    if (content && !content.id) content.id = "pg-sources-panel";
    if (content) button.setAttribute("aria-controls", content.id);
    var value = open ? "true" : "false";
    if (button.getAttribute("aria-expanded") !== value) button.setAttribute("aria-expanded", value);
  }

  // Busy from the moment a question is sent (client side, so a fast or batched reply cannot
  // skip it) until the server's status element carries a new finished answer.
  var waiting = false;
  function fixStatus() {
    var holder = document.getElementById("pg-final");
    if (holder && holder.getAttribute("aria-hidden") !== "true") holder.setAttribute("aria-hidden", "true");
    var log = conversation();
    if (!log) return;
    var src = document.querySelector("#pg-final [data-pg-state]");
    var state = src ? src.getAttribute("data-pg-state") : "";
    var key = src ? src.getAttribute("data-pg-key") || "" : "";
    if (state === "done" && key && key !== lastAnnounced) {
      lastAnnounced = key;
      waiting = false;
      var text = src.textContent;
      announcer.textContent = "";
      setTimeout(function () { announcer.textContent = text; }, 50);
    }
    var busy = state === "busy" || waiting ? "true" : "false";
    if (log.getAttribute("aria-busy") !== busy) log.setAttribute("aria-busy", busy);
  }
  function questionSent() {
    var box = document.querySelector("#pg-input textarea");
    if (!box || !box.value.trim()) return;
    waiting = true;
    fixStatus();
  }
  document.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && e.target.closest && e.target.closest("#pg-input")) questionSent();
  }, true);
  document.addEventListener("click", function (e) {
    if (!e.target.closest) return;
    if (e.target.closest("#pg-send")) questionSent();
    if (e.target.closest("#pg-clear")) { waiting = false; fixStatus(); }
  }, true);

  function fixAll() { fixConversation(); fixAccordion(); fixStatus(); }
  var queued = false;
  new MutationObserver(function () {
    if (queued) return;
    queued = true;
    requestAnimationFrame(function () { queued = false; fixAll(); });
  }).observe(document.body, {childList: true, subtree: true, attributes: true,
                             attributeFilter: ["class", "style", "data-pg-state"]});
  fixAll();

  // [n] links: move focus to the source entry in the same reply (Gradio may open links in a new tab).
  document.addEventListener("click", function (e) {
    var a = e.target && e.target.closest ? e.target.closest("a[href^='#pg-']") : null;
    if (!a) return;
    var target = document.getElementById(a.getAttribute("href").slice(1));
    if (!target) return;
    e.preventDefault();
    e.stopPropagation();
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.scrollIntoView({block: "nearest"});
    target.focus();
  }, true);
}
