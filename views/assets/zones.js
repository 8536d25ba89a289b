// The meeting form's time zone: a search that shortens the list. Without this script the list is a
// plain <select>, which works as well. (A new meeting's zone is the browser's: meetings.js sends it
// as `tz` and the server chooses it, by its current name; an edit or a form sent back keeps its own.)
(function () {
  var doc = document;
  var select = doc.getElementById('f-timeZone');
  var search = doc.getElementById('f-timeZone-search');
  var count = doc.getElementById('zone-count');
  if (!select || !search || !count) return;

  // "Bogotá" is found by "bogota"; "UTC−05:00" by "-5", "-05:00", "utc-5" or "gmt-5".
  function fold(text) {
    return text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase();
  }
  function offsetWords(label) {
    var m = /UTC([+\u2212])(\d\d):(\d\d)/.exec(label);
    if (!m) return '';
    var sign = m[1] === '+' ? '+' : '-';
    var hours = String(Number(m[2]));
    var short = sign + hours + (m[3] === '00' ? '' : ':' + m[3]);
    var long = sign + m[2] + ':' + m[3];
    return [
      short,
      long,
      sign + hours + ':' + m[3],
      'utc' + short,
      'utc' + long,
      'gmt' + short,
      'gmt' + long,
    ].join(' ');
  }

  var all = Array.prototype.slice.call(select.options).map(function (option) {
    return {
      option: option,
      text: fold(
        [option.text, option.value, option.value.replace(/_/g, ' '), offsetWords(option.text)].join(' '),
      ),
    };
  });

  function say(n) {
    var words =
      n === 0
        ? count.getAttribute('data-none')
        : n === 1
          ? count.getAttribute('data-one')
          : count.getAttribute('data-many');
    count.textContent = (words || '').replace('#', String(n));
  }

  var lastQuery = '';
  var timer;
  function filter() {
    var query = fold(search.value).trim();
    if (query === lastQuery) return;
    lastQuery = query;
    var words = query.split(/\s+/).filter(Boolean);
    var chosen = select.value;
    var matches = all.filter(function (entry) {
      return words.every(function (word) {
        return entry.text.indexOf(word) >= 0;
      });
    });
    // Options are taken out of the list, not hidden (Safari shows hidden options). With no match
    // the chosen zone stays, alone, so the form always sends a zone.
    var shown = matches.length
      ? matches
      : all.filter(function (entry) {
          return entry.option.value === chosen;
        });
    var fragment = doc.createDocumentFragment();
    shown.forEach(function (entry) {
      fragment.appendChild(entry.option);
    });
    select.textContent = '';
    select.appendChild(fragment);
    var kept = shown.some(function (entry) {
      return entry.option.value === chosen;
    });
    if (kept) select.value = chosen;
    else if (shown.length) select.selectedIndex = 0;
    clearTimeout(timer);
    // Said once typing pauses, not on every key.
    timer = setTimeout(
      function () {
        if (query) say(matches.length);
        else count.textContent = '';
      },
      query ? 400 : 0,
    );
  }

  search.addEventListener('input', filter);
  search.addEventListener('keydown', function (event) {
    // Enter does not send the form from here: it goes on to the list.
    if (event.key === 'Enter') {
      event.preventDefault();
      select.focus();
    } else if (event.key === 'Escape' && search.value) {
      event.preventDefault();
      search.value = '';
      filter();
    }
  });
  search.parentNode.hidden = false;
})();
