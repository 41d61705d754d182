// The typed messages of Channel Access, one union per direction.

/** Header fields of a request, echoed back inside CA_PROTO_ERROR. */
export interface RequestHeader {
  command: number;
  dataType: number;
  count: number;
  parameter1: number;
  parameter2: number;
}

/** Messages a client (or a repeater client) sends. */
export type ClientMessage =
  | { type: "version"; priority: number; minorVersion: number }
  | { type: "search"; cid: number; name: string; reply: boolean; minorVersion: number }
  | { type: "createChan"; cid: number; name: string; minorVersion: number }
  | { type: "clearChannel"; sid: number; cid: number }
  | { type: "readNotify"; dataType: number; count: number; sid: number; ioid: number }
  | { type: "write"; dataType: number; count: number; sid: number; ioid: number; data: Uint8Array }
  | {
      type: "writeNotify";
      dataType: number;
      count: number;
      sid: number;
      ioid: number;
      data: Uint8Array;
    }
  | {
      type: "eventAdd";
      dataType: number;
      count: number;
      sid: number;
      subscriptionId: number;
      mask: number;
      low: number;
      high: number;
      to: number;
    }
  | { type: "eventCancel"; dataType: number; count: number; sid: number; subscriptionId: number }
  | { type: "eventsOff" }
  | { type: "eventsOn" }
  | { type: "readSync" }
  | { type: "echo" }
  | { type: "clientName"; name: string }
  | { type: "hostName"; name: string }
  | { type: "repeaterRegister"; address: number }
  | { type: "unknown"; header: RequestHeader };

/** Messages a server (or a repeater) sends. */
export type ServerMessage =
  | { type: "version"; minorVersion: number }
  | { type: "searchReply"; port: number; serverAddress: number; cid: number; minorVersion: number }
  | { type: "notFound"; cid: number; minorVersion: number }
  | { type: "beacon"; minorVersion: number; port: number; beaconId: number; address: number }
  | { type: "repeaterConfirm"; address: number }
  | { type: "createChanReply"; cid: number; sid: number; dataType: number; count: number }
  | { type: "createChanFail"; cid: number }
  | { type: "accessRights"; cid: number; rights: number }
  | {
      type: "readNotifyReply";
      dataType: number;
      count: number;
      status: number;
      ioid: number;
      data: Uint8Array;
    }
  | { type: "writeNotifyReply"; dataType: number; count: number; status: number; ioid: number }
  | {
      type: "eventAddReply";
      dataType: number;
      count: number;
      status: number;
      subscriptionId: number;
      data: Uint8Array;
    }
  | {
      type: "eventCancelReply";
      dataType: number;
      count: number;
      sid: number;
      subscriptionId: number;
    }
  | {
      type: "error";
      cid: number;
      status: number;
      request: RequestHeader | undefined;
      message: string;
    }
  | { type: "clearChannelReply"; sid: number; cid: number }
  | { type: "serverDisconn"; cid: number }
  | { type: "echo" }
  | { type: "unknown"; header: RequestHeader };
