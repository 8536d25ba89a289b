// Times in the viewer's own zone on a page behind the launch (the school admin's Zoom users): the
// page is asked for again with the zone the browser says (`tz`, as the course page does). Without
// it, the page shows the school's zone and says which.
(function () {
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return;
  }
  if (!zone) return;
  var url = new URL(window.location.href);
  if (url.pathname.indexOf('/lti/') !== 0 || url.searchParams.has('tz') || !url.searchParams.has('ltik'))
    return;
  url.searchParams.set('tz', zone);
  window.location.replace(url.toString());
})();
