// Keeps a login's state in the browser, and reads it back at launch, for browsers that do not send
// the tool's cookie back from inside the course page (see src/lti/lti.client-state.ts):
// - data-store="platform": the LMS's storage frame, through the LTI client-side postMessages
//   (lti.put_data / lti.get_data), posted only to the LMS's origin and answered only from it;
// - data-store="window": this window's own sessionStorage (a top-level window).
// data-lti-state="store" (the login) stores, then goes to the LMS; "verify" (the launch) reads back
// what the browser kept and posts the launch again with it: the server compares it with the login's
// state and nonce, and only then opens the tool (src/lti/lti.launch-confirm.ts).
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

  // The values read back, in the order of the entries ('' where nothing was kept), posted with the launch.
  function postBack(values) {
    var form = root.querySelector('[data-lti-state-form]');
    if (!form) return;
    form.querySelectorAll('[data-kept]').forEach(function (field) {
      var value = values[Number(field.dataset.kept)];
      field.value = typeof value === 'string' ? value : '';
    });
    form.submit();
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
    var values = entries.map(function (entry) {
      var value = storage ? storage.getItem(entry.key) : null;
      if (storage) storage.removeItem(entry.key);
      return value;
    });
    postBack(values);
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
    if (!frame) return postBack([]);
    Promise.all(
      entries.map(function (entry) {
        return ask(frame, { subject: 'lti.get_data', key: entry.key }).then(
          function (answer) {
            return answer.value;
          },
          function () {
            return '';
          },
        );
      }),
    ).then(postBack);
  }

  if (data.store === 'platform') viaPlatform();
  else viaWindow();
})();
