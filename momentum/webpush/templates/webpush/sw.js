/* Momentum's service worker (no Workbox): lessons a learner opened stay readable offline, "mark done"
   made offline is queued and replayed when the network returns, and web push reminders are shown.

   Lesson pages and static files: network first, the cached copy when the network fails.
   Marking a day done (the lesson page's form, or PUT .../progress with completed: true) while offline:
   the request is kept in IndexedDB and replayed with the learner's cookies (credentials: same-origin;
   the CSRF token it carried still matches the session) on Background Sync, on the page's 'online'
   event or on the next page load. A replay the page asked for that fails (the network is not back
   yet, or the server answers 429/5xx) is tried again after 1, 2, 4, 8, 16 and 30 seconds: the page's
   'online' can come before the worker's own network is back. Signing in or out forgets the cached
   lessons and the queue. */
"use strict";

const VERSION = "{{ version }}";
const LESSONS = "momentum-lessons-v" + VERSION;
const ASSETS = "momentum-assets-v" + VERSION;
const KEEP = [LESSONS, ASSETS];
const SYNC_TAG = "momentum-marks";
const DB_NAME = "momentum-offline";
const STORE = "marks";

const LESSON_PAGE = /^\/courses\/[^/]+\/day\/\d+\/$/;
const COMPLETE_FORM = /^\/courses\/[^/]+\/day\/(\d+)\/complete\/$/;
const PROGRESS_API = /^\/api\/v1\/courses\/[^/]+\/lessons\/[^/]+\/progress$/;
const SESSION_CHANGE = /^\/accounts\/(login|logout)\/$/;
const KEPT_HEADERS = ["content-type", "x-csrftoken", "hx-request", "hx-target", "hx-current-url", "accept"];
const RETRY_SECONDS = [1, 2, 4, 8, 16, 30];

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("momentum-") && !KEEP.includes(name)) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function cacheFor(url) {
  if (url.origin !== self.location.origin) return null;
  if (LESSON_PAGE.test(url.pathname)) return LESSONS;
  if (url.pathname.startsWith("/static/")) return ASSETS;
  return null;
}

async function networkFirst(request, cacheName) {
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected && response.type === "basic") {
      const cache = await caches.open(cacheName);
      await cache.put(request.url, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await caches.match(request.url, { cacheName: cacheName });
    if (cached) return cached;
    if (request.mode === "navigate") return offlinePage();
    throw error;
  }
}

function offlinePage() {
  const html = "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
    "<title>Offline</title><h1>You are offline</h1>" +
    "<p>This page was not saved on this device. Lessons you opened before are readable offline.</p>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

// --- The queue of "mark done" requests (IndexedDB) ----------------------------------------------

function openQueue() {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open(DB_NAME, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
}

async function inQueue(mode, work) {
  const db = await openQueue();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const result = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      transaction.onerror = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}

const queued = () => inQueue("readonly", (store) => store.getAll());
const enqueue = (entry) => inQueue("readwrite", (store) => store.add(entry));
const dequeue = (id) => inQueue("readwrite", (store) => store.delete(id));
const forgetQueue = () => inQueue("readwrite", (store) => store.clear());

async function isMarkDone(request, url) {
  if (request.method === "POST" && COMPLETE_FORM.test(url.pathname)) return true;
  if (request.method !== "PUT" || !PROGRESS_API.test(url.pathname)) return false;
  try {
    return (await request.clone().json()).completed === true;
  } catch (error) {
    return false;
  }
}

async function sendOrQueue(request, url) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch (error) {
    const headers = KEPT_HEADERS.filter((name) => copy.headers.has(name)).map((name) => [name, copy.headers.get(name)]);
    await enqueue({ url: copy.url, method: copy.method, headers: headers, body: await copy.text(), queuedAt: Date.now() });
    try {
      await self.registration.sync.register(SYNC_TAG);
    } catch (ignored) {
      // No Background Sync here: the page asks for a replay when it is back online or loads again.
    }
    await tellPages({ type: "mark-queued" });
    return queuedAnswer(copy, url);
  }
}

function queuedAnswer(request, url) {
  const form = url.pathname.match(COMPLETE_FORM);
  if (!form) {
    return new Response(JSON.stringify({ queued: true }), { status: 202, headers: { "Content-Type": "application/json" } });
  }
  if (request.headers.get("hx-request")) {
    const html = '<section class="completion card" id="completion" aria-live="polite" aria-labelledby="completion-heading">' +
      '<h2 id="completion-heading">Day ' + form[1] + " will be marked complete</h2>" +
      '<p class="offline-note">You are offline. It is saved on this device and sent as soon as you are back online.</p></section>';
    return new Response(html, { status: 200, headers: { "Content-Type": "text/html; charset=utf-8" } });
  }
  return Response.redirect(url.pathname.replace(/complete\/$/, ""), 303);
}

let replaying = null;

function replay() {
  replaying = replaying || replayQueue().finally(() => { replaying = null; });
  return replaying;
}

async function replayQueue() {
  let sent = 0;
  for (const entry of await queued()) {
    let response;
    try {
      response = await fetch(entry.url, {
        method: entry.method, headers: entry.headers, body: entry.body,
        credentials: "same-origin", redirect: "manual",
      });
    } catch (error) {
      throw error; // still offline: Background Sync tries again later, and so does the page
    }
    if (response.status === 429 || response.status >= 500) throw new Error("the server will take it later");
    await dequeue(entry.id); // recorded, or refused for good (the answer says why): either way, not again
    sent += 1;
  }
  if (sent) await tellPages({ type: "marks-replayed", count: sent });
  return sent;
}

async function replayUntilSent() {
  for (const seconds of RETRY_SECONDS) {
    try {
      return await replay();
    } catch (error) {
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    }
  }
  return replay();
}

async function tellPages(message) {
  for (const client of await self.clients.matchAll({ type: "window" })) client.postMessage(message);
}

async function forgetLearner() {
  await caches.delete(LESSONS);
  await forgetQueue();
}

async function remember(urls, client) {
  for (const address of urls) {
    const url = new URL(address, self.location.origin);
    const cacheName = cacheFor(url);
    if (!cacheName) continue;
    const cache = await caches.open(cacheName);
    if (cacheName === ASSETS && (await cache.match(url.href))) continue; // kept fresh by networkFirst
    try {
      const response = await fetch(url.href, { credentials: "same-origin" });
      if (response.ok && !response.redirected) {
        await cache.put(url.href, response);
        if (cacheName === LESSONS && client) client.postMessage({ type: "remembered", path: url.pathname });
      }
    } catch (ignored) {
      // offline already: nothing to refresh
    }
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "GET") {
    const cacheName = cacheFor(url);
    if (cacheName) event.respondWith(networkFirst(request, cacheName));
    return;
  }
  if (request.method === "POST" && SESSION_CHANGE.test(url.pathname)) {
    event.waitUntil(forgetLearner());
    return;
  }
  if (!COMPLETE_FORM.test(url.pathname) && !PROGRESS_API.test(url.pathname)) return; // the browser's own way
  event.respondWith((async () => {
    if (await isMarkDone(request.clone(), url)) return sendOrQueue(request, url);
    return fetch(request);
  })());
});

self.addEventListener("sync", (event) => {
  if (event.tag === SYNC_TAG) event.waitUntil(replay());
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "replay") event.waitUntil(replayUntilSent().catch(() => 0));
  else if (data.type === "remember" && Array.isArray(data.urls)) event.waitUntil(remember(data.urls, event.source));
});

// --- Web Push -------------------------------------------------------------------------------------

self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = { title: event.data.text() };
  }
  event.waitUntil(self.registration.showNotification(message.title || "Momentum", {
    body: message.body || "",
    tag: message.kind || "momentum",
    icon: "{{ icon }}",
    badge: "{{ icon }}",
    data: { url: message.url || "/dashboard/" },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (target.origin !== self.location.origin) return;
  event.waitUntil(self.clients.openWindow(target.href));
});
