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

  // "Copy invitation": copies where the page may write to the clipboard (a frame needs the LMS to
  // allow it: `allow="clipboard-write"`). Where it may not, or the browser refuses, the invitation
  // is shown in a read-only box, selected, and the page says which keys copy it.
  var policy = doc.permissionsPolicy || doc.featurePolicy;
  var mayCopy =
    Boolean(navigator.clipboard && navigator.clipboard.writeText) &&
    !(policy && policy.allowsFeature && !policy.allowsFeature('clipboard-write'));
  var mac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent || '');
  function selectToCopy(button, source, status) {
    var id = button.getAttribute('data-copy') + '-text';
    var box = doc.getElementById(id);
    if (!box) {
      box = doc.createElement('textarea');
      box.id = id;
      box.className = 'invitation-text';
      box.readOnly = true;
      box.rows = Math.min(14, source.textContent.split('\n').length + 1);
      box.value = source.textContent;
      box.setAttribute('aria-label', button.getAttribute('data-text-label'));
      button.closest('.actions').insertAdjacentElement('afterend', box);
    }
    box.focus();
    box.select();
    if (status) status.textContent = status.getAttribute(mac ? 'data-press-cmd' : 'data-press-ctrl');
  }
  doc.querySelectorAll('button[data-copy]').forEach(function (button) {
    var source = doc.getElementById(button.getAttribute('data-copy'));
    if (!source) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var status = button.parentNode.querySelector('.copied');
      if (status) status.textContent = '';
      if (!mayCopy) return selectToCopy(button, source, status);
      navigator.clipboard.writeText(source.textContent).then(
        function () {
          if (status) status.textContent = status.getAttribute('data-copied');
        },
        function () {
          selectToCopy(button, source, status);
        },
      );
    });
  });

  // "Schedule a meeting" opens the form in place (a link to the page with it open, without JavaScript).
  doc.querySelectorAll('a[data-disclose]').forEach(function (link) {
    var panel = doc.getElementById(link.getAttribute('data-disclose'));
    if (!panel) return;
    var button = doc.createElement('button');
    button.type = 'button';
    button.id = link.id;
    button.className = link.className;
    button.textContent = link.textContent;
    button.setAttribute('aria-controls', panel.id);
    button.setAttribute('aria-expanded', String(!panel.hidden));
    link.replaceWith(button);
    function show(open) {
      panel.hidden = !open;
      button.setAttribute('aria-expanded', String(open));
    }
    button.addEventListener('click', function () {
      show(panel.hidden);
      if (!panel.hidden) {
        var first = panel.querySelector('input:not([type="hidden"]), select, textarea');
        if (first) first.focus();
      }
    });
    panel.querySelectorAll('a[data-close]').forEach(function (close) {
      close.addEventListener('click', function (event) {
        event.preventDefault();
        show(false);
        button.focus();
      });
    });
  });

  // Upcoming, past and recordings as tabs (WAI-ARIA tabs: arrow keys, Home and End move between
  // them, Tab goes into the chosen one). Without JavaScript they are headed sections one after another.
  doc.querySelectorAll('[data-tabs]').forEach(function (tabs) {
    var list = tabs.querySelector('[role="tablist"]');
    if (!list) return;
    var all = Array.prototype.slice.call(list.querySelectorAll('[role="tab"]'));
    function panelOf(tab) {
      return doc.getElementById(tab.getAttribute('aria-controls'));
    }
    function select(tab, focus) {
      all.forEach(function (other) {
        var selected = other === tab;
        other.setAttribute('aria-selected', String(selected));
        other.tabIndex = selected ? 0 : -1;
        panelOf(other).hidden = !selected;
      });
      if (focus) tab.focus();
    }
    all.forEach(function (tab, index) {
      var panel = panelOf(tab);
      panel.setAttribute('role', 'tabpanel');
      panel.setAttribute('aria-labelledby', tab.id);
      panel.tabIndex = 0;
      var heading = panel.querySelector('h3');
      if (heading) heading.classList.add('visually-hidden');
      tab.addEventListener('click', function () {
        select(tab, true);
      });
      tab.addEventListener('keydown', function (event) {
        var to = {
          ArrowRight: index + 1,
          ArrowLeft: index - 1,
          Home: 0,
          End: all.length - 1,
        }[event.key];
        if (to === undefined) return;
        event.preventDefault();
        select(all[(to + all.length) % all.length], true);
      });
    });
    list.hidden = false;
    tabs.classList.add('tabbed');
    // Back from a change to one meeting (`m=`): its tab is the one shown.
    var changed = new URL(window.location.href).searchParams.get('m');
    var card = changed && tabs.querySelector('[data-meeting="' + changed.replace(/[^\w-]/g, '') + '"]');
    var start = all.filter(function (tab) {
      return card && panelOf(tab).contains(card);
    })[0];
    select(start || all[0], false);
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
