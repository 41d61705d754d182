// Search semantics every storage must share: each query's result equals the in-memory
// reference (query/match.ts), plus the databroker/Tiled cases spelled out.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import {
  AmbiguousUidError,
  Catalog,
  comparison,
  contains,
  DuplicateScanIdError,
  eq,
  filterRuns,
  fullText,
  InvalidQueryError,
  inList,
  keyPresent,
  like,
  type MatchableRun,
  notEq,
  notIn,
  partialUid,
  type Query,
  RunIndexError,
  RunNotFoundError,
  scanId,
  scanIdRange,
  sortRuns,
  timeRange,
  toFilters,
  toSorts,
} from "../../../src/index.ts";
import { makeRun, writeAll } from "../../fixtures/runs.ts";
import type { StorageFactory } from "./storage-factory.ts";

const T0 = 1_700_000_000;

/** The corpus: varied metadata, a duplicated scan_id, an incomplete run, look-alike uids. */
const CORPUS = [
  {
    uid: "aaaaaabbbbbb",
    time: T0,
    metadata: {
      scan_id: 1,
      letter: "x",
      number: 10,
      tags: ["a", "b"],
      sample: { name: "Si" },
      foo: "some words",
      mixed: true,
    },
  },
  {
    uid: "bbbbbbaaaaaa",
    time: T0 + 100,
    metadata: {
      scan_id: 2,
      plan_name: "scan",
      letter: "y",
      number: 24,
      tags: ["b"],
      color: "purple",
      mixed: 3,
      pos: { x: 1, y: 2, nested: { a: [1, { c: 3, d: 4 }] } },
      pts: [{ b: 1, a: 2 }, 3],
    },
  },
  {
    time: T0 + 200,
    incomplete: true,
    metadata: {
      scan_id: 3,
      plan_name: "scan",
      letter: "z",
      number: 30,
      foo: "other words",
      mixed: "a",
    },
  },
  {
    time: T0 + 300,
    exit_status: "abort" as const,
    metadata: {
      scan_id: 2,
      plan_name: "grid_scan",
      marked: true,
      number: 24.5,
      color: "urple",
      mixed: { k: 1 },
    },
  },
  {
    time: T0 + 400,
    metadata: {
      scan_id: 4,
      count_field: 0,
      letter: "X",
      sample: { name: "Ge" },
      tags: [],
      mixed: 2.5,
    },
  },
  {
    time: T0 + 500,
    metadata: { scan_id: 5, count_field: "0", number: null, sample: "plain", mixed: false },
  },
];

const QUERIES: Query[] = [
  eq("plan_name", "scan"),
  eq("start.plan_name", "scan"),
  eq("count_field", 0),
  eq("count_field", "0"),
  eq("number", null),
  eq("marked", true),
  eq("sample.name", "Si"),
  eq("tags", ["b"]),
  // Objects match whatever the order of their keys.
  eq("pos", { nested: { a: [1, { d: 4, c: 3 }] }, y: 2, x: 1 }),
  eq("pos", { y: 2, x: 1 }),
  eq("pos", { y: 2, x: 1, nested: { a: [1, { d: 4, c: 3 }] }, z: 0 }),
  eq("pos", { y: 2, x: 1, nested: { a: [{ d: 4, c: 3 }, 1] } }),
  notEq("pos", { nested: { a: [1, { d: 4, c: 3 }] }, y: 2, x: 1 }),
  inList("pos", [{ x: 1 }, { nested: { a: [1, { d: 4, c: 3 }] }, y: 2, x: 1 }]),
  contains("pts", { a: 2, b: 1 }),
  contains("pts", { a: 2 }),
  notEq("letter", "x"),
  notEq("stop.exit_status", "success"),
  inList("letter", ["x", "z"]),
  inList("letter", []),
  notIn("letter", ["x"]),
  notIn("letter", []),
  comparison("gt", "number", 24),
  comparison("ge", "number", 24),
  comparison("lt", "letter", "y"),
  comparison("le", "start.time", T0 + 200),
  contains("tags", "b"),
  contains("tags", "zz"),
  keyPresent("color"),
  keyPresent("color", false),
  keyPresent("stop.exit_status"),
  like("letter", "_"),
  like("plan_name", "%scan"),
  fullText("purple"),
  fullText("words"),
  fullText("some words"),
  fullText("abort"),
  timeRange({ since: T0 + 100, until: T0 + 300 }),
  scanId(2),
  { type: "scan_id", scan_ids: [2], duplicates: "all" },
  scanIdRange(1, 4),
  partialUid("aaaaaa"),
  partialUid("aaaaa", "bbbbbb"),
];

/** Registers the search tests for one backend. */
export function searchContract(factory: StorageFactory): void {
  describe(`${factory.label}: search`, () => {
    let catalog: Catalog;
    let all: MatchableRun[];
    const uids = (runs: readonly { uid: string }[]) => runs.map((r) => r.uid);

    before(async () => {
      catalog = new Catalog(await factory.create());
      for (const spec of CORPUS) await writeAll(catalog, makeRun({ ...spec, events: 2 }));
      all = (await catalog.search()).map((r) => ({
        id: r.index,
        uid: r.uid,
        start: r.start,
        stop: r.stop,
      }));
    });
    after(async () => catalog.close());

    test("every query returns what the reference matcher returns", async () => {
      for (const q of QUERIES) {
        const expected = uids(filterRuns(all, toFilters([q])));
        assert.deepEqual(uids(await catalog.search(q)), expected, JSON.stringify(q));
        assert.equal(await catalog.count(q), expected.length, `count of ${JSON.stringify(q)}`);
      }
    });

    test("queries agree with databroker's and Tiled's documented results", async () => {
      const letters = async (q: Query) => (await catalog.search(q)).map((r) => r.start["letter"]);
      assert.deepEqual(await letters(comparison("gt", "number", 24)), ["z", undefined]);
      assert.deepEqual(await letters(comparison("ge", "number", 24)), ["y", "z", undefined]);
      assert.deepEqual(uids(await catalog.search(fullText("purple"))), ["bbbbbbaaaaaa"]);
      const reordered = { nested: { a: [1, { d: 4, c: 3 }] }, y: 2, x: 1 };
      assert.deepEqual(uids(await catalog.search(eq("pos", reordered))), ["bbbbbbaaaaaa"]);
      assert.deepEqual(uids(await catalog.search(contains("pts", { a: 2, b: 1 }))), [
        "bbbbbbaaaaaa",
      ]);
      assert.deepEqual(await catalog.search(inList("letter", [])), []);
      assert.equal((await catalog.search(eq("count_field", "0"))).length, 1);
      assert.equal((await catalog.search(eq("count_field", "0")))[0]?.start["count_field"], "0");
      assert.deepEqual(uids(await catalog.search(fullText("some words"))), ["aaaaaabbbbbb"]);
      const dup = await catalog.search(scanId(2));
      assert.equal(dup.length, 1);
      assert.equal(dup[0]?.start["plan_name"], "grid_scan");
      const older = await catalog.search([eq("scan_id", 2), eq("plan_name", "scan")]);
      assert.deepEqual(uids(older), ["bbbbbbaaaaaa"]);
      assert.deepEqual(
        (await catalog.search(scanIdRange(1, 4))).map((r) => r.start.scan_id),
        [1, 3, 2],
      );
    });

    test("scan_id duplicates=latest picks the latest among runs matching the other queries", async () => {
      const cases: Query[][] = [
        [eq("plan_name", "scan"), scanId(2)],
        [scanId(2), eq("plan_name", "scan")],
        [eq("plan_name", "scan"), scanIdRange(1, 4)],
        [notEq("plan_name", "grid_scan"), scanId(1, 2, 3)],
        [eq("plan_name", "nothing"), scanId(2)],
      ];
      for (const qs of cases) {
        const expected = uids(filterRuns(all, toFilters(qs)));
        assert.deepEqual(uids(await catalog.search(qs)), expected, JSON.stringify(qs));
        assert.equal(await catalog.count(qs), expected.length, `count of ${JSON.stringify(qs)}`);
      }
      assert.deepEqual(uids(await catalog.search([eq("plan_name", "scan"), scanId(2)])), [
        "bbbbbbaaaaaa",
      ]);
      assert.deepEqual(
        (await catalog.search([eq("plan_name", "scan"), scanIdRange(1, 4)])).map(
          (r) => r.start.scan_id,
        ),
        [2, 3],
      );
    });

    test("scan_id duplicates=error names the scan_id and uids; unknown duplicates are refused", async () => {
      const error = { type: "scan_id" as const, scan_ids: [2], duplicates: "error" as const };
      const twos = uids(all.filter((r) => r.start["scan_id"] === 2));
      for (const attempt of [() => catalog.search(error), () => catalog.count(error)]) {
        await assert.rejects(attempt(), (err: Error) => {
          assert.ok(err instanceof DuplicateScanIdError);
          assert.ok(err instanceof InvalidQueryError);
          assert.equal(err.scanId, 2);
          assert.deepEqual(err.uids, twos);
          assert.match(err.message, /scan_id 2/);
          for (const uid of twos) assert.ok(err.message.includes(uid));
          return true;
        });
      }
      assert.throws(() => filterRuns(all, toFilters([error])), DuplicateScanIdError);
      assert.deepEqual(uids(await catalog.search([eq("plan_name", "scan"), error])), [
        "bbbbbbaaaaaa",
      ]);
      assert.deepEqual(
        (await catalog.search(scanIdRange(3, 5, "error"))).map((r) => r.start.scan_id),
        [3, 4],
      );
      const bogus = { type: "scan_id", scan_ids: [2], duplicates: "newest" } as unknown as Query;
      await assert.rejects(catalog.search(bogus), (err: Error) => {
        assert.ok(err instanceof InvalidQueryError);
        assert.match(err.message, /"newest"/);
        return true;
      });
    });

    test("combined queries are ANDed", async () => {
      const runs = await catalog.search([eq("plan_name", "scan"), comparison("ge", "number", 30)]);
      assert.deepEqual(
        runs.map((r) => r.start.scan_id),
        [3],
      );
    });

    test("a regex query is refused with a clear error", async () => {
      await assert.rejects(
        catalog.search({ type: "regex", key: "letter", pattern: "x" }),
        InvalidQueryError,
      );
    });

    test("sorting: by key either way, missing keys last, ties in insertion order", async () => {
      const sortings = [
        ["number"],
        ["-number"],
        ["letter"],
        ["-start.time"],
        ["no_such_key"],
        ["-"],
        ["plan_name", "-scan_id"],
        ["mixed"],
        ["-mixed"],
        ["count_field"],
        ["-count_field"],
        ["sample", "-scan_id"],
      ];
      for (const sort of sortings) {
        const keys = sort.map((s) =>
          s.startsWith("-")
            ? { key: s.slice(1), direction: -1 as const }
            : { key: s, direction: 1 as const },
        );
        const expected = uids(sortRuns(all, toSorts(keys)));
        assert.deepEqual(uids(await catalog.search([], { sort })), expected, sort.join(","));
      }
      const mixed = async (sort: string) =>
        (await catalog.search([], { sort: [sort] })).map((r) => r.start["mixed"]);
      // Booleans, then numbers, then strings, then objects (in insertion order): as SQLite does.
      assert.deepEqual(await mixed("mixed"), [false, true, 2.5, 3, "a", { k: 1 }]);
      assert.deepEqual(await mixed("-mixed"), [{ k: 1 }, "a", 3, 2.5, true, false]);
      const byNumber = await catalog.search([], { sort: ["-number"] });
      assert.deepEqual(
        byNumber.slice(0, 4).map((r) => r.start["number"]),
        [30, 24.5, 24, 10],
      );
    });

    test("a duplicate sort key is refused", async () => {
      await assert.rejects(catalog.search([], { sort: ["number", "-number"] }), InvalidQueryError);
    });

    test("pagination: offset and limit over the sorted results", async () => {
      const page = await catalog.search([], { sort: ["start.time"], offset: 2, limit: 2 });
      assert.deepEqual(
        page.map((r) => r.start.scan_id),
        [3, 2],
      );
      assert.deepEqual(await catalog.search([], { limit: 0 }), []);
      assert.equal(await catalog.count(), CORPUS.length);
    });

    test("get(): -1 is the latest, -k the k-th latest, too far back is RunIndexError", async () => {
      assert.equal((await catalog.get(-1)).start.scan_id, 5);
      assert.equal((await catalog.get(-3)).start.scan_id, 2);
      assert.deepEqual(
        (await catalog.last(2)).map((r) => r.start.scan_id),
        [5, 4],
      );
      await assert.rejects(catalog.get(-(CORPUS.length + 1)), RunIndexError);
    });

    test("get(): a scan_id finds the latest run with it; unknown ones are RunNotFoundError", async () => {
      assert.equal((await catalog.get(2)).start["plan_name"], "grid_scan");
      await assert.rejects(catalog.get(99), RunNotFoundError);
    });

    test("get(): uids and prefixes of at least 5 characters", async () => {
      assert.equal((await catalog.get("aaaaaabbbbbb")).start.scan_id, 1);
      assert.equal((await catalog.get("aaaaaa")).start.scan_id, 1);
      assert.equal((await catalog.get("bbbbbb")).start.scan_id, 2);
      await assert.rejects(catalog.get("aaaa"), AmbiguousUidError);
      await assert.rejects(catalog.get("zzzzzzz"), RunNotFoundError);
      const third = (await catalog.get(3)).uid;
      assert.equal((await catalog.get(third.slice(0, 8))).uid, third);
    });

    test("random queries agree with the reference matcher", async () => {
      const key = fc.constantFrom(
        "number",
        "letter",
        "scan_id",
        "tags",
        "color",
        "missing",
        "sample.name",
        "stop.exit_status",
      );
      const value = fc.oneof(
        fc.constantFrom(
          0,
          10,
          24,
          24.5,
          30,
          2,
          "x",
          "y",
          "z",
          "purple",
          "b",
          "success",
          null,
          true,
        ),
        fc.integer({ min: -5, max: 40 }),
      );
      const query: fc.Arbitrary<Query> = fc.oneof(
        fc.record({ type: fc.constantFrom("eq" as const, "noteq" as const), key, value }),
        fc.record({
          type: fc.constant("comparison" as const),
          operator: fc.constantFrom("lt" as const, "le" as const, "gt" as const, "ge" as const),
          key,
          value: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constantFrom("a", "x", "y", "zz")),
        }),
        fc.record({
          type: fc.constantFrom("in" as const, "notin" as const),
          key,
          value: fc.array(value, { maxLength: 3 }),
        }),
        fc.record({ type: fc.constant("contains" as const), key, value }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(query, { minLength: 1, maxLength: 2 }), async (queries) => {
          const expected = uids(filterRuns(all, toFilters(queries)));
          assert.deepEqual(uids(await catalog.search(queries)), expected);
        }),
        { numRuns: 60 },
      );
    });
  });
}
