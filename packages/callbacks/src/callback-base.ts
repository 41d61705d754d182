import { DocumentRouter } from "@cerulean/event-model";

/**
 * The base of the live callbacks, as Bluesky's CallbackBase: an event-model DocumentRouter, so
 * `(name, doc)` goes to the method named after the document and an event page reaches `event`
 * row by row; documents a callback does not handle pass through untouched.
 * @example engine.subscribe(new LiveTable(["motor", "det"]).callback);
 */
export abstract class CallbackBase extends DocumentRouter {}
