// ECA status codes: (message number << 3) | severity, as libca defines them.

const WARNING = 0;
const SUCCESS = 1;
const ERROR = 2;
const INFO = 3;
const FATAL = 6;

function code(severity: number, msgNo: number): number {
  return (msgNo << 3) | severity;
}

/** The ECA status codes the client and server send or interpret. */
export const Eca = {
  normal: code(SUCCESS, 0),
  allocMem: code(WARNING, 6),
  tooLarge: code(WARNING, 9),
  timeout: code(WARNING, 10),
  noSupport: code(WARNING, 11),
  strTooBig: code(WARNING, 12),
  disconnChid: code(ERROR, 13),
  badType: code(ERROR, 14),
  internal: code(FATAL, 17),
  getFail: code(WARNING, 19),
  putFail: code(WARNING, 20),
  badCount: code(WARNING, 22),
  badStr: code(ERROR, 23),
  disconn: code(WARNING, 24),
  badMonId: code(ERROR, 30),
  badMask: code(ERROR, 41),
  ioDone: code(INFO, 42),
  noRdAccess: code(WARNING, 46),
  noWtAccess: code(WARNING, 47),
  noConvert: code(WARNING, 50),
  badChid: code(ERROR, 51),
  unavailInServ: code(WARNING, 54),
  chanDestroy: code(WARNING, 55),
} as const;

const MESSAGES: Record<number, string> = {
  [Eca.normal]: "normal successful completion",
  [Eca.allocMem]: "unable to allocate memory",
  [Eca.tooLarge]:
    "the requested transfer is greater than available memory or EPICS_CA_MAX_ARRAY_BYTES",
  [Eca.timeout]: "user specified timeout on IO operation expired",
  [Eca.noSupport]: "sorry, that feature is planned but not supported at this time",
  [Eca.strTooBig]: "the supplied string is unusually large",
  [Eca.disconnChid]: "the request was ignored because the specified channel is disconnected",
  [Eca.badType]: "the data type specified is invalid",
  [Eca.internal]: "channel access internal failure",
  [Eca.getFail]: "could not perform a database value get for that channel",
  [Eca.putFail]: "could not perform a database value put for that channel",
  [Eca.badCount]: "count requested was zero or greater than the server's element count",
  [Eca.badStr]: "invalid string",
  [Eca.disconn]: "virtual circuit disconnect",
  [Eca.badMonId]: "bad event subscription (monitor) identifier",
  [Eca.badMask]: "invalid event selection mask",
  [Eca.ioDone]: "IO operations have completed",
  [Eca.noRdAccess]: "read access denied",
  [Eca.noWtAccess]: "write access denied",
  [Eca.noConvert]: "no reasonable data conversion between client and server types",
  [Eca.badChid]: "invalid channel identifier",
  [Eca.unavailInServ]: "not supported by attached service",
  [Eca.chanDestroy]: "user destroyed channel",
};

/** True for the success codes (the low bit of an ECA code). */
export function ecaSucceeded(status: number): boolean {
  return (status & 1) === 1;
}

/** A short description of an ECA code, for error messages. */
export function ecaMessage(status: number): string {
  return MESSAGES[status] ?? `ECA status ${status}`;
}
