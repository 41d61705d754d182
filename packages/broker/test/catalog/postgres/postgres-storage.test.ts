// Runs the storage contract against a real PostgreSQL server started for this file. Without
// PostgreSQL installed this fails with PostgresServerError saying what to install.
import { runStorageContract } from "../contract/run-contract.ts";
import { postgresFactory } from "../contract/storage-factory.ts";

runStorageContract(await postgresFactory());
