export {
  type BlueskyZmqFrame,
  decodeBlueskyFrame,
  encodeBlueskyFrame,
} from "./codec/bluesky-zmq-frame.ts";
export { decodeBody, encodeBody, isWireFormat } from "./codec/document-codec.ts";
export type {
  DocumentGap,
  DocumentPublisher,
  DocumentSubscriber,
  GapHandler,
  GapReason,
  SubscriberOptions,
  WireFormat,
} from "./document-bus.ts";
export {
  BusClosedError,
  BusConfigError,
  BusDecodeError,
  BusError,
  BusTransportError,
  DocumentGapError,
  DocumentsDroppedError,
  TestServerError,
} from "./errors.ts";
export { GapDetector } from "./gap-detector.ts";
export type { RedisConnection } from "./redis/connection.ts";
export { type ReadRunOptions, readRunDocuments } from "./redis/read-run.ts";
export {
  type GroupDocument,
  openRedisGroupConsumer,
  RedisGroupConsumer,
  type RedisGroupConsumerOptions,
} from "./redis/redis-group-consumer.ts";
export {
  openRedisPublisher,
  RedisPublisher,
  type RedisPublisherOptions,
} from "./redis/redis-publisher.ts";
export {
  openRedisSubscriber,
  RedisSubscriber,
  type RedisSubscriberOptions,
  type StreamStart,
} from "./redis/redis-subscriber.ts";
export type { StreamDocument } from "./redis/stream-entry.ts";
export { type StreamKeys, type StreamLocation, streamKeys } from "./redis/stream-keys.ts";
export {
  attachDocumentWebSocket,
  DocumentWebSocket,
  type DocumentWebSocketOptions,
  type HttpServerLike,
  type UpgradeEmitter,
} from "./websocket/document-websocket.ts";
export type { ServerMessage } from "./websocket/websocket-protocol.ts";
export {
  openWebSocketSubscriber,
  WebSocketSubscriber,
  type WebSocketSubscriberOptions,
} from "./websocket/websocket-subscriber.ts";
export { normalizeZmqAddress, type ZmqAddress } from "./zmq/address.ts";
export { startZmqProxy, ZmqProxy, type ZmqProxyOptions } from "./zmq/zmq-proxy.ts";
export {
  openZmqPublisher,
  ZmqPublisher,
  type ZmqPublisherOptions,
  type ZmqPublisherStats,
} from "./zmq/zmq-publisher.ts";
export {
  openZmqSubscriber,
  ZmqSubscriber,
  type ZmqSubscriberOptions,
  type ZmqSubscriberStats,
} from "./zmq/zmq-subscriber.ts";
