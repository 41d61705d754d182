import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import {
  DataNotAccessible,
  DuplicateHandler,
  EventModelRuntimeError,
  EventModelTypeError,
  EventModelValueError,
  MismatchedDataKeys,
  UndefinedAssetSpecification,
  UnfilledData,
  UnresolvableForeignKeyError,
} from "../src/errors.ts";
import { Filler } from "../src/filler.ts";
import type { HandlerFactory } from "../src/handler-registry.ts";
import { NoFiller } from "../src/no-filler.ts";
import { packEventPage, verifyFilled } from "../src/pages.ts";
import type { Event } from "../src/schemas/event.ts";
import { assertValidReference } from "../src/testing/reference-schemas.ts";
import { IMAGE, type SampleRun, sampleRun, snapshot } from "./helpers/sample-run.ts";

/** A DUMMY handler factory recording what it was opened with. */
function dummy() {
  const opened: { path: string; kwargs: Record<string, unknown> }[] = [];
  const reads: Record<string, unknown>[] = [];
  const factory: HandlerFactory = (path, kwargs) => {
    opened.push({ path, kwargs });
    return (datumKwargs) => {
      reads.push(datumKwargs);
      return IMAGE;
    };
  };
  return { factory, opened, reads };
}

/** A Filler fed with the run's documents up to (not including) its events. */
function fedFiller(run: SampleRun, filler: Filler): Filler {
  filler.ingest("descriptor", run.primary);
  filler.ingest("resource", run.resource);
  for (const datum of run.datums) filler.ingest("datum", datum);
  return filler;
}

describe("Filler", () => {
  test("the handler gets root/resource_path and resource_kwargs; inplace fills the same object", async () => {
    const run = sampleRun();
    const { factory, opened, reads } = dummy();
    const filler = new Filler({ DUMMY: factory }, { inplace: true });
    for (const [name, doc] of run.docs.slice(0, 6)) await filler.route(name, doc);
    const event = run.primaryEvents[0]!;
    const [name, out] = await filler.route("event", event);
    assert.equal(name, "event");
    assert.equal(out, event);
    assert.deepStrictEqual(event.data["image"], IMAGE);
    assert.equal(event.filled?.["image"], run.datums[0]!.datum_id);
    assert.deepStrictEqual(opened, [{ path: "/data/root/stack.tiff", kwargs: { a: 1 } }]);
    assert.deepStrictEqual(reads, [{ slice: 0 }]);
    assertValidReference("event", out);
  });

  test("an event page is filled row by row; the handler is opened once per resource", async () => {
    const run = sampleRun();
    const { factory, opened } = dummy();
    const filler = fedFiller(run, new Filler({ DUMMY: factory }, { inplace: true }));
    const page = packEventPage(run.primaryEvents);
    assert.throws(() => verifyFilled(page), UnfilledData);
    const out = await filler.fillEventPage(page);
    assert.equal(out, page);
    assert.deepStrictEqual(page.data["image"], [IMAGE, IMAGE]);
    assert.deepStrictEqual(
      page.filled?.["image"],
      run.datums.map((d) => d.datum_id),
    );
    verifyFilled(page);
    assert.equal(opened.length, 1);
    assertValidReference("event_page", page);
  });

  test("inplace: false (the default) returns a filled copy and leaves the original alone", async () => {
    const run = sampleRun();
    const filler = fedFiller(run, new Filler({ DUMMY: dummy().factory }));
    const event = run.primaryEvents[0]!;
    const before = snapshot(event);
    const copy = await filler.fillEvent(event);
    assert.notEqual(copy, event);
    assert.deepStrictEqual(event, before);
    assert.deepStrictEqual(copy.data["image"], IMAGE);
    assert.equal(await filler.fillEvent(event, { inplace: true }), event);
    assert.deepStrictEqual(event.data["image"], IMAGE);

    const page = packEventPage(sampleRun().primaryEvents);
    const pageBefore = snapshot(page);
    const inplaceFiller = fedFiller(run, new Filler({ DUMMY: dummy().factory }, { inplace: true }));
    const pageCopy = await inplaceFiller.fillEventPage(
      { ...page, data: { ...page.data, image: run.datums.map((d) => d.datum_id) } },
      { inplace: false },
    );
    assert.deepStrictEqual(pageCopy.data["image"], [IMAGE, IMAGE]);
    assert.deepStrictEqual(page, pageBefore);
  });

  test("without `filled`, the descriptor's external keys are filled and `filled` is created", async () => {
    const run = sampleRun();
    const filler = fedFiller(run, new Filler({ DUMMY: dummy().factory }));
    const { filled: _f, ...bare } = run.primaryEvents[0]!;
    const out = await filler.fillEvent(bare as Event);
    assert.deepStrictEqual(out.data["image"], IMAGE);
    assert.deepStrictEqual(out.filled, { image: run.datums[0]!.datum_id });
    const stranger = { ...(bare as Event), descriptor: "unseen" };
    await assert.rejects(filler.fillEvent(stranger), UnresolvableForeignKeyError);
  });

  test("an unknown spec is UndefinedAssetSpecification naming the spec", async () => {
    const run = sampleRun();
    const filler = fedFiller(run, new Filler({}));
    await assert.rejects(
      filler.fillEvent(run.primaryEvents[0]!),
      (e: Error) =>
        e instanceof UndefinedAssetSpecification &&
        /spec "DUMMY"/.test(e.message) &&
        /none/.test(e.message),
    );
  });

  test("a missing datum or resource is UnresolvableForeignKeyError naming it", async () => {
    const run = sampleRun();
    const filler = new Filler({ DUMMY: dummy().factory });
    filler.ingest("descriptor", run.primary);
    const event = run.primaryEvents[0]!;
    await assert.rejects(
      filler.fillEvent(event),
      (e: Error) =>
        e instanceof UnresolvableForeignKeyError &&
        e.key === run.datums[0]!.datum_id &&
        e.message.includes(`datum "${run.datums[0]!.datum_id}"`),
    );
    filler.ingest("datum_page", packEventPageDatums(run));
    await assert.rejects(
      filler.fillEvent(event),
      (e: Error) => e instanceof UnresolvableForeignKeyError && e.key === run.resource.uid,
    );
  });

  test("include / exclude choose the keys; both together is an error", async () => {
    const run = sampleRun();
    assert.throws(
      () => new Filler({}, { include: ["image"], exclude: ["image"] }),
      EventModelValueError,
    );
    const filler = fedFiller(run, new Filler({ DUMMY: dummy().factory }));
    const event = run.primaryEvents[0]!;
    assert.equal(
      (await filler.fillEvent(event, { exclude: ["image"] })).data["image"],
      event.data["image"],
    );
    for (const include of [["image"], ["image", "EXTRA THING"]]) {
      assert.deepStrictEqual((await filler.fillEvent(event, { include })).data["image"], IMAGE);
    }
  });

  test("rootMap replaces the resource root", async () => {
    const run = sampleRun();
    const { factory, opened } = dummy();
    const filler = fedFiller(
      run,
      new Filler({ DUMMY: factory }, { rootMap: { "/data/root": "/mnt/new" } }),
    );
    await filler.fillEvent(run.primaryEvents[0]!);
    assert.equal(opened[0]?.path, "/mnt/new/stack.tiff");
  });

  test("a data key that filled names but data lacks is MismatchedDataKeys (Filler and NoFiller)", async () => {
    const run = sampleRun();
    for (const filler of [new Filler({ DUMMY: dummy().factory }), new NoFiller({})]) {
      fedFiller(run, filler);
      const event = structuredClone(run.primaryEvents[0]!);
      delete event.data["image"];
      await assert.rejects(filler.fillEvent(event), MismatchedDataKeys);
    }
  });

  test("NoFiller resolves references but leaves the datum_id in place", async () => {
    const run = sampleRun();
    const filler = fedFiller(run, new NoFiller({}, { inplace: true }));
    const event = run.primaryEvents[0]!;
    assert.equal(await filler.fillEvent(event), event);
    assert.equal(event.data["image"], run.datums[0]!.datum_id);
    assert.deepStrictEqual(event.filled, { image: false });
    await assert.rejects(
      filler.fillEvent({ ...event, data: { ...event.data, image: "nope" } }),
      UnresolvableForeignKeyError,
    );
    assert.ok(filler.clone() instanceof NoFiller);
  });

  test("getHandler makes a new handler each call; close() and `using` end the Filler", async () => {
    const run = sampleRun();
    const { factory, opened } = dummy();
    {
      using filler = new Filler({ DUMMY: factory });
      const a = await filler.getHandler(run.resource);
      const b = await filler.getHandler(run.resource);
      assert.notEqual(a, b);
      assert.equal(opened.length, 2);
      filler.close();
      assert.ok(filler.closed);
      await assert.rejects(filler.getHandler(run.resource), EventModelRuntimeError);
      await assert.rejects(filler.route("stop", run.stop), /has been closed/);
    }
    let disposed: Filler | undefined;
    {
      using filler = new Filler({});
      disposed = filler;
    }
    assert.ok(disposed.closed);
  });

  test("the registry view is read-only; register, overwrite and deregister manage the cache", async () => {
    const run = sampleRun();
    const first = dummy();
    const filler = fedFiller(run, new Filler({ DUMMY: first.factory }));
    const view = filler.handlerRegistry as Map<string, HandlerFactory>;
    assert.equal(view.get("DUMMY"), first.factory);
    assert.throws(() => view.set("X", first.factory), EventModelTypeError);
    assert.throws(() => view.delete("DUMMY"), EventModelTypeError);
    assert.throws(() => view.clear(), EventModelTypeError);

    filler.registerHandler("DUMMY", first.factory);
    const second = dummy();
    assert.throws(() => filler.registerHandler("DUMMY", second.factory), DuplicateHandler);
    await filler.fillEvent(run.primaryEvents[0]!);
    assert.equal(filler.cacheSizes().handlers, 1);
    filler.registerHandler("DUMMY", second.factory, { overwrite: true });
    assert.equal(filler.cacheSizes().handlers, 0);
    assert.equal(filler.handlerRegistry.get("DUMMY"), second.factory);
    await filler.fillEvent(run.primaryEvents[0]!);
    assert.equal(second.opened.length, 1);
    assert.equal(filler.deregisterHandler("DUMMY"), second.factory);
    assert.equal(filler.cacheSizes().handlers, 0);
    assert.equal(filler.handlerRegistry.size, 0);
    assert.equal(filler.deregisterHandler("DUMMY"), undefined);
  });

  test("clearDocumentCaches and clearHandlerCache empty their caches; clone starts empty", async () => {
    const run = sampleRun();
    const filler = fedFiller(run, new Filler({ DUMMY: dummy().factory }, { rootMap: { a: "b" } }));
    await filler.fillEvent(run.primaryEvents[0]!);
    assert.deepStrictEqual(filler.cacheSizes(), {
      descriptors: 1,
      resources: 1,
      datums: 2,
      streamResources: 0,
      handlers: 1,
    });
    const clone = filler.clone();
    assert.deepStrictEqual(clone.rootMap, { a: "b" });
    assert.equal(clone.handlerRegistry.get("DUMMY"), filler.handlerRegistry.get("DUMMY"));
    assert.equal(clone.cacheSizes().datums, 0);
    filler.clearHandlerCache();
    assert.equal(filler.cacheSizes().handlers, 0);
    filler.clearDocumentCaches();
    assert.deepStrictEqual(filler.cacheSizes(), {
      descriptors: 0,
      resources: 0,
      datums: 0,
      streamResources: 0,
      handlers: 0,
    });
  });

  test("async factories and handlers, and coerce", async () => {
    const run = sampleRun();
    const filler = fedFiller(
      run,
      new Filler(
        { DUMMY: async () => async (kwargs) => [kwargs["slice"]] },
        { coerce: (value, { key }) => ({ key, value }) },
      ),
    );
    const out = await filler.fillEvent(run.primaryEvents[1]!);
    assert.deepStrictEqual(out.data["image"], { key: "image", value: [1] });
  });
});

describe("Filler retries", () => {
  const ioError = () => Object.assign(new Error("not there yet"), { code: "ENOENT" });

  function flaky(failures: number) {
    let calls = 0;
    const factory: HandlerFactory = () => () => {
      calls++;
      if (calls <= failures) throw ioError();
      return IMAGE;
    };
    return { factory, calls: () => calls };
  }

  test("enough retries succeed; one short is DataNotAccessible with the last error as cause", async () => {
    const run = sampleRun();
    const ok = flaky(3);
    const filler = fedFiller(run, new Filler({ DUMMY: ok.factory }, { retryDelaysMs: [0, 0, 0] }));
    assert.deepStrictEqual((await filler.fillEvent(run.primaryEvents[0]!)).data["image"], IMAGE);
    assert.equal(ok.calls(), 4);

    const short = flaky(3);
    const failing = fedFiller(run, new Filler({ DUMMY: short.factory }, { retryDelaysMs: [0, 0] }));
    await assert.rejects(
      failing.fillEvent(run.primaryEvents[0]!),
      (e: Error) =>
        e instanceof DataNotAccessible &&
        /after 3 attempts: not there yet/.test(e.message) &&
        e.message.includes(run.datums[0]!.datum_id) &&
        (e.cause as { code?: string }).code === "ENOENT",
    );
  });

  test("a non-I/O error is not retried; null or [] delays mean one attempt", async () => {
    const run = sampleRun();
    let calls = 0;
    const buggy: HandlerFactory = () => () => {
      calls++;
      throw new TypeError("bug in handler");
    };
    const filler = fedFiller(run, new Filler({ DUMMY: buggy }, { retryDelaysMs: [0, 0] }));
    await assert.rejects(filler.fillEvent(run.primaryEvents[0]!), TypeError);
    assert.equal(calls, 1);
    for (const retryDelaysMs of [null, []]) {
      const once = flaky(1);
      const f = fedFiller(run, new Filler({ DUMMY: once.factory }, { retryDelaysMs }));
      assert.deepStrictEqual(f.retryDelaysMs, []);
      await assert.rejects(f.fillEvent(run.primaryEvents[0]!), DataNotAccessible);
    }
    assert.equal(new Filler().retryDelaysMs.length, 11);
    assert.throws(() => new Filler({}, { retryDelaysMs: [-1] }), /non-negative/);
  });

  test("a file that appears between attempts is read (a real ENOENT first)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cerulean-filler-"));
    try {
      const run = sampleRun({ root: dir });
      let attempts = 0;
      const tiff: HandlerFactory = (path) => async () => {
        attempts++;
        if (attempts === 2) await writeFile(path, "frame");
        return readFile(path, "utf8");
      };
      const filler = fedFiller(run, new Filler({ DUMMY: tiff }, { retryDelaysMs: [0] }));
      assert.equal((await filler.fillEvent(run.primaryEvents[0]!)).data["image"], "frame");
      assert.equal(attempts, 2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("Filler.fillStreamDatum", () => {
  const rows = Float64Array.from({ length: 10 }, (_, i) => i * 10);

  function streamDocs() {
    const sr = {
      uid: "sr1",
      data_key: "det_img",
      mimetype: "application/x-test-rows",
      uri: "file://localhost/data/scan/a.bin",
      parameters: { dataset: "/entry/data" },
      run_start: "s1",
    };
    const sd = {
      uid: "sr1/0",
      stream_resource: "sr1",
      descriptor: "d1",
      indices: { start: 2, stop: 5 },
      seq_nums: { start: 1, stop: 4 },
    };
    return { sr, sd };
  }

  test("reads rows [start, stop) through the handler of the mimetype, keyed by data_key", async () => {
    const { sr, sd } = streamDocs();
    const opened: unknown[] = [];
    const filler = new Filler(
      {},
      {
        rootMap: { "/data": "/mnt/data" },
        streamHandlers: {
          "application/x-test-rows": (uri, parameters) => {
            opened.push([uri, parameters]);
            return ({ start, stop }) => rows.subarray(start, stop);
          },
        },
      },
    );
    assertValidReference("stream_resource", sr);
    assertValidReference("stream_datum", sd);
    await filler.route("stream_resource", sr);
    assert.deepStrictEqual(await filler.fillStreamDatum(sd), {
      det_img: Float64Array.from([20, 30, 40]),
    });
    await filler.fillStreamDatum({ ...sd, uid: "sr1/1", indices: { start: 5, stop: 6 } });
    assert.deepStrictEqual(opened, [
      ["file://localhost/mnt/data/scan/a.bin", { dataset: "/entry/data" }],
    ]);
  });

  test("unknown mimetype, unseen stream resource and a wrong row count are named errors", async () => {
    const { sr, sd } = streamDocs();
    const filler = new Filler();
    await assert.rejects(
      filler.fillStreamDatum(sd),
      (e: Error) => e instanceof UnresolvableForeignKeyError && e.key === "sr1",
    );
    filler.ingest("stream_resource", sr);
    await assert.rejects(
      filler.fillStreamDatum(sd),
      (e: Error) =>
        e instanceof UndefinedAssetSpecification && e.message.includes('"application/x-test-rows"'),
    );
    filler.registerStreamHandler("application/x-test-rows", () => () => [1]);
    await assert.rejects(filler.fillStreamDatum(sd), /returned 1 rows .* ask for 3/);
    const noFiller = new NoFiller();
    await assert.rejects(noFiller.fillStreamDatum(sd), UnresolvableForeignKeyError);
    noFiller.ingest("stream_resource", sr);
    assert.deepStrictEqual(await noFiller.fillStreamDatum(sd), {});
  });
});

function packEventPageDatums(run: SampleRun) {
  return {
    resource: run.datums[0]!.resource,
    datum_kwargs: { slice: run.datums.map((d) => d.datum_kwargs["slice"]) },
    datum_id: run.datums.map((d) => d.datum_id),
  };
}
