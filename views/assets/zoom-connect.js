// Connecting Zoom from the admin page in the LMS frame, whose consent opens in a window of its own
// (Zoom's pages cannot be framed). Everything works without it: the page then needs a reload.
// - The connected page (in that window) tells the page that opened it, at our own origin only, and
//   closes itself once that page answers (where the browser lets a script close it).
// - The admin page reloads itself when told, or, where the window cannot tell it (opened without an
//   opener, or cut from it by a page's Cross-Origin-Opener-Policy), when a poll of the school's
//   status finds Zoom connected: every 2.5 s while waiting, for 10 minutes at most.
(function () {
  var CONNECTED = 'zoom-lti:connected';
  var SEEN = 'zoom-lti:connected-seen';
  var POLL_MS = 2500;
  var WAIT_MS = 10 * 60 * 1000;
  var CLOSE_AFTER_MS = 1500;
  var doc = document;

  function isOurs(event, type) {
    return (
      event.origin === window.location.origin &&
      event.data !== null &&
      typeof event.data === 'object' &&
      event.data.type === type
    );
  }

  // The connected page, in the consent window.
  if (doc.querySelector('[data-zoom-connected]')) {
    var opener = window.opener;
    if (!opener || opener === window) return;
    // Closed a moment after the admin page has it, so "Zoom is connected" is seen here first.
    window.addEventListener('message', function (event) {
      if (isOurs(event, SEEN) && event.source === opener)
        window.setTimeout(window.close.bind(window), CLOSE_AFTER_MS);
    });
    try {
      opener.postMessage({ type: CONNECTED }, window.location.origin);
    } catch {
      // The opener went away: this page says to close the window.
    }
    return;
  }

  // The admin page, in the LMS frame.
  var page = doc.querySelector('[data-zoom-status-url]');
  if (!page) return;
  var statusUrl = page.getAttribute('data-zoom-status-url');
  var connectedUrl = page.getAttribute('data-zoom-connected-url');
  var waiting = doc.getElementById('consent-waiting');
  var reloading = false;
  var timer;
  var deadline = 0;

  function showConnected() {
    if (reloading) return;
    reloading = true;
    window.clearTimeout(timer);
    window.location.replace(connectedUrl);
  }

  window.addEventListener('message', function (event) {
    if (!isOurs(event, CONNECTED)) return;
    if (event.source) event.source.postMessage({ type: SEEN }, window.location.origin);
    showConnected();
  });

  function poll() {
    if (reloading) return;
    if (Date.now() > deadline) {
      if (waiting) waiting.textContent = waiting.getAttribute('data-stopped');
      return;
    }
    window
      .fetch(statusUrl, {
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
        cache: 'no-store',
      })
      .then(function (response) {
        // The launch ended or is refused: asking again cannot help (the page says to reload).
        if (response.status === 401 || response.status === 403) deadline = 0;
        return response.ok ? response.json() : undefined;
      })
      .then(function (body) {
        if (body && body.status === 'connected') showConnected();
        else timer = window.setTimeout(poll, POLL_MS);
      })
      .catch(function () {
        timer = window.setTimeout(poll, POLL_MS);
      });
  }

  doc.querySelectorAll('form[data-zoom-consent]').forEach(function (form) {
    form.addEventListener('submit', function () {
      if (waiting) {
        waiting.textContent = waiting.getAttribute('data-waiting');
        waiting.hidden = false;
      }
      deadline = Date.now() + WAIT_MS;
      window.clearTimeout(timer);
      timer = window.setTimeout(poll, POLL_MS);
    });
  });
})();
