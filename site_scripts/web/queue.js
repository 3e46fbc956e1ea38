// @ts-check
/*
 * The run queue: one job at a time, in the order asked, for cells, demos and exercises.
 *
 * A job is {start(): Promise, cancel(reason?), owner?, batch?, replay?}. `start` runs it
 * (its promise settles when the job is over, whatever happens: an exception in a job
 * never blocks the queue); `cancel` tells a job that waited that it will not run.
 * `idle` listeners run each time the queue empties.
 *
 * Not for: talking to Python (client.js) or showing anything (cells/, demos/).
 */

/** @typedef {{start: () => Promise<any>|any, cancel: (reason?: string) => void, owner?: any, batch?: object, replay?: boolean, executing?: boolean, done?: Promise<any>}} Job */

export class RunQueue {
  constructor() {
    /** @type {Job[]} */
    this.waiting = [];
    /** @type {Job|null} */
    this.active = null;
    /** @type {Set<() => void>} */
    this.idleListeners = new Set();
  }

  /** @param {Job} job @param {{first?: boolean}} [options] */
  schedule(job, { first = false } = {}) {
    if (first) this.waiting.unshift(job);
    else this.waiting.push(job);
    this.pump();
  }

  /** @param {(job: Job) => boolean} predicate */
  has(predicate) {
    return this.waiting.some(predicate) || Boolean(this.active && predicate(this.active));
  }

  async pump() {
    if (this.active) return;
    while (this.waiting.length) {
      const job = /** @type {Job} */ (this.waiting.shift());
      this.active = job;
      job.done = Promise.resolve().then(() => job.start()).catch((error) => {
        console.error("nnbook: a queued job failed", error);
      });
      await job.done;
    }
    this.active = null;
    for (const listener of this.idleListeners) listener();
  }

  /**
   * Cancels the waiting jobs that match; each is told why (the key of its note).
   * @param {(job: Job) => boolean} [predicate] @param {string} [reason]
   */
  cancelWaiting(predicate = () => true, reason) {
    for (const job of this.waiting.filter(predicate)) {
      this.waiting.splice(this.waiting.indexOf(job), 1);
      job.cancel(reason);
    }
  }

  get busy() {
    return Boolean(this.active || this.waiting.length);
  }
}
