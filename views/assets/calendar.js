// The course calendar's address: Copy puts it on the clipboard. Where the clipboard is refused (an LMS
// frame without `allow="clipboard-write"`, a browser that says no), the address is selected instead
// and the button says which keys copy it: never a button that silently does nothing.
(function () {
  var doc = document;
  var keys = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent || '') ? '⌘C' : 'Ctrl+C';

  doc.querySelectorAll('button[data-copy-field]').forEach(function (button) {
    var field = doc.getElementById(button.getAttribute('data-copy-field'));
    var status = doc.getElementById(button.getAttribute('data-status'));
    if (!field) return;
    button.hidden = false;
    // A click in the read-only field selects the whole address, ready to copy.
    field.addEventListener('focus', function () {
      field.select();
    });

    function say(text) {
      if (status) status.textContent = text;
    }
    function refused() {
      field.focus();
      field.select();
      button.textContent = button.getAttribute('data-press').replace('%KEYS%', keys);
      say(status ? status.getAttribute('data-refused').replace('%KEYS%', keys) : '');
    }

    button.addEventListener('click', function () {
      say('');
      if (!navigator.clipboard || !navigator.clipboard.writeText) {
        refused();
        return;
      }
      navigator.clipboard.writeText(field.value).then(function () {
        say(status ? status.getAttribute('data-copied') : '');
      }, refused);
    });
  });
})();
