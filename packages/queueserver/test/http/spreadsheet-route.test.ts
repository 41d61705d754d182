// Uploading a spreadsheet adds its plans at the back of the queue in one batch.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { startTestServer } from "../helpers.ts";

function multipart(fields: { name: string; filename?: string; text: string }[]) {
  const boundary = "----cerulean-test-boundary";
  const body = fields
    .map(
      (f) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"${f.filename ? `; filename="${f.filename}"` : ""}\r\n\r\n${f.text}\r\n`,
    )
    .join("");
  return { body: `${body}--${boundary}--\r\n`, type: `multipart/form-data; boundary=${boundary}` };
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
    const xlsx = await upload(
      t.server.url,
      multipart([{ name: "spreadsheet", filename: "plans.xlsx", text: "" }]),
    );
    assert.equal(xlsx.status, 400);
    assert.match(String(xlsx.body["detail"]), /supported extensions/);
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
    const elsewhere = await fetch(`${t.server.url}/api/queue/item/add`, {
      method: "POST",
      headers: { "content-type": multipart([]).type },
      body: multipart([{ name: "item", text: "x" }]).body,
    });
    assert.equal(elsewhere.status, 400);
    assert.match(String(((await elsewhere.json()) as { detail: string }).detail), /must be JSON/);
  });
});
