import type { Event, EventDescriptor, RunStart, RunStop } from "@cerulean/event-model";
import { CallbackBase } from "./callback-base.ts";
import { localTimeOfDay } from "./format/local-time.ts";
import {
  alignRight,
  centerText,
  formatFixed,
  textLength,
  truncateText,
} from "./format/python-format.ts";
import { type LineSink, type TextWritable, toLineSink } from "./output.ts";

export interface LiveTableOptions {
  /** Only events of this stream are shown (default "primary"). */
  streamName?: string;
  /** Print the header again every this many rows (default 50). */
  printHeaderInterval?: number;
  /** Minimum width of a data column (default 12). */
  minWidth?: number;
  /** Decimals when the data key has no `precision` (default 3). */
  defaultPrec?: number;
  /** Spaces on each side of a cell (default 1). */
  extraPad?: number;
  /** Blank lines before and after the table (default true). */
  separatorLines?: boolean;
  /** Receives the watermark and every printed line at the end of the run. */
  logbook?: (text: string) => void;
  /** Where lines go: a function, or a writable stream; default standard output. */
  out?: LineSink | TextWritable;
}

type Kind = "d" | "f" | "s" | "bool";

interface Column {
  key: string;
  heading: string;
  width: number;
  precision: number;
  kind: Kind;
}

const TIME_KEY = "\u0000time";

/**
 * Bluesky's LiveTable: a row per event of one stream with seq_num, the local time and the chosen
 * fields, right-aligned in fixed columns with the precision of each data key, framed by
 * separator lines, with a watermark naming the plan and scan at the end.
 * @example engine.subscribe(new LiveTable(["motor", "det"]).callback);
 */
export class LiveTable extends CallbackBase {
  readonly fields: readonly string[];
  readonly #options: Required<Omit<LiveTableOptions, "logbook" | "out">> &
    Pick<LiveTableOptions, "logbook"> & { out: LineSink };
  #startDoc: RunStart | null = null;
  #descriptors = new Set<string>();
  #columns: Column[] = [];
  #separator: string | null = null;
  #header = "";
  #count = 0;
  #rows: string[] = [];

  constructor(fields: readonly string[], options: LiveTableOptions = {}) {
    super();
    this.fields = [...fields];
    this.#options = {
      streamName: options.streamName ?? "primary",
      printHeaderInterval: options.printHeaderInterval ?? 50,
      minWidth: options.minWidth ?? 12,
      defaultPrec: options.defaultPrec ?? 3,
      extraPad: options.extraPad ?? 1,
      separatorLines: options.separatorLines ?? true,
      logbook: options.logbook,
      out: toLineSink(options.out),
    };
    this.#columns = this.#fixedColumns();
  }

  override start(doc: RunStart): void {
    this.#startDoc = doc;
    this.#rows = [];
    this.#separator = null;
    this.#descriptors.clear();
    this.#columns = this.#fixedColumns();
  }

  override descriptor(doc: EventDescriptor): void {
    const o = this.#options;
    if (doc.name !== o.streamName) return;
    this.#descriptors.add(doc.uid);
    for (const key of this.fields) {
      const dataKey = doc.data_keys[key];
      if (!dataKey) continue;
      const kind = kindOf(dataKey.dtype);
      if (kind === null) {
        process.emitWarning(`LiveTable skips "${key}": it cannot display dtype "${dataKey.dtype}"`);
        continue;
      }
      const width = Math.max(o.minWidth, textLength(key) + 2, o.defaultPrec + 1 + 2 * o.extraPad);
      const declared = dataKey.precision;
      const precision =
        kind === "s"
          ? width - 1 - 2 * o.extraPad
          : kind === "bool"
            ? 5
            : typeof declared === "number" && Number.isInteger(declared)
              ? declared
              : o.defaultPrec;
      const column = { key, heading: key, width, precision, kind };
      const existing = this.#columns.findIndex((c) => c.key === key);
      if (existing >= 0) this.#columns[existing] = column;
      else this.#columns.push(column);
    }
    this.#separator = `+${this.#columns.map((c) => "-".repeat(c.width)).join("+")}+`;
    const pad = " ".repeat(o.extraPad);
    this.#header = `|${this.#columns.map((c) => alignRight(c.heading, c.width - o.extraPad) + pad).join("|")}|`;
    this.#count = 0;
    if (o.separatorLines) this.#print("\n");
    this.#printHeader();
  }

  override event(doc: Event): void {
    if (!this.#descriptors.has(doc.descriptor)) return;
    const o = this.#options;
    this.#count++;
    if (this.#count % o.printHeaderInterval === 0) this.#printHeader();
    try {
      const values: Record<string, unknown> = {
        ...doc.data,
        seq_num: doc.seq_num,
        [TIME_KEY]: localTimeOfDay(doc.time),
      };
      const pad = " ".repeat(o.extraPad);
      const cells = this.#columns.map((c) => {
        const shown = c.key in values && (doc.filled?.[c.key] ?? true);
        if (!shown) return " ".repeat(c.width);
        return pad + formatCell(values[c.key], c, c.width - 2 * o.extraPad) + pad;
      });
      this.#print(`|${cells.join("|")}|`);
    } catch {
      this.#print(centerText(" failed to format row ", o.minWidth, "*"));
    }
  }

  override stop(doc: RunStop): void {
    const start = this.#startDoc;
    if (start === null || doc.run_start !== start.uid) return;
    if (this.#separator !== null) this.#print(this.#separator);
    const show = (key: string) => {
      const value = start[key];
      return value === undefined || value === null ? "None" : String(value);
    };
    const watermark = `${show("plan_type")} ${show("plan_name")} ['${start.uid.slice(0, 8)}'] (scan num: ${show("scan_id")})`;
    this.#options.out(watermark);
    this.#options.logbook?.([watermark, ...this.#rows].join("\n"));
    if (this.#options.separatorLines) this.#print("\n");
  }

  #fixedColumns(): Column[] {
    const pad = this.#options?.extraPad ?? 1;
    return [
      { key: "seq_num", heading: "seq_num", width: 10 + pad, precision: 0, kind: "d" },
      { key: TIME_KEY, heading: "time", width: 10 + 2 * pad, precision: 10, kind: "s" },
    ];
  }

  #printHeader(): void {
    if (this.#separator === null) return;
    this.#print(this.#separator);
    this.#print(this.#header);
    this.#print(this.#separator);
  }

  #print(text: string): void {
    this.#rows.push(text);
    this.#options.out(text);
  }
}

function kindOf(dtype: string): Kind | null {
  switch (dtype) {
    case "number":
      return "f";
    case "integer":
      return "d";
    case "string":
      return "s";
    case "boolean":
      return "bool";
    default:
      return null;
  }
}

/** Formats one value the way Python's format spec would, or throws where Python would. */
function formatCell(value: unknown, column: Column, width: number): string {
  switch (column.kind) {
    case "f": {
      const x = typeof value === "boolean" ? Number(value) : value;
      if (typeof x !== "number") throw new TypeError(`not a number: ${String(value)}`);
      return alignRight(formatFixed(x, column.precision), width);
    }
    case "d": {
      const x = typeof value === "boolean" ? Number(value) : value;
      if (typeof x !== "number" || !Number.isInteger(x)) {
        throw new TypeError(`not an integer: ${String(value)}`);
      }
      return alignRight(String(x), width);
    }
    case "s":
    case "bool": {
      const text = typeof value === "boolean" ? (value ? "True" : "False") : value;
      if (typeof text !== "string") throw new TypeError(`not a string: ${String(value)}`);
      return alignRight(truncateText(text, column.precision), width);
    }
  }
}
