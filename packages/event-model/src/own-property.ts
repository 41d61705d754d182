/**
 * Sets `object[key] = value` as an own data property. A plain assignment with the key
 * "__proto__" would change the prototype instead and lose the value; JSON.parse keeps such keys,
 * so the copies made here must too.
 */
export function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(object, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    object[key] = value;
  }
}
