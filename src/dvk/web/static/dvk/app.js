/* DVK: the little behaviour pages need, without inline scripts.
   <select data-autosubmit>   submits its form when changed (the role switcher).
   <form data-confirm="…">    asks before submitting (removals). */
document.addEventListener("change", function (e) {
  var el = e.target;
  if (el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.submit();
});
document.addEventListener("submit", function (e) {
  var form = e.target;
  if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) e.preventDefault();
});
