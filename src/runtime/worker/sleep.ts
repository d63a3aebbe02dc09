/**
 * A sleep that can be cut short: `wake()` resolves the current `sleep`
 * at once. The worker sleeps between polls and is woken when it is told to
 * stop or when a new job is due. A `wake()` while nobody sleeps is kept for the
 * next `sleep`, which then returns at once: a job scheduled while the worker
 * was busy looking is not left waiting a whole poll.
 */
export class Alarm {
  private wakeCurrent: (() => void) | undefined
  private woken = false

  /** Resolves after `seconds`, or earlier when `wake()` is called. */
  sleep(seconds: number): Promise<void> {
    if (this.woken) {
      this.woken = false
      return Promise.resolve()
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, seconds * 1000)
      const wakeCurrent = () => done()
      this.wakeCurrent = wakeCurrent
      const self = this
      function done() {
        clearTimeout(timer)
        if (self.wakeCurrent === wakeCurrent) self.wakeCurrent = undefined
        resolve()
      }
    })
  }

  /** Whether a `sleep` is in progress. */
  get sleeping(): boolean {
    return this.wakeCurrent !== undefined
  }

  /** Ends the sleep in progress, if any. */
  wake(): void {
    if (this.wakeCurrent) this.wakeCurrent()
    else this.woken = true
  }
}
