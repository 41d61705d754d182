// The catalog paces a producer that outruns it: past `highWaterRows` uncommitted rows, insert
// returns a promise of their commit (which the RunEngine waits for), so memory stays bounded.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { NamedDocument } from "@cerulean/event-model";
import { Catalog, SqliteStorage } from "../../src/index.ts";
import { makeRun } from "../fixtures/runs.ts";

describe("catalog flow control", () => {
  test("insert asks to be waited for once the uncommitted rows reach the high-water mark", async () => {
    const catalog = new Catalog(new SqliteStorage({ path: ":memory:" }), {
      highWaterRows: 50,
      maxDelayMs: 10_000,
    });
    const [start, descriptor, page, stop] = makeRun({ events: 60, asPage: true });
    assert.equal(page?.[0], "event_page");
    assert.equal(catalog.insert(...start!), undefined, "one row queued: no need to wait");
    assert.equal(catalog.insert(...descriptor!), undefined);
    const wait = catalog.insert(...page!) as unknown;
    assert.ok(wait instanceof Promise, "60 rows queued past a mark of 50: a promise to wait for");
    await wait;
    // Resolved means committed: the rows are readable although maxDelayMs is far away.
    const uid = (start![1] as { uid: string }).uid;
    const { data } = await (await (await catalog.get(uid)).stream()).read();
    assert.equal((data["det"] as Float64Array).length, 60);
    assert.equal(catalog.insert(...stop!), undefined, "the queue is empty again");
    await catalog.close();
  });

  test("single events count one row each, and a run below the mark never waits", async () => {
    const catalog = new Catalog(new SqliteStorage({ path: ":memory:" }), { highWaterRows: 10 });
    const waits = makeRun({ events: 5 }).map((doc) => catalog.insert(...doc) as unknown);
    assert.deepEqual(
      waits.map((w) => w instanceof Promise),
      waits.map(() => false),
    );
    const many = makeRun({ events: 20 }).map((doc) => catalog.insert(...doc) as unknown);
    assert.ok(
      many.some((w) => w instanceof Promise),
      "20 events queued at once pass a mark of 10",
    );
    await catalog.close();
  });

  test("a malformed page given without validation fails its own flush, not the process", async () => {
    const catalog = new Catalog(new SqliteStorage({ path: ":memory:" }), { validate: false });
    const [start] = makeRun({ events: 1 });
    catalog.insert(...start!);
    const malformed = ["event_page", { descriptor: "nope" }] as unknown as NamedDocument;
    assert.equal(catalog.insert(...malformed), undefined);
    await assert.rejects(catalog.flush());
    await catalog.close().catch(() => undefined);
  });
});
