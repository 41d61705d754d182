export {
  CONTRACT_PIXEL_PER_SEQ,
  contractRun,
  type SerializerContractAdapter,
  serializerContract,
} from "./serializer-contract.ts";
