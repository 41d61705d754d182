/** Can say, without moving, whether a value is allowed (used by the limit-checking simulator). */
export interface Checkable<T = unknown> {
  /** Resolves when `value` is allowed; rejects with an error naming the device and the limit. */
  checkValue(value: T): Promise<void>;
}
