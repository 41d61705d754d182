// Message hooks, waiting hooks, preprocessors and call-time subscriptions.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import { bps, count, type Msg, type Plan } from "../../src/index.ts";
import { assertWellFormed, docsNamed, recordingEngine } from "../helpers.ts";

describe("hooks and preprocessors", () => {
  test("the msg hook sees every message before it runs", async () => {
    const { det } = await createSimBeamline();
    const { RE } = recordingEngine();
    const commands: string[] = [];
    RE.msgHook = (m) => commands.push(m.command);
    await RE.call(count([det]));
    assert.deepEqual(commands, [
      "stage",
      "wait",
      "open_run",
      "checkpoint",
      "checkpoint",
      "trigger",
      "wait",
      "create",
      "read",
      "save",
      "close_run",
      "unstage",
      "wait",
    ]);
  });

  test("the waiting hook gets the statuses waited on, then undefined", async () => {
    const { motor } = await createSimBeamline({ velocity: 100 });
    const { RE } = recordingEngine();
    const seen: (number | undefined)[] = [];
    RE.waitingHook = (statuses) => seen.push(statuses?.length);
    await RE.call(bps.mv(motor, 1));
    assert.deepEqual(seen, [1, undefined]);
  });

  test("preprocessors wrap every plan, in order", async () => {
    const { det } = await createSimBeamline();
    const order: string[] = [];
    function tag(label: string) {
      return function* (plan: Plan): Plan {
        let response: unknown;
        for (;;) {
          const step = plan.next(response);
          if (step.done) return step.value;
          const m: Msg = step.value;
          if (m.command === "open_run") {
            order.push(label);
            response = yield { ...m, kwargs: { ...m.kwargs, [label]: true } };
          } else {
            response = yield m;
          }
        }
      };
    }
    const { RE, docs } = recordingEngine({ preprocessors: [tag("inner"), tag("outer")] });
    await RE.call(count([det]));
    await RE.call(count([det]));
    const [start] = docsNamed(docs, "start");
    assert.equal(start?.["inner"], true);
    assert.equal(start?.["outer"], true);
    assert.deepEqual(order, ["inner", "outer", "inner", "outer"]);
    assertWellFormed(docs);
  });

  test("subscriptions given to call() last for that call only, by document name too", async () => {
    const { det } = await createSimBeamline();
    const { RE } = recordingEngine();
    const all: string[] = [];
    const events: string[] = [];
    await RE.call(count([det], 2), {
      subs: {
        all: (name, _doc) => void all.push(name),
        event: [(name, _doc) => void events.push(name)],
      },
    });
    await RE.call(count([det], 2));
    assert.deepEqual(all, ["start", "descriptor", "event", "event", "stop"]);
    assert.deepEqual(events, ["event", "event"]);
  });
});
