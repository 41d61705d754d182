// Pack and unpack of a 100,000-row event page (10,000 in quick mode; rows/s), plus rechunk and the JSON-lines encoding
// of the same page: the hot paths of detectors, serializers and the bus.
import {
  type Event,
  encodeDocumentLine,
  packEventPage,
  parseDocumentLine,
  rechunkEventPages,
  unpackEventPage,
} from "@cerulean/event-model";
import { quick, rate } from "./harness.ts";

const rows = quick ? 10_000 : 100_000;

// A typical step-scan row: a motor, its setpoint, two detectors and an external image key.
const events: Event[] = Array.from({ length: rows }, (_, i) => {
  const t = 1_700_000_000 + i * 0.1;
  return {
    uid: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    time: t,
    data: {
      motor: i * 0.01,
      motor_setpoint: i * 0.01,
      det: Math.sin(i),
      det2: i % 17,
      image: `res/${i}`,
    },
    timestamps: { motor: t, motor_setpoint: t, det: t, det2: t, image: t },
    seq_num: i + 1,
    filled: { image: false },
    descriptor: "descriptor-uid",
  };
});
const page = packEventPage(events);
const line = encodeDocumentLine("event_page", page);

await rate("event-model.pack_event_page", "rows/s", rows, () => packEventPage(events));
await rate("event-model.unpack_event_page", "rows/s", rows, () => unpackEventPage(page));
await rate("event-model.rechunk_event_page_by_1000", "rows/s", rows, () => {
  for (const _chunk of rechunkEventPages([page], 1000));
});
await rate("event-model.jsonl_encode_event_page", "rows/s", rows, () =>
  encodeDocumentLine("event_page", page),
);
await rate("event-model.jsonl_parse_event_page", "rows/s", rows, () => parseDocumentLine(line));
