import type {
  Datum,
  DatumPage,
  Event,
  EventDescriptor,
  EventPage,
  Resource,
  RunStart,
  RunStop,
  StreamDatum,
  StreamResource,
} from "@cerulean/event-model";
import { packDatumPage, packEventPage } from "@cerulean/event-model";
import { SerializerStateError } from "../errors.ts";
import { RunSerializer } from "./run-serializer.ts";

/**
 * A serializer that works on pages: single events and datums arrive as one-row pages, and every
 * page comes with its descriptor. Subclasses override the handlers they need.
 */
export abstract class PagedSerializer extends RunSerializer {
  /** The descriptors of the run by uid. */
  protected readonly descriptors = new Map<string, EventDescriptor>();
  protected readonly resources = new Map<string, Resource>();
  protected readonly streamResources = new Map<string, StreamResource>();

  protected write(name: string, doc: Record<string, unknown>): void {
    switch (name) {
      case "start":
        this.onStart(doc as RunStart);
        return;
      case "descriptor": {
        const descriptor = doc as EventDescriptor;
        this.descriptors.set(descriptor.uid, descriptor);
        this.onDescriptor(descriptor);
        return;
      }
      case "event": {
        const event = doc as Event;
        this.onEventPage(packEventPage([event]), this.descriptorOf(event.descriptor, name));
        return;
      }
      case "event_page": {
        const page = doc as EventPage;
        this.onEventPage(page, this.descriptorOf(page.descriptor, name));
        return;
      }
      case "resource": {
        const resource = doc as Resource;
        this.resources.set(resource.uid, resource);
        this.onResource(resource);
        return;
      }
      case "datum":
        this.onDatumPage(packDatumPage([doc as Datum]));
        return;
      case "datum_page":
        this.onDatumPage(doc as DatumPage);
        return;
      case "stream_resource": {
        const streamResource = doc as StreamResource;
        this.streamResources.set(streamResource.uid, streamResource);
        this.onStreamResource(streamResource);
        return;
      }
      case "stream_datum": {
        const datum = doc as StreamDatum;
        const streamResource = this.streamResources.get(datum.stream_resource);
        if (!streamResource) {
          throw new SerializerStateError(
            `${this.label}: stream_datum ${datum.uid} refers to stream_resource ${datum.stream_resource}, which this run has not sent`,
          );
        }
        this.onStreamDatum(datum, streamResource, this.descriptorOf(datum.descriptor, name));
        return;
      }
      case "stop":
        this.onStop(doc as RunStop);
        return;
      default:
        throw new SerializerStateError(
          `${this.label}: unknown document name "${name}"; expected start, descriptor, event, event_page, resource, datum, datum_page, stream_resource, stream_datum or stop`,
        );
    }
  }

  /** The stream name of a descriptor ("primary" when it has none, as in Bluesky). */
  protected streamName(descriptor: EventDescriptor): string {
    return descriptor.name ?? "primary";
  }

  protected onStart(_start: RunStart): void {}
  protected onDescriptor(_descriptor: EventDescriptor): void {}
  protected onEventPage(_page: EventPage, _descriptor: EventDescriptor): void {}
  protected onResource(_resource: Resource): void {}
  protected onDatumPage(_page: DatumPage): void {}
  protected onStreamResource(_streamResource: StreamResource): void {}
  protected onStreamDatum(
    _datum: StreamDatum,
    _streamResource: StreamResource,
    _descriptor: EventDescriptor,
  ): void {}
  protected onStop(_stop: RunStop): void {}

  private descriptorOf(uid: string, name: string): EventDescriptor {
    const descriptor = this.descriptors.get(uid);
    if (!descriptor) {
      throw new SerializerStateError(
        `${this.label}: ${name} refers to descriptor ${JSON.stringify(uid)}, which this run has not sent`,
      );
    }
    return descriptor;
  }
}
