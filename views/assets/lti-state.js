// Keeps a login's state in the browser, and reads it back at launch, for browsers that do not send
// the tool's cookie back from inside the course page (see src/lti/lti.client-state.ts):
// - data-store="platform": the LMS's storage frame, through the LTI client-side postMessages
//   (lti.put_data / lti.get_data), posted only to the LMS's origin and answered only from it;
// - data-store="window": this window's own sessionStorage (a top-level window).
// data-lti-state="store" (the login) stores, then goes to the LMS; "verify" (the launch) goes on to
// the course page only when what the browser kept matches this launch.
(function () {
  'use strict';
  var root = document.querySelector('[data-lti-state]');
  if (!root) return;
  var data = root.dataset;
  var entries = JSON.parse(data.entries || '[]');
  var TIMEOUT_MS = 3000;

  function go() {
    window.location.replace(data.next);
  }

  function failed() {
    var progress = root.querySelector('[data-lti-state-progress]');
    var failure = root.querySelector('[data-lti-state-failed]');
    var heading = root.querySelector('[data-lti-state-heading]');
    if (heading && heading.dataset.failed) {
      heading.textContent = heading.dataset.failed;
      document.title = heading.dataset.failed;
    }
    if (progress) progress.hidden = true;
    if (failure) failure.hidden = false;
    root.dataset.ltiStateResult = 'failed';
  }

  function storageFrame() {
    if (!window.parent || window.parent === window) return null;
    if (data.target === '_parent') return window.parent;
    try {
      return window.parent.frames[data.target] || null;
    } catch {
      return null;
    }
  }

  // One request to the LMS's storage frame; resolves with its answer, rejects on error or silence.
  function ask(frame, message) {
    return new Promise(function (resolve, reject) {
      var id = 'lti-' + Math.random().toString(36).slice(2) + Date.now().toString(36);
      var timer = setTimeout(function () {
        window.removeEventListener('message', listen);
        reject(new Error('no answer'));
      }, TIMEOUT_MS);
      function listen(event) {
        var answer = event.data;
        if (event.origin !== data.origin || !answer || answer.message_id !== id) return;
        if (
          answer.subject !== message.subject + '.response' &&
          answer.subject !== 'org.imsglobal.' + message.subject + '.response'
        )
          return;
        clearTimeout(timer);
        window.removeEventListener('message', listen);
        if (answer.error) reject(new Error(String(answer.error.code || 'error')));
        else resolve(answer);
      }
      window.addEventListener('message', listen);
      message.message_id = id;
      frame.postMessage(message, data.origin);
    });
  }

  function windowStorage() {
    try {
      return window.sessionStorage;
    } catch {
      return null;
    }
  }

  function viaWindow() {
    var storage = windowStorage();
    if (data.ltiState === 'store') {
      // Without storage the cookie may still carry the state: go on either way.
      if (storage)
        entries.forEach(function (entry) {
          storage.setItem(entry.key, entry.value);
        });
      return go();
    }
    var kept =
      storage !== null &&
      entries.every(function (entry) {
        return storage.getItem(entry.key) === entry.value;
      });
    if (storage)
      entries.forEach(function (entry) {
        storage.removeItem(entry.key);
      });
    if (kept) go();
    else failed();
  }

  function viaPlatform() {
    var frame = storageFrame();
    if (data.ltiState === 'store') {
      if (!frame) return go();
      Promise.all(
        entries.map(function (entry) {
          return ask(frame, { subject: 'lti.put_data', key: entry.key, value: entry.value });
        }),
      ).then(go, go);
      return;
    }
    if (!frame) return failed();
    Promise.all(
      entries.map(function (entry) {
        return ask(frame, { subject: 'lti.get_data', key: entry.key }).then(function (answer) {
          return answer.value === entry.value;
        });
      }),
    ).then(function (matches) {
      if (matches.every(Boolean)) go();
      else failed();
    }, failed);
  }

  if (data.store === 'platform') viaPlatform();
  else viaWindow();
})();
