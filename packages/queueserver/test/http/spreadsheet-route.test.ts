// Uploading a spreadsheet adds its plans at the back of the queue in one batch.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import writeXlsxFile from "write-excel-file/node";
import { startTestServer } from "../helpers.ts";

function multipart(fields: { name: string; filename?: string; text: string | Buffer }[]) {
  const boundary = "----cerulean-test-boundary";
  const body = Buffer.concat([
    ...fields.flatMap((f) => [
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"${f.filename ? `; filename="${f.filename}"` : ""}\r\n\r\n`,
      ),
      Buffer.from(f.text),
      Buffer.from("\r\n"),
    ]),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

async function upload(url: string, form: ReturnType<typeof multipart>) {
  const res = await fetch(`${url}/api/queue/upload/spreadsheet`, {
    method: "POST",
    headers: { "content-type": form.type },
    body: form.body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("spreadsheet upload", () => {
  it("adds the rows as a batch, and rejects bad files with 400 or per-item results", async () => {
    await using t = await startTestServer();
    const csv = `plan_name,args,num\n'count',"['det']",2\n'count',"['det']",3\n`;
    const ok = await upload(
      t.server.url,
      multipart([{ name: "spreadsheet", filename: "plans.csv", text: csv }]),
    );
    assert.equal(ok.status, 200);
    assert.equal(ok.body["success"], true, String(ok.body["msg"]));
    assert.equal(ok.body["qsize"], 2);
    const items = (await t.client.get("/api/queue/get"))["items"] as { kwargs: unknown }[];
    assert.deepEqual(
      items.map((i) => i.kwargs),
      [{ num: 2 }, { num: 3 }],
    );
    const ods = await upload(
      t.server.url,
      multipart([{ name: "spreadsheet", filename: "plans.ods", text: "" }]),
    );
    assert.equal(ods.status, 400);
    assert.match(String(ods.body["detail"]), /supported extensions are \[".csv",".xlsx"\]/);
    const noFile = await upload(t.server.url, multipart([{ name: "other", text: "x" }]));
    assert.equal(noFile.status, 400);
    const invalid = await upload(
      t.server.url,
      multipart([{ name: "spreadsheet", filename: "p.csv", text: "plan_name\n'no_such_plan'\n" }]),
    );
    assert.equal(invalid.body["success"], false);
    const results = invalid.body["results"] as { msg: string }[];
    assert.match(results[0]?.msg ?? "", /not in the list of allowed plans/);
    assert.equal((await t.client.get("/api/status"))["items_in_queue"], 2);

    // An Excel workbook, as saved by Excel or LibreOffice: its typed cells arrive as numbers.
    const workbook = await writeXlsxFile([
      ["plan_name", "args", "num", "delay"],
      ["count", "['det']", 4, 0.5],
    ]).toBuffer();
    const excel = await upload(
      t.server.url,
      multipart([{ name: "spreadsheet", filename: "plans.xlsx", text: workbook }]),
    );
    assert.equal(excel.status, 200);
    assert.equal(excel.body["success"], true, String(excel.body["msg"]));
    const queued = (await t.client.get("/api/queue/get"))["items"] as { kwargs: unknown }[];
    assert.deepEqual(queued.at(-1)?.kwargs, { num: 4, delay: 0.5 });
    const elsewhere = await fetch(`${t.server.url}/api/queue/item/add`, {
      method: "POST",
      headers: { "content-type": multipart([]).type },
      body: multipart([{ name: "item", text: "x" }]).body,
    });
    assert.equal(elsewhere.status, 400);
    assert.match(String(((await elsewhere.json()) as { detail: string }).detail), /must be JSON/);
  });
});
