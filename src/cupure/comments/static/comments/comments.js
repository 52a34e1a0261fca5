// Post comments and replies in place. Without this script the same forms post and
// redirect; with it, the server answers X-Comments-Fragment requests with HTML
// fragments it rendered and escaped itself: the new comment (201), or the form with
// its error and the reader's text kept (400, 403, 429).
(function () {
  "use strict";

  function say(section, text) {
    var status = section && section.querySelector("#comments-status");
    if (status) {
      status.textContent = text;
    }
  }

  function parse(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function listFor(form) {
    var target = document.getElementById(form.dataset.target);
    if (target) {
      return target;
    }
    // The first reply to a comment: its list of replies does not exist yet.
    var item = form.closest("li.comment");
    var list = document.createElement("ol");
    list.className = "comment-replies";
    list.id = form.dataset.target;
    item.appendChild(list);
    return list;
  }

  async function submit(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-comment-form")) {
      return;
    }
    event.preventDefault();
    var section = form.closest("[data-comments]");
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    var response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Comments-Fragment": "1" },
        credentials: "same-origin",
      });
    } catch (error) {
      // The network failed: post the ordinary way so nothing typed is lost.
      form.submit();
      return;
    }
    var element = parse(await response.text());
    button.disabled = false;
    if (response.status === 201 && element) {
      var list = listFor(form);
      var newestFirst = list.dataset.order === "newest";
      if (newestFirst) {
        list.prepend(element);
      } else {
        list.append(element);
      }
      var total = section && section.querySelector(".comment-total");
      if (total && !element.classList.contains("comment-pending")) {
        var count = parseInt(total.textContent.replace(/\D/g, ""), 10) || 0;
        total.textContent = "(" + (count + 1) + ")";
      }
      var empty = section && section.querySelector(".comments-empty");
      if (empty) {
        empty.remove();
      }
      form.reset();
      var details = form.closest("details");
      if (details) {
        details.open = false;
      }
      say(section, element.querySelector(".comment-awaits-email")
        ? "Your comment is held: confirm your email to publish it."
        : element.classList.contains("comment-pending")
          ? "Your comment was sent and awaits moderation."
          : "Your comment was posted.");
      element.focus();
      return;
    }
    if (element && element.matches("form")) {
      form.replaceWith(element);
      var alert = element.querySelector("[role=alert]");
      var field = element.querySelector("textarea");
      if (field) {
        field.focus();
      }
      say(section, alert ? alert.textContent : "Your comment was not posted.");
      return;
    }
    // Anything unexpected (a login page, a server error): post the ordinary way.
    form.submit();
  }

  document.addEventListener("submit", submit);
})();
