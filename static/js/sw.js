/* The trainer app's service worker (served at /sw.js by trainers.views.offline, which puts
   self.SCORE_VERSION and self.SCORE_SHELL in front of this file). It keeps the app's page,
   its data and static files for offline use. The queue of visits recorded offline lives in
   IndexedDB, not here: installing a new version never touches it. */
"use strict";

var CACHE = "score-app-" + self.SCORE_VERSION;
var SHELL = self.SCORE_SHELL || [];
var FRESH_FIRST = SHELL.slice(0, 2); // the app page and its data: network first

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return Promise.all(
        SHELL.map(function (url) {
          return fetch(new Request(url, { credentials: "same-origin" })).then(function (response) {
            if (response.ok) return cache.put(url, response);
            return null;
          }).catch(function () { return null; });
        })
      );
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf("score-app-") === 0 && key !== CACHE;
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function networkFirst(request, key) {
  return fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(key, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(key).then(function (hit) {
      return hit || Response.error();
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (FRESH_FIRST.indexOf(url.pathname) !== -1) {
    event.respondWith(networkFirst(request, url.pathname));
    return;
  }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(url.pathname).then(function (hit) {
      return hit || fetch(request);
    }));
    return;
  }
  if (request.mode === "navigate") {
    // Any other page while offline: the app, which works without the network.
    event.respondWith(fetch(request).catch(function () {
      return caches.match(FRESH_FIRST[0]).then(function (hit) { return hit || Response.error(); });
    }));
  }
});
