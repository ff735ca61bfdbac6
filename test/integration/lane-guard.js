import { OWN_STACK, changesSharedState, laneOf } from './lanes.js';

/**
 * Holds each integration test file to its lane (lanes.js), at the request that would break it: the
 * files run in parallel against one shared stack, so a file that moved its clock beside the others
 * would fail them at random instead. Loaded by jest (setupFilesAfterEnv) in every integration file;
 * it wraps `fetch`, which every request to a stack goes through (api.ts).
 */
const testPath = globalThis.expect.getState().testPath ?? '';
const lane = laneOf(testPath);
const file = testPath.replace(/.*test\/integration\//, '');
const shared = process.env.CLP_STACK ? new URL(JSON.parse(process.env.CLP_STACK).baseUrl).origin : undefined;
const realFetch = globalThis.fetch;
const { Request } = globalThis;

globalThis.fetch = function fetchInLane(input, init) {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (shared && url.origin === shared) {
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    if (lane === 'own-stack')
      throw new Error(`${file} is in OWN_STACK (test/integration/lanes.js: "${OWN_STACK[file]}") and runs beside files that move the shared stack's clock, but it called the shared stack: ${method} ${url.pathname}`);
    if (lane === 'shared' && changesSharedState(method, url.pathname, init?.body))
      throw new Error(
        `${method} ${url.pathname} changes what every file on the shared stack sees, and ${file} runs beside other files: add it to ALONE in test/integration/lanes.js, with why, so that it runs alone`,
      );
  }
  return realFetch(input, init);
};
