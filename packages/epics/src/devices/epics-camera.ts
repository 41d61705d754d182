// An areaDetector-style camera: cam1 (Acquire, AcquireTime, ArrayCounter_RBV), image1
// (ArrayData and its size), stats1 (Total_RBV).
import { AsyncStatus, type SignalR, type SignalRW, StandardReadable } from "@cerulean/devices";
import { caSignalR, caSignalRW } from "../epics-signal.ts";
import type { EpicsDeviceOptions } from "./epics-motor.ts";

/** One image: row-major pixels. */
export interface CameraFrame {
  rows: number;
  columns: number;
  data: ArrayLike<number>;
}

/**
 * A camera driven like areaDetector: `trigger()` writes `cam1:Acquire` = 1 with a put
 * callback (done when the frame is acquired). Reads `<name>_sum` (stats1:Total_RBV,
 * hinted) and `<name>_array_counter`; configuration `<name>_acquire_time`. The frame
 * itself is read with `readFrame()`.
 * @example const cam = new EpicsCamera("SIM:image_det:", "cam"); await cam.connect(); await cam.trigger()
 */
export class EpicsCamera extends StandardReadable {
  readonly acquire: SignalRW<number>;
  readonly acquireTime: SignalRW<number>;
  readonly arrayCounter: SignalR<number>;
  readonly sum: SignalR<number>;
  readonly image: SignalR<ArrayLike<number>>;
  readonly sizeX: SignalR<number>;
  readonly sizeY: SignalR<number>;

  constructor(prefix: string, name = "", options: EpicsDeviceOptions = {}) {
    super(name);
    const ca = options.context ? { context: options.context } : {};
    const omitted = { kind: "omitted" } as const;
    const rw = (pv: string) => caSignalRW(pv, pv, ca);
    this.acquire = this.addChild("acquire", rw(`${prefix}cam1:Acquire`), omitted);
    this.acquireTime = this.addChild("acquire_time", rw(`${prefix}cam1:AcquireTime`), {
      kind: "config",
    });
    this.arrayCounter = this.addChild(
      "array_counter",
      caSignalR(`${prefix}cam1:ArrayCounter_RBV`, ca),
    );
    this.sum = this.addChild("sum", caSignalR(`${prefix}stats1:Total_RBV`, ca), { kind: "hinted" });
    const image = caSignalR<ArrayLike<number>>(`${prefix}image1:ArrayData`, {
      ...ca,
      datatype: "array",
    });
    this.image = this.addChild("image", image, omitted);
    this.sizeX = this.addChild("size_x", caSignalR(`${prefix}image1:ArraySize0_RBV`, ca), omitted);
    this.sizeY = this.addChild("size_y", caSignalR(`${prefix}image1:ArraySize1_RBV`, ca), omitted);
  }

  /** Acquires one frame. */
  trigger(): AsyncStatus {
    return new AsyncStatus(async () => await this.acquire.set(1, { wait: true }), {
      operation: `${this.name} trigger()`,
    });
  }

  /** The last frame, with its size. */
  async readFrame(): Promise<CameraFrame> {
    const [columns, rows, data] = await Promise.all([
      this.sizeX.getValue(),
      this.sizeY.getValue(),
      this.image.getValue(),
    ]);
    return { rows, columns, data };
  }
}
