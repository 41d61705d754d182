export { freeUdpPort } from "./free-udp-port.ts";
