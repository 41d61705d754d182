/** Now, in seconds since the Unix epoch with sub-millisecond resolution (Python's time.time()). */
export function now(): number {
  return (performance.timeOrigin + performance.now()) / 1000;
}

/** Resolves after `seconds`; rejects early with the signal's reason when aborted. */
export function sleep(seconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.max(0, seconds * 1000),
    );
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
