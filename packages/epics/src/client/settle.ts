// Small helpers for promises and user callbacks.

/** Runs a user callback; what it throws becomes a process warning, never a crashed circuit. */
export function guarded(pv: string, callback: () => void): void {
  try {
    callback();
  } catch (error) {
    process.emitWarning(`a callback for PV "${pv}" threw: ${String(error)}`, "CaCallbackWarning");
  }
}

/** Settles like `promise`, or rejects with `onTimeout()` after `ms` (Infinity: never). */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  onTimeout: () => Error,
): Promise<T> {
  if (!Number.isFinite(ms)) return promise;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
