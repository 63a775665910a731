/**
 * The vocabulary of the open-API table: each field names its wire (snake_case) key and how its value travels.
 * The TypeScript types of parameters and results are computed from the same objects (`ParamsOf`).
 */

/** A file sent as a multipart part: `{ contentType: 'image/png', value: buffer }`, optionally with a file name. */
export interface MediaUpload {
  readonly contentType: string
  readonly value: Uint8Array
  readonly fileName?: string
}

export type FieldKind = 'value' | 'id' | 'raw' | 'object' | 'list' | 'media'

export interface Field<Type, Optional extends boolean = false> {
  /** The key on the wire. */
  readonly wire: string
  readonly kind: FieldKind
  readonly optional: Optional
  /** Sent in the query string over HTTPS (and as an ordinary parameter in a cloud call). */
  readonly inQuery: boolean
  /** The fields of an `object` or of each item of a `list`. */
  readonly fields?: FieldMap
  /** Type-only: never set at run time. */
  readonly type?: Type
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FieldMap = { readonly [camel: string]: Field<any, boolean> }

type Simplify<T> = { [K in keyof T]: T[K] } & {}
type TypeOf<F> = F extends Field<infer T, boolean> ? T : never
type RequiredKeys<M extends FieldMap> = { [K in keyof M]: M[K] extends Field<unknown, false> ? K : never }[keyof M]

/** The camelCase object a field map describes: required fields, then optional ones. */
export type ParamsOf<M extends FieldMap> = Simplify<
  { [K in RequiredKeys<M>]: TypeOf<M[K]> } & { [K in Exclude<keyof M, RequiredKeys<M>>]?: TypeOf<M[K]> }
>

function make<Type>(wire: string, kind: FieldKind, fields?: FieldMap): Field<Type> {
  return { wire, kind, optional: false, inQuery: false, ...(fields ? { fields } : {}) }
}

export const f = {
  /** A value sent and received as it is: `f.of<'Typing' | 'CancelTyping'>('command')`. */
  of: <Type>(wire: string) => make<Type>(wire, 'value'),
  string: (wire: string) => make<string>(wire, 'value'),
  number: (wire: string) => make<number>(wire, 'value'),
  boolean: (wire: string) => make<boolean>(wire, 'value'),
  /** An integer id that may exceed 2^53 (msgid): always answered as its exact decimal string. */
  id: (wire: string) => make<string>(wire, 'id'),
  /** Passed through untouched, keys included (subscribeMessage `data`, whose keys are the template's). */
  raw: <Type>(wire: string) => make<Type>(wire, 'raw'),
  object: <M extends FieldMap>(wire: string, fields: M) => make<ParamsOf<M>>(wire, 'object', fields),
  list: <M extends FieldMap>(wire: string, fields: M) => make<Array<ParamsOf<M>>>(wire, 'list', fields),
  /** A file, sent as the multipart part `wire`. */
  media: (wire: string) => make<MediaUpload>(wire, 'media'),
}

export function optional<Type>(field: Field<Type>): Field<Type, true> {
  return { ...field, optional: true }
}

export function inQuery<Type, Optional extends boolean>(field: Field<Type, Optional>): Field<Type, Optional> {
  return { ...field, inQuery: true }
}
