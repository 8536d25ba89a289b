// LTI Dynamic Registration 1.0: tell the LMS page that opened us (a frame or a window) that the
// registration is done, so it closes this page and shows the new tool.
(function () {
  var target = window.opener || window.parent;
  if (target && target !== window) target.postMessage({ subject: 'org.imsglobal.lti.close' }, '*');
})();
