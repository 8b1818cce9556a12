"use strict";
// Starts ReDoc from the JSON configuration the page carries (no inline script).
(function () {
  const config = JSON.parse(document.getElementById("redoc-config").textContent);
  Redoc.init(config.schemaUrl, config.settings, document.getElementById("redoc-container"));
})();
