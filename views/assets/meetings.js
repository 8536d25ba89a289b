// Progressive enhancement of the meetings pages: everything works without it.
(function () {
  var doc = document;

  // Times in the viewer's own zone: the page says which zone it used; the browser says its own.
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    zone = undefined;
  }
  if (zone) {
    var url = new URL(window.location.href);
    if (
      window.location.pathname.indexOf('/lti/') === 0 &&
      !url.searchParams.has('tz') &&
      url.searchParams.has('ltik')
    ) {
      url.searchParams.set('tz', zone);
      window.location.replace(url.toString());
      return;
    }
    // The form's time zone defaults to the browser's.
    doc.querySelectorAll('select[data-default-zone="browser"]').forEach(function (select) {
      if (!doc.querySelector('.error-summary')) {
        for (var i = 0; i < select.options.length; i += 1) {
          if (select.options[i].value === zone) select.value = zone;
        }
      }
    });
  }

  // "Repeats" shows only the fields that apply.
  function showRepeats() {
    var checked = doc.querySelector('input[name="repeats"]:checked');
    var value = checked ? checked.value : 'never';
    doc.querySelectorAll('[data-when-repeats]').forEach(function (el) {
      el.hidden = el.getAttribute('data-when-repeats').split(' ').indexOf(value) < 0;
    });
  }
  doc.querySelectorAll('input[name="repeats"]').forEach(function (input) {
    input.addEventListener('change', showRepeats);
  });
  showRepeats();

  // "Copy invitation": shown only where the page may write to the clipboard. A frame needs the LMS to
  // allow it (`allow="clipboard-write"`: Canvas does, Moodle does not); elsewhere the invitation stays
  // readable, and selectable, under its "Invitation" disclosure.
  var policy = doc.permissionsPolicy || doc.featurePolicy;
  var mayCopy =
    Boolean(navigator.clipboard) &&
    !(policy && policy.allowsFeature && !policy.allowsFeature('clipboard-write'));
  doc.querySelectorAll('button[data-copy]').forEach(function (button) {
    if (!mayCopy) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var source = doc.getElementById(button.getAttribute('data-copy'));
      var status = button.parentNode.querySelector('.copied');
      navigator.clipboard.writeText(source ? source.textContent : '').then(
        function () {
          if (status) status.textContent = status.getAttribute('data-copied');
        },
        function () {
          // Refused after all: open the invitation with its text selected, ready for Ctrl+C.
          if (!source) return;
          var details = source.closest('details');
          if (details) details.open = true;
          var range = doc.createRange();
          range.selectNodeContents(source);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
        },
      );
    });
  });

  // Start opens Zoom in a new tab (the form's target) and the course page stays. A frame the LMS
  // sandboxed without `allow-popups` may not open one: there, the top window goes to Zoom instead.
  doc.querySelectorAll('form[data-start]').forEach(function (form) {
    form.addEventListener('submit', function () {
      var name = 'zoom-start-' + form.getAttribute('data-start');
      var tab;
      try {
        tab = window.open('', name);
      } catch {
        tab = null;
      }
      if (!tab) {
        form.target = '_top';
        return;
      }
      try {
        tab.opener = null; // as rel="noopener": Zoom's page gets no handle on the course page
      } catch {
        // a cross-origin window already: nothing to cut
      }
      form.target = name;
    });
  });

  // An error summary takes the focus, so a screen reader reads it first.
  var summary = doc.querySelector('.error-summary');
  if (summary) summary.focus();

  // Canvas (and others) size the frame to the page: tell the LMS our height whenever it changes.
  function tellHeight() {
    if (window.parent === window) return;
    var height = Math.ceil(doc.documentElement.scrollHeight);
    window.parent.postMessage({ subject: 'lti.frameResize', height: height }, '*');
  }
  tellHeight();
  if (window.ResizeObserver) new ResizeObserver(tellHeight).observe(doc.body);
  window.addEventListener('load', tellHeight);
})();
