// Every device protocol, checked on real devices of the sim profile: at compile time (the
// assignments) and at run time (the guards the RunEngine-side code can use).
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  hasHints,
  hasName,
  isCheckable,
  isCollectable,
  isConfigurable,
  isEventCollectable,
  isEventPageCollectable,
  isFlyable,
  isLocatable,
  isMovable,
  isPausable,
  isPreparable,
  isReadable,
  isStageable,
  isStatus,
  isStoppable,
  isSubscribable,
  isTriggerable,
  isWritesExternalAssets,
  isWritesStreamAssets,
} from "../../src/index.ts";
import type {
  Checkable,
  Configurable,
  EventCollectable,
  EventPageCollectable,
  Flyable,
  HasHints,
  HasName,
  HasParent,
  Locatable,
  Movable,
  Pausable,
  Preparable,
  Readable,
  Readings,
  Stageable,
  Status,
  Stoppable,
  Subscribable,
  Triggerable,
  WatchableStatus,
  WritesExternalAssets,
  WritesStreamAssets,
} from "../../src/protocols/index.ts";
import { createSimBeamline, type SimBeamline } from "../../src/sim/index.ts";

const dataDir = mkdtempSync(join(tmpdir(), "cerulean-protocols-"));
let hw: SimBeamline;
before(async () => {
  hw = await createSimBeamline({ dataDir });
});
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** Compile-time: the sim devices implement the protocols (this function only has to type-check). */
function typeChecks(b: SimBeamline): unknown[] {
  const readable: Readable & Configurable & HasHints & HasParent = b.det;
  const movable: Movable<number> & Locatable<number> & Checkable<number> & Stoppable = b.motor;
  const detector: Triggerable & Stageable & Subscribable = b.det;
  const flyer: Flyable & EventCollectable & EventPageCollectable & Pausable & Stoppable = b.flyer1;
  const streaming: Flyable & Preparable<{ frames: number }> & WritesStreamAssets = b.image_det;
  const files: WritesExternalAssets & Triggerable = b.img;
  const signal: Readable & Subscribable & Locatable<number> = b.sig;
  const status: WatchableStatus = b.motor.set(0);
  const named: HasName = b.trivial_flyer;
  return [readable, movable, detector, flyer, streaming, files, signal, status, named];
}

describe("device protocols on sim devices", () => {
  it("type-check", () => {
    equal(typeChecks(hw).length, 9);
  });

  it("guards recognise what each device can do, and only that", () => {
    const table: Array<[string, (x: unknown) => boolean, unknown[], unknown[]]> = [
      [
        "Readable",
        isReadable,
        [hw.det, hw.motor, hw.sig, hw.beam_current, hw.image_det],
        [hw.flyer1, 3, null],
      ],
      [
        "Configurable",
        isConfigurable,
        [hw.det, hw.motor, hw.flyer1],
        [hw.sig, { readConfiguration() {}, describeConfiguration() {} }],
      ],
      ["Triggerable", isTriggerable, [hw.det, hw.rand, hw.img, hw.image_det], [hw.motor, hw.sig]],
      ["Movable", isMovable, [hw.motor, hw.sig], [hw.det, hw.beam_current, new Map()]],
      ["Locatable", isLocatable, [hw.motor, hw.sig], [hw.det, { set() {}, locate() {} }]],
      ["Stoppable", isStoppable, [hw.motor, hw.flyer1, hw.image_det], [hw.det]],
      ["Pausable", isPausable, [hw.flyer1], [hw.motor]],
      ["Stageable", isStageable, [hw.det, hw.motor, hw.img], [hw.sig, hw.flyer1]],
      ["Flyable", isFlyable, [hw.flyer1, hw.trivial_flyer, hw.image_det], [hw.det]],
      ["Collectable", isCollectable, [hw.flyer1, hw.image_det], [hw.det]],
      ["EventCollectable", isEventCollectable, [hw.flyer1, hw.trivial_flyer], [hw.image_det]],
      ["EventPageCollectable", isEventPageCollectable, [hw.flyer1], [hw.trivial_flyer]],
      ["WritesStreamAssets", isWritesStreamAssets, [hw.image_det], [hw.img, hw.det]],
      ["WritesExternalAssets", isWritesExternalAssets, [hw.img], [hw.image_det]],
      ["Preparable", isPreparable, [hw.image_det], [hw.det]],
      ["Subscribable", isSubscribable, [hw.det, hw.sig, hw.rand, hw.beam_current], [hw.flyer1]],
      ["Checkable", isCheckable, [hw.motor], [hw.det]],
      ["HasHints", hasHints, [hw.det, hw.motor], [hw.sig]],
      ["HasName", hasName, [hw.det, hw.trivial_flyer], [{}]],
    ];
    for (const [protocol, guard, yes, no] of table) {
      for (const x of yes) ok(guard(x), `${String((x as HasName).name)} should be ${protocol}`);
      for (const x of no)
        ok(!guard(x), `${String((x as HasName)?.name ?? x)} should not be ${protocol}`);
    }
  });

  it("actions return Status objects: awaitable, with done/success and callbacks", async () => {
    const statuses: Status[] = [hw.motor.set(1), hw.det.trigger(), hw.det.stage(), hw.sig.set(2)];
    for (const status of statuses) {
      ok(isStatus(status));
      ok(!isStatus(Promise.resolve()));
      await status;
      equal(status.success, true);
      let called = false;
      status.addCallback(() => {
        called = true;
      });
      ok(called);
    }
    await hw.det.unstage();
  });

  it("Subscribable: a detector calls back with readings keyed like read()", async () => {
    const seen: Readings[] = [];
    const unsubscribe = hw.det.subscribe((r) => seen.push(r));
    await hw.motor.set(0.7);
    await hw.det.trigger();
    unsubscribe();
    deepStrictEqual(Object.keys(seen.at(-1) ?? {}), ["det"]);
    deepStrictEqual(seen.at(-1)?.["det"]?.value, (await hw.det.read())["det"]?.value);
  });

  it("Locatable: locate gives setpoint and readback", async () => {
    await hw.jittery_motor2.set(3);
    const { setpoint, readback } = await hw.jittery_motor2.locate();
    equal(setpoint, 3);
    ok(readback >= 3 && readback < 4);
  });

  it("HasParent: children know their device, roots have none", () => {
    equal(hw.motor.readback.parent, hw.motor);
    equal(hw.motor.parent, undefined);
  });
});
