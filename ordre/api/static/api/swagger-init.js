"use strict";
// Starts Swagger UI from the JSON configuration the page carries (no inline script:
// the Content-Security-Policy forbids it). Unsafe requests made with the session get
// the CSRF token from that configuration (the CSRF cookie is HttpOnly).
(function () {
  const config = JSON.parse(document.getElementById("swagger-ui-config").textContent);
  const requestInterceptor = (request) => {
    if (!["GET", "HEAD", "OPTIONS", undefined].includes(request.method)) {
      request.headers[config.csrfHeaderName] = config.csrfToken;
    }
    return request;
  };
  window.ui = SwaggerUIBundle({
    url: config.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    requestInterceptor,
    ...config.settings,
  });
})();
