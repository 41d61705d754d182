import type { DataKey } from "@cerulean/event-model";
import { type ArrowField, type ArrowType, arrowSchemaMessage } from "./arrow-ipc.ts";

/** The Arrow type of a table column: seq_num int64, times float64, data keys by dtype. */
export function arrowTypeOf(
  column: string,
  dataKeys: Readonly<Record<string, DataKey>>,
): ArrowType {
  if (column === "seq_num") return "int64";
  if (column === "time" || (column.startsWith("ts_") && !(column in dataKeys))) return "float64";
  switch (dataKeys[column]?.dtype) {
    case "integer":
      return "int64";
    case "boolean":
      return "bool";
    case "string":
      return "utf8";
    case "number":
      return "float64";
    default:
      return "utf8";
  }
}

/** The Arrow fields of a stream table's columns. */
export function arrowFields(
  columns: readonly string[],
  dataKeys: Readonly<Record<string, DataKey>>,
): ArrowField[] {
  return columns.map((name) => ({ name, type: arrowTypeOf(name, dataKeys) }));
}

/** Tiled's `arrow_schema`: the serialized Arrow schema as a base64 data URI. */
export function arrowSchemaDataUri(
  columns: readonly string[],
  dataKeys: Readonly<Record<string, DataKey>>,
): string {
  const bytes = arrowSchemaMessage(arrowFields(columns, dataKeys));
  return `data:application/vnd.apache.arrow.file;base64,${Buffer.from(bytes).toString("base64")}`;
}
