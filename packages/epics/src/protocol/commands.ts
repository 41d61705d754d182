// Command identifiers and protocol constants of Channel Access (protocol 4.13).

/** Command codes, as in the CA protocol specification. */
export const Command = {
  version: 0,
  eventAdd: 1,
  eventCancel: 2,
  read: 3,
  write: 4,
  search: 6,
  eventsOff: 8,
  eventsOn: 9,
  readSync: 10,
  error: 11,
  clearChannel: 12,
  beacon: 13,
  notFound: 14,
  readNotify: 15,
  repeaterConfirm: 17,
  createChan: 18,
  writeNotify: 19,
  clientName: 20,
  hostName: 21,
  accessRights: 22,
  echo: 23,
  repeaterRegister: 24,
  createChanFail: 26,
  serverDisconn: 27,
} as const;

/** The minor protocol version we speak (EPICS base 3.14.12 and later). */
export const CA_MINOR_VERSION = 13;
/** Default UDP search / TCP circuit port (EPICS_CA_SERVER_PORT). */
export const DEFAULT_SERVER_PORT = 5064;
/** Default repeater port, where beacons go (EPICS_CA_REPEATER_PORT). */
export const DEFAULT_REPEATER_PORT = 5065;
/** Classic array limit (EPICS_CA_MAX_ARRAY_BYTES default). */
export const DEFAULT_MAX_ARRAY_BYTES = 16384;
/** Channel names are limited by the 16-bit payload of a search. */
export const MAX_NAME_LENGTH = 1024;

/** Search reply flag: answer with CA_PROTO_NOT_FOUND when the name is unknown. */
export const DO_REPLY = 10;
/** Search reply flag: stay silent when the name is unknown. */
export const DONT_REPLY = 5;

/** Access rights bits of CA_PROTO_ACCESS_RIGHTS. */
export const AccessRight = { read: 1, write: 2 } as const;

/** Event masks of CA_PROTO_EVENT_ADD: which changes a monitor reports. */
export const EventMask = { value: 1, log: 2, alarm: 4, property: 8 } as const;

/** The server IP in a search reply meaning "use the address the reply came from". */
export const ADDRESS_FROM_SENDER = 0xffffffff;
