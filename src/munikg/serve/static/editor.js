// Choosing an example loads it (the page's Content-Security-Policy allows no inline handlers).
document.getElementById("example").addEventListener("change", function () {
  this.form.submit();
});
