// A small FlatBuffers writer: just enough (tables, strings, vectors of tables and of structs) to
// write Apache Arrow IPC metadata. Objects are laid out front to back; each table's vtable sits
// just before it and each child after its parent, so every offset points forward as required.

/** A value in a table field. */
export type FbField =
  | { type: "u8" | "bool" | "i16" | "i32"; value: number }
  | { type: "i64"; value: number }
  | { type: "offset"; value: FbObject };

/** An object reachable by offset. */
export type FbObject =
  | { kind: "table"; fields: readonly (FbField | undefined)[] }
  | { kind: "string"; value: string }
  | { kind: "tables"; items: readonly FbObject[] }
  | { kind: "structs"; align: number; count: number; bytes: Uint8Array };

const SIZE = { u8: 1, bool: 1, i16: 2, i32: 4, i64: 8, offset: 4 } as const;

export const fb = {
  table: (...fields: (FbField | undefined)[]): FbObject => ({ kind: "table", fields }),
  string: (value: string): FbObject => ({ kind: "string", value }),
  tables: (items: readonly FbObject[]): FbObject => ({ kind: "tables", items }),
  u8: (value: number): FbField => ({ type: "u8", value }),
  bool: (value: boolean): FbField => ({ type: "bool", value: value ? 1 : 0 }),
  i16: (value: number): FbField => ({ type: "i16", value }),
  i32: (value: number): FbField => ({ type: "i32", value }),
  i64: (value: number): FbField => ({ type: "i64", value }),
  offset: (value: FbObject): FbField => ({ type: "offset", value }),
};

class Writer {
  bytes = new Uint8Array(256);
  view = new DataView(this.bytes.buffer);
  pos = 0;

  reserve(n: number): number {
    if (this.pos + n > this.bytes.length) {
      const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.pos + n));
      bigger.set(this.bytes);
      this.bytes = bigger;
      this.view = new DataView(bigger.buffer);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  align(n: number, extra = 0): void {
    while ((this.pos + extra) % n !== 0) this.reserve(1);
  }

  scalar(at: number, type: FbField["type"], value: number): void {
    const v = this.view;
    if (type === "u8" || type === "bool") v.setUint8(at, value);
    else if (type === "i16") v.setInt16(at, value, true);
    else if (type === "i32") v.setInt32(at, value, true);
    else if (type === "i64") v.setBigInt64(at, BigInt(value), true);
  }

  patch(at: number, target: number): void {
    this.view.setUint32(at, target - at, true);
  }

  object(obj: FbObject): number {
    switch (obj.kind) {
      case "string": {
        const utf8 = Buffer.from(obj.value, "utf8");
        this.align(4);
        const at = this.reserve(4 + utf8.length + 1);
        this.view.setUint32(at, utf8.length, true);
        this.bytes.set(utf8, at + 4);
        return at;
      }
      case "tables": {
        this.align(4);
        const at = this.reserve(4 + 4 * obj.items.length);
        this.view.setUint32(at, obj.items.length, true);
        for (let i = 0; i < obj.items.length; i++)
          this.patch(at + 4 + 4 * i, this.object(obj.items[i]!));
        return at;
      }
      case "structs": {
        this.align(Math.max(4, obj.align), 4);
        const at = this.reserve(4 + obj.bytes.length);
        this.view.setUint32(at, obj.count, true);
        this.bytes.set(obj.bytes, at + 4);
        return at;
      }
      case "table":
        return this.table(obj.fields);
    }
  }

  table(fields: readonly (FbField | undefined)[]): number {
    // Inline layout: the vtable offset first, then fields largest first (natural alignment).
    const order = fields
      .map((field, id) => ({ field, id }))
      .filter((f): f is { field: FbField; id: number } => f.field !== undefined)
      .sort((a, b) => SIZE[b.field.type] - SIZE[a.field.type]);
    const offsets = new Map<number, number>();
    let size = 4;
    const wide = order.some((f) => f.field.type === "i64");
    if (wide) size = 8; // keeps 8-byte fields aligned: the table starts 8-aligned, soffset + pad
    for (const { field, id } of order) {
      const s = SIZE[field.type];
      size = Math.ceil(size / s) * s;
      offsets.set(id, size);
      size += s;
    }
    size = Math.ceil(size / 4) * 4;
    const vtableSize = 4 + 2 * fields.length;
    this.align(2);
    const vtable = this.reserve(vtableSize);
    this.align(wide ? 8 : 4);
    const table = this.reserve(size);
    this.view.setUint16(vtable, vtableSize, true);
    this.view.setUint16(vtable + 2, size, true);
    for (let id = 0; id < fields.length; id++)
      this.view.setUint16(vtable + 4 + 2 * id, offsets.get(id) ?? 0, true);
    this.view.setInt32(table, table - vtable, true);
    const children: [number, FbObject][] = [];
    for (const { field, id } of order) {
      const at = table + offsets.get(id)!;
      if (field.type === "offset") children.push([at, field.value]);
      else this.scalar(at, field.type, field.value);
    }
    for (const [at, child] of children) this.patch(at, this.object(child));
    return table;
  }
}

/** Serializes a root table into a FlatBuffer (length padded to 8 bytes). */
export function finish(root: FbObject): Uint8Array {
  const w = new Writer();
  w.reserve(4);
  w.patch(0, w.object(root));
  w.align(8);
  return w.bytes.slice(0, w.pos);
}

/** A vector of structs, each written by `write` into a DataView of `size` bytes. */
export function structs<T>(
  items: readonly T[],
  size: number,
  write: (view: DataView, at: number, item: T) => void,
): FbObject {
  const bytes = new Uint8Array(items.length * size);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < items.length; i++) write(view, i * size, items[i]!);
  return { kind: "structs", align: 8, count: items.length, bytes };
}
