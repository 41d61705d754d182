export {
  type BusContractSubject,
  collect,
  documentBusContract,
} from "./bus-contract.ts";
export { type GaussianScanOptions, gaussianScanDocuments } from "./gaussian-scan.ts";
export { type RedisServer, type StartRedisOptions, startRedisServer } from "./redis-server.ts";
