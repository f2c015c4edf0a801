import { describe, expect, it } from '@jest/globals'
import {
  decodeDocument,
  decodeValidJsonDocument,
  list,
  str,
  struct,
  type DocumentSchema,
} from '../../../src/config/decode.js'

const SCHEMA: DocumentSchema = {
  kind: 'Thing',
  apiVersions: ['example.com/v1'],
  shape: struct('Thing', {
    apiVersion: str,
    kind: str,
    items: list(struct('Item', { name: str, note: str }), '[]%.Item'),
  }),
  scheme: { otherKinds: [], notRegistered: (kind) => `no kind ${kind}` },
}

const doc = (items: string): string =>
  `{"apiVersion":"example.com/v1","kind":"Thing","items":[${items}]}`

describe('decodeValidJsonDocument', () => {
  it('answers what decodeDocument answers for clean JSON', () => {
    const text = doc('{"name":"a","note":"\\u0041"},{"name":"a"}')
    expect(decodeValidJsonDocument(text, SCHEMA)).toEqual(decodeDocument(text, SCHEMA))
    expect(decodeValidJsonDocument(text, SCHEMA)).toEqual({
      ok: true,
      apiVersion: 'example.com/v1',
      value: {
        apiVersion: 'example.com/v1',
        kind: 'Thing',
        items: [{ name: 'a', note: 'A' }, { name: 'a' }],
      },
    })
  })

  it.each([
    ['YAML', 'apiVersion: example.com/v1\nkind: Thing\n'],
    ['JSON that does not parse', `${doc('')} trailing`],
    ['a duplicate member', doc('{"name":"a","name":"b"}')],
    ['a duplicate member spelled with an escape', doc('{"name":"a","n\\u0061me":"b"}')],
    ['a duplicate top-level member', `{"kind":"Thing",${doc('').slice(1)}`],
    ['an unknown field', doc('{"nam":"a"}')],
    ['a wrong type', doc('{"name":1}')],
    ['another kind', '{"apiVersion":"example.com/v1","kind":"Other"}'],
  ])('leaves %s to decodeDocument (undefined)', (_name, text) => {
    expect(decodeValidJsonDocument(text, SCHEMA)).toBeUndefined()
  })

  it('does not take the same name in sibling or nested objects for a duplicate', () => {
    const text = doc('{"name":"a","note":"{\\"name\\":1}"},{"name":"b"}')
    expect(decodeValidJsonDocument(text, SCHEMA)?.ok).toBe(true)
  })
})
