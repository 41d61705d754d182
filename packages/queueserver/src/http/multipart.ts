// A small multipart/form-data reader (RFC 7578) for the spreadsheet upload: fields and files
// in memory, nothing written to disk.
import { HttpError } from "../errors.ts";

/** One part: its form name, the file name if it is a file, its bytes and their text. */
export interface FormPart {
  name: string;
  filename?: string;
  data: Buffer;
  text: string;
}

/** The parts of a multipart body with the boundary of `contentType`. */
export function parseMultipart(body: Buffer, contentType: string): FormPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const mark = boundary?.[1] ?? boundary?.[2];
  if (!mark) throw new HttpError(400, "multipart/form-data request without a boundary");
  const delimiter = Buffer.from(`--${mark}`);
  const parts: FormPart[] = [];
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const from = start + delimiter.length;
    if (body.subarray(from, from + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, from);
    if (next < 0)
      throw new HttpError(400, "multipart/form-data body ends without its closing boundary");
    const chunk = body.subarray(from, next);
    const split = chunk.indexOf("\r\n\r\n");
    if (split < 0) throw new HttpError(400, "multipart/form-data part without headers");
    const headers = chunk.subarray(0, split).toString("utf8");
    // The part's content ends with the CRLF that precedes the next delimiter.
    const content = chunk.subarray(split + 4, Math.max(split + 4, chunk.length - 2));
    const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? "";
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw new HttpError(400, "multipart/form-data part without a name");
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    parts.push({
      name,
      ...(filename !== undefined ? { filename } : {}),
      data: content,
      text: content.toString("utf8"),
    });
    start = next;
  }
  return parts;
}
