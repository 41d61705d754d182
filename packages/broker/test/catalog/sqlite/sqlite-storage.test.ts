import { runStorageContract } from "../contract/run-contract.ts";
import { sqliteFactory } from "../contract/storage-factory.ts";

runStorageContract(sqliteFactory());
