// Byte fixtures written out by hand from the CA protocol specification and db_access.h.

/** "00 0a ff" -> bytes; spaces and line breaks are ignored. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, "");
  return Uint8Array.from(clean.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
}

/** bytes -> "000aff", for readable assertion failures. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

/** `n` zero bytes as hex. */
export function zeros(n: number): string {
  return "00".repeat(n);
}

/** A NUL-padded ASCII field of `size` bytes, as hex. */
export function field(text: string, size: number): string {
  return Buffer.from(text, "latin1").toString("hex") + zeros(size - text.length);
}
