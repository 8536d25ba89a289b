// Posts a form marked data-autosubmit as soon as the page loads (its button does the same without JavaScript).
document.querySelectorAll('form[data-autosubmit]').forEach(function (form) {
  form.submit();
});
