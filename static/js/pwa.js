/* The installable app, page side: registers the service worker (/sw.js), asks it to keep the lesson
   on screen and its styles for offline reading, to replay "mark done" queued offline when the
   network returns, and runs the push subscribe control of the reminders page. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function tell(message) {
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage(message);
    });
  }

  function rememberThisPage() {
    var urls = [location.pathname];
    document.querySelectorAll("link[rel=stylesheet][href], script[src], link[rel=icon][href]").forEach(function (node) {
      urls.push(node.getAttribute("href") || node.getAttribute("src"));
    });
    tell({ type: "remember", urls: urls });
  }

  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
    // "ready" or "controlling" may be known already: a page the worker controls resolves them first
    if (!document.documentElement.dataset.serviceWorker) document.documentElement.dataset.serviceWorker = "registered";
  }).catch(function () {
    document.documentElement.dataset.serviceWorker = "unavailable";
  });
  function controlled() {
    if (navigator.serviceWorker.controller) document.documentElement.dataset.serviceWorker = "controlling";
  }
  navigator.serviceWorker.addEventListener("controllerchange", controlled);
  // A page the worker served is in its cache already; one loaded before the worker took over is not.
  var servedByWorker = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.ready.then(function () {
    document.documentElement.dataset.serviceWorker = "ready";
    controlled();
    if (!servedByWorker) rememberThisPage();
    if (navigator.onLine) tell({ type: "replay" });
  });
  window.addEventListener("online", function () { tell({ type: "replay" }); });
  navigator.serviceWorker.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.type === "remembered") {
      document.documentElement.dataset.savedOffline = data.path;
    } else if (data.type === "marks-replayed") {
      document.documentElement.dataset.marksReplayed = String(data.count);
      document.dispatchEvent(new CustomEvent("momentum:marks-replayed", { detail: data }));
    }
  });

  // --- The push subscribe control (the reminders page) ------------------------------------------

  var control = document.querySelector("[data-push-control]");
  if (!control) return;
  var status = control.querySelector("[data-push-status]");
  var button = control.querySelector("[data-push-subscribe]");

  // What it says, in the page's language: the template puts each sentence on the status line
  // (data-say-unsupported, data-say-push-service, ...). The control's state is the sentence's
  // name, unless another is given (every reason of a failure is the state "failed").
  function say(sentence, state) {
    status.textContent = status.getAttribute("data-say-" + sentence);
    control.dataset.state = state || sentence;
  }

  function b64urlToBytes(text) {
    var base64 = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(base64), function (c) { return c.charCodeAt(0); });
  }

  if (!("PushManager" in window) || !("Notification" in window)) {
    say("unsupported");
    button.hidden = true;
    return;
  }
  if (Notification.permission === "denied") {
    say("denied");
    button.hidden = true;
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    say("asking");
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") throw new Error("permission");
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      return registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: b64urlToBytes(control.dataset.publicKey),
      }).catch(function () { throw new Error("push-service"); });
    }).then(function (subscription) {
      return fetch("/api/v1/me/push-subscriptions", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(subscription.toJSON()),
      });
    }).then(function (response) {
      if (!response.ok) throw new Error("server");
      say("subscribed");
      location.reload();
    }).catch(function (error) {
      button.disabled = false;
      say(["permission", "push-service"].indexOf(error.message) >= 0 ? error.message : "server", "failed");
    });
  });
})();
