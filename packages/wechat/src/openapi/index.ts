export {
  createOpenApi,
  type OpenApi,
  type OpenApiMethod,
  type OpenApiHttpsSource,
  type OpenApiCloudSource,
  type OpenDataItem,
  type OpenApiOptions,
} from './open-api'
export { OPEN_APIS, type ApiDefinition, type AnswerKind, type OpenApiTable } from './api-table'
export { f, optional, inQuery, type Field, type FieldMap, type ParamsOf, type MediaUpload } from './field-spec'
export type { WxServerSdkCloud } from './cloud-transport'
export type { WeChatBinaryAnswer } from '../client/wechat-client'
