// Compose + validate throughput of the event-model composers (events/s).
import { composeRun, type DataKey } from "@cerulean/event-model";
import { quick, rate } from "./harness.ts";

const n = quick ? 10_000 : 100_000;
const key: DataKey = { dtype: "number", shape: [], source: "SIM:det" };

function composeEvents(validate: boolean): void {
  const run = composeRun({ metadata: { plan_name: "count" } });
  const primary = run.composeDescriptor({
    name: "primary",
    data_keys: { det: key, motor: key, motor_setpoint: key },
  });
  for (let i = 0; i < n; i++) {
    const t = 1_700_000_000 + i;
    primary.composeEvent({
      data: { det: Math.random(), motor: i, motor_setpoint: i },
      timestamps: { det: t, motor: t, motor_setpoint: t },
      validate,
    });
  }
  run.composeStop();
}

await rate("event-model.compose_validate_event", "events/s", n, () => composeEvents(true));
await rate("event-model.compose_event_unvalidated", "events/s", n, () => composeEvents(false));
