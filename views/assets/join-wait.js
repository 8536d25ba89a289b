// The "Getting your own link…" page: asks our server again every 2 seconds (our table only, never
// Zoom) and follows the link once it is ready. A page that offers the general link shows it as is.
(function () {
  var main = document.querySelector('[data-join-wait][data-poll]');
  if (!main) return;
  var url = main.getAttribute('data-poll');
  var plainShown = Boolean(document.querySelector('[data-plain]'));
  function check() {
    window
      .fetch(url + '&format=json', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        if (answer && answer.url) {
          window.location.replace(answer.url);
          return;
        }
        // Twenty seconds on: the page is loaded again to offer the general link.
        if (answer && answer.plain && !plainShown) {
          window.location.replace(url);
          return;
        }
        setTimeout(check, 2000);
      })
      .catch(function () {
        setTimeout(check, 4000);
      });
  }
  setTimeout(check, 2000);
})();
