import TestRunner from 'jest-runner';
import { laneOf } from './lanes.js';

/**
 * The integration project's jest runner: jest's own runner, called in two phases so that files
 * run in parallel against the one shared stack without disturbing each other (lanes.js):
 *
 * 1. the shared files, `maxWorkers` at once (the runner's option in jest.config.js, or `--maxWorkers`
 *    when lower);
 * 2. the ALONE files one after another (they move the clock or flip a fault switch, so no shared
 *    file may run meanwhile), and beside them the OWN_STACK files, which never call the shared stack.
 *
 * With `--runInBand` (or one worker, or one file) everything runs in band: shared, ALONE, OWN_STACK.
 * Each phase is a jest-runner of its own with its own worker pool; their events go to jest's
 * reporters as one run's.
 */
export default class IntegrationRunner {
  supportsEventEmitters = true;
  isSerial = false;
  #globalConfig;
  #context;
  #maxWorkers;
  /** The reporters' subscriptions, passed on to every inner runner. */
  #listeners = new Set();

  constructor(globalConfig, context, options = {}) {
    this.#globalConfig = globalConfig;
    this.#context = context;
    this.#maxWorkers = Math.max(1, Math.min(globalConfig.maxWorkers, options.maxWorkers ?? globalConfig.maxWorkers));
  }

  on(eventName, listener) {
    const entry = [eventName, listener];
    this.#listeners.add(entry);
    return () => this.#listeners.delete(entry);
  }

  #run(tests, watcher, { workers, serial = false }) {
    if (tests.length === 0) return Promise.resolve();
    const runner = new TestRunner({ ...this.#globalConfig, maxWorkers: workers }, this.#context);
    for (const [eventName, listener] of this.#listeners) runner.on(eventName, listener);
    return runner.runTests(tests, watcher, { serial });
  }

  async runTests(tests, watcher, options) {
    const lane = (name) => tests.filter((t) => laneOf(t.path) === name);
    const [shared, alone, own] = [lane('shared'), lane('alone'), lane('own-stack')];
    if (options.serial || this.#maxWorkers === 1) {
      await this.#run([...shared, ...alone, ...own], watcher, { workers: 1, serial: true });
      return;
    }
    const workers = this.#maxWorkers;
    await this.#run(shared, watcher, { workers });
    if (watcher.isInterrupted()) return;
    await Promise.all([this.#run(alone, watcher, { workers: 1 }), this.#run(own, watcher, { workers: Math.max(1, workers - 1) })]);
  }
}
