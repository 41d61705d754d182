// The one storage contract suite: every backend runs exactly these tests.
import { after } from "node:test";
import { accessContract } from "./access-contract.ts";
import { ingestContract } from "./ingest-contract.ts";
import { searchContract } from "./search-contract.ts";
import type { StorageFactory } from "./storage-factory.ts";

/** Registers the whole contract suite for one backend; the factory is disposed at the end. */
export function runStorageContract(factory: StorageFactory): void {
  searchContract(factory);
  accessContract(factory);
  ingestContract(factory);
  after(async () => factory.dispose());
}
