export {
  EvidenceIntegrityError,
  type EvidenceStore,
  type StoredBlob,
  type PutOptions,
} from './evidence.store.js';
export { LocalEvidenceStore } from './local.store.js';
