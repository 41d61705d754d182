// @cerulean/devices/testing: assertions, mock controls and the shared backend contract suite.

export { initDevices } from "../core/init-devices.ts";
export {
  type AssertReadingOptions,
  assertConfiguration,
  assertDescribeMatchesRead,
  assertReading,
  type ExpectedReadings,
} from "./assert-reading.ts";
export {
  callbackOnMockPut,
  getMockPutLog,
  setMockPutProceeds,
  setMockValue,
} from "./mock-values.ts";
export { type BackendContractSubject, signalBackendContract } from "./signal-backend-contract.ts";
export { StatusWatcher } from "./status-watcher.ts";
