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

  function fixStatus() {
    var src = document.querySelector("#pg-final [data-pg-state]");
    var holder = document.getElementById("pg-final");
    if (holder && holder.getAttribute("aria-hidden") !== "true") holder.setAttribute("aria-hidden", "true");
    var log = conversation();
    if (!src || !log) return;
    var busy = src.getAttribute("data-pg-state") === "busy" ? "true" : "false";
    if (log.getAttribute("aria-busy") !== busy) log.setAttribute("aria-busy", busy);
    var key = src.getAttribute("data-pg-key") || "";
    if (busy === "false" && key && key !== lastAnnounced) {
      lastAnnounced = key;
      announcer.textContent = "";
      var text = src.textContent;
      setTimeout(function () { announcer.textContent = text; }, 50);
    }
  }

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
