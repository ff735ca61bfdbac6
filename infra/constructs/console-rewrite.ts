/**
 * The CloudFront Function (cloudfront-js-2.0, viewer request) of the console's default behaviour:
 * a path whose last segment has no extension is a route of the single-page console
 * (`/users/123`, `/activate?token=…`), so S3 is asked for `/index.html` instead; the console's
 * router reads the address bar. A path with an extension (`/assets/index-3f2a.js`,
 * `/favicon.svg`) goes to S3 as it is, so a missing file is a real 404/403, not a page.
 *
 * It runs on the default behaviour only: `/v1/*` never reaches it, so an API 404 stays the API's
 * JSON error. (A distribution-wide custom error response 403/404 → /index.html would turn those
 * into HTML pages.) The query string is left alone.
 *
 * Plain ES5-style JavaScript on purpose: it is the code CloudFront runs, and the infra tests run
 * the same text.
 */
export const CONSOLE_REWRITE_FUNCTION_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}
`;
