// @cerulean/epics: EPICS Channel Access in TypeScript, client and soft IOC, and devices over CA.

export {
  type CaDatatype,
  CaSignalBackend,
  type CaSignalBackendOptions,
} from "./ca-signal-backend.ts";
export type { CaScalar, CaValue } from "./client/ca-value.ts";
export {
  CaChannel,
  type ChannelState,
  type GetOptions,
  type PutOptions,
} from "./client/channel.ts";
export { CaContext, type CaContextOptions } from "./client/context.ts";
export { CaRepeater } from "./client/repeater.ts";
export { CaMonitor, CaSubscription, type MonitorOptions } from "./client/subscription.ts";
export {
  type CaAddress,
  type CaClientConfig,
  type CaEnv,
  type CaServerConfig,
  clientConfigFromEnv,
  parseAddressList,
  serverConfigFromEnv,
} from "./config.ts";
export { type CameraFrame, EpicsCamera } from "./devices/epics-camera.ts";
export { EpicsDetector, type EpicsDetectorOptions } from "./devices/epics-detector.ts";
export { type EpicsDeviceOptions, EpicsMotor } from "./devices/epics-motor.ts";
export {
  type CaSignalOptions,
  caSignalR,
  caSignalRW,
  caSignalW,
  caSignalX,
  closeDefaultCaContext,
  defaultCaContext,
} from "./epics-signal.ts";
export {
  CaAccessError,
  CaClosedError,
  CaConfigError,
  CaDisconnectedError,
  CaError,
  CaMessageTooLargeError,
  CaProtocolError,
  CaServerError,
  CaStatusError,
  CaTimeoutError,
  CaValueError,
} from "./errors.ts";
export {
  decodeClientMessage,
  decodeServerMessage,
  encodeClientMessage,
  encodeServerMessage,
} from "./protocol/codec.ts";
export {
  AccessRight,
  CA_MINOR_VERSION,
  Command,
  DEFAULT_MAX_ARRAY_BYTES,
  DEFAULT_REPEATER_PORT,
  DEFAULT_SERVER_PORT,
  EventMask,
} from "./protocol/commands.ts";
export { type CaPutValue, convertArray, toCaArray } from "./protocol/convert.ts";
export {
  type CaArray,
  type CaLimitRange,
  type CaLimits,
  type DbrMetadata,
  type DbrValue,
  decodeDbr,
  encodeDbr,
} from "./protocol/dbr.ts";
export {
  type DbrFamily,
  DbrNative,
  type DbrNativeName,
  type DbrNativeType,
  dbrCode,
  dbrName,
  dbrSize,
} from "./protocol/dbr-types.ts";
export { Eca, ecaMessage, ecaSucceeded } from "./protocol/eca.ts";
export {
  encodeMessage,
  type FramedMessage,
  MessageReader,
  type RawMessage,
  splitDatagram,
} from "./protocol/header.ts";
export type { ClientMessage, RequestHeader, ServerMessage } from "./protocol/messages.ts";
export {
  ProcessVariable,
  type PutHandler,
  type PvDefinition,
  type PvUpdate,
} from "./server/process-variable.ts";
export { PvDatabase } from "./server/pv-database.ts";
export {
  type FrameSource,
  type ServableMotor,
  serveCamera,
  serveDetector,
  serveMotor,
  serveSignal,
  type Unserve,
} from "./server/serve-devices.ts";
export { type SimPvNames, serveSimBeamline } from "./server/sim-ioc.ts";
export { SoftIoc, type SoftIocOptions, startSoftIoc } from "./server/soft-ioc.ts";
export {
  type CaTransport,
  nodeTransport,
  type Peer,
  type TcpConnection,
  type TcpServer,
  type UdpSocket,
} from "./transport.ts";
