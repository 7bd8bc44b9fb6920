// django-import-export's "select all" toggle, bound here instead of by an onchange attribute (the CSP refuses those).
document.addEventListener("change", function (event) {
  if (event.target.matches && event.target.matches("input.select-toggle")) onSelectToggleChange(event);  // eslint-disable-line no-undef
});
