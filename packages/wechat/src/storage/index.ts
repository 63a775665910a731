export {
  createCloudStorage,
  DEFAULT_MAX_AGE_SECONDS,
  STORAGE_BATCH_SIZE,
  type CloudStorage,
  type CloudStorageOptions,
  type CloudStorageTransportOptions,
  type DeletedFile,
  type StorageErrorCode,
  type TempFileRequest,
  type TempFileURL,
  type UploadFileOptions,
  type UploadFileResult,
} from './cloud-storage'
export { cloudPathProblem, MAX_CLOUD_PATH_BYTES } from './cloud-path'
export type { FileContent } from './file-source'
export type { UploadTicket } from './cos-form-upload'
