/**
 * A sleep that can be cut short: `wake()` resolves the current `sleep`
 * at once. The worker sleeps between polls and is woken when it is told to stop.
 */
export class Alarm {
  private wakeCurrent: (() => void) | undefined

  /** Resolves after `seconds`, or earlier when `wake()` is called. */
  sleep(seconds: number): Promise<void> {
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

  /** Ends the sleep in progress, if any. */
  wake(): void {
    this.wakeCurrent?.()
  }
}
